from pathlib import Path

from workflows.diagram import plan_state_diagram

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_shows_the_state_machine_as_the_code_defines_it():
    text = README.read_text()
    block = text.split("<!-- state-diagram:start -->")[1].split("<!-- state-diagram:end -->")[0]
    assert block.strip() == f"```mermaid\n{plan_state_diagram()}\n```"


def test_the_diagram_has_every_transition():
    diagram = plan_state_diagram()
    for edge in ("draft --> submitted", "submitted --> approved", "submitted --> returned", "returned --> submitted",
                 "submitted --> rejected", "submitted --> withdrawn", "approved --> in_training",
                 "in_training --> awaiting_report", "approved --> cancelled"):
        assert edge in diagram
