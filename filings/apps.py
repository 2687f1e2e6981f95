from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = "培训备案"

    def ready(self):
        from filings import home  # noqa: F401  (registers the home-page counts)
        from filings.demo import seed_certified_training, seed_plans
        from portal.demo import EXTRA_SEEDERS

        for seeder in (seed_plans, seed_certified_training):
            if seeder not in EXTRA_SEEDERS:
                EXTRA_SEEDERS.append(seeder)
