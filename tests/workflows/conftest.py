from tests.filings.conftest import make_plan, submitted_plan  # noqa: F401  (shared fixtures)
