"""继续教育学时审验引擎: one person's verdict under one rule set's parameters.

Pure: no database access. `evaluate` reads every policy number from `params["eligibility"]` and
`params["annual"]` (schema in rules/migrations/0003_eligibility_params.py); the caller fetches
the params once per batch (rules.eligibility.eligibility_check).

Minutes convert at `minutes_per_hour` (45) per record, rounded down to whole hours, so a record
never counts for more than its certificate shows (2700 min = 60 h, 2699 min = 59 h).
"""

from rules.engine.evaluate import evaluate
from rules.engine.types import (
    EligibilityInputError,
    Flag,
    Notice,
    PersonInput,
    Record,
    Review,
    Verdict,
    YearTally,
)

__all__ = [
    "EligibilityInputError", "Flag", "Notice", "PersonInput", "Record", "Review", "Verdict", "YearTally", "evaluate",
]
