"""What the collectors share during one sweep: the moment, the users by organisation and role,
and a memo for whatever else a source wants to look up once per sweep (e.g. the rules in force)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import TypeVar

from accounts.models import Role, User
from jurisdiction.models import Organisation
from jurisdiction.selectors import parent_authority

T = TypeVar("T")


class SweepContext:
    """Caches so that a sweep over thousands of deadlines asks the database a handful of times."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self._users: dict[str, dict[int, frozenset[int]]] = {}
        self._memo: dict[Hashable, object] = {}

    def users_of(self, organisation_id: int, role: str) -> frozenset[int]:
        """Active users with `role` in the organisation (organisers of a plan, reviewers of an authority)."""
        if role not in self._users:
            by_org: dict[int, set[int]] = defaultdict(set)
            rows = User.objects.filter(role=role, is_active=True, organisation__isnull=False)
            for pk, org_id in rows.values_list("pk", "organisation_id"):
                by_org[org_id].add(pk)
            self._users[role] = {k: frozenset(v) for k, v in by_org.items()}
        return self._users[role].get(organisation_id, frozenset())

    def organisers_of(self, organisation_id: int) -> frozenset[int]:
        return self.users_of(organisation_id, Role.ORGANISER)

    def reviewers_of(self, organisation_id: int) -> frozenset[int]:
        return self.users_of(organisation_id, Role.REVIEWER)

    def parent_reviewers_of(self, authority_id: int) -> frozenset[int]:
        """Reviewers of the authority above `authority_id`, where its overdue tasks escalate (once per sweep)."""
        def compute() -> frozenset[int]:
            authority = Organisation.objects.select_related("division").filter(pk=authority_id).first()
            parent = parent_authority(authority) if authority else None
            return self.reviewers_of(parent.pk) if parent else frozenset()

        return self.memo(("parent_reviewers", authority_id), compute)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per sweep for each key."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]
