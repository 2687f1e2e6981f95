from django.core.management.base import BaseCommand

from workflows.diagram import plan_state_diagram


class Command(BaseCommand):
    help = "Print the training-plan state machine as a Mermaid diagram (pasted into the README)."

    def handle(self, *args, **options):
        self.stdout.write(plan_state_diagram())
