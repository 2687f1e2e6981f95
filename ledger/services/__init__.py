"""Ledger services: the only code that writes Person, HourEntry and PersonFlag rows.

- `entries`: the writer itself (persons, credits, reversals, flags);
- `amendments`: corrections of certified entries (学时更正);
- `applications`: credit applications and circumstance records, reviewed four-eyes.
"""

from ledger.services.amendments import (
    amendment_approve,
    amendment_reject,
    amendment_request,
    can_decide_amendment,
    can_request_amendment,
)
from ledger.services.entries import (
    Credit,
    PersonData,
    hour_entries_credit,
    hour_entries_reverse,
    hour_entry_correct,
    person_flag_record,
    person_ids_ensure,
    person_link_employer,
    persons_ensure,
)

__all__ = [
    "Credit", "PersonData", "amendment_approve", "amendment_reject", "amendment_request", "can_decide_amendment",
    "can_request_amendment", "hour_entries_credit", "hour_entries_reverse", "hour_entry_correct",
    "person_flag_record", "person_link_employer", "person_ids_ensure", "persons_ensure",
]
