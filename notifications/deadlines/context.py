"""What the collectors share during one sweep: the moment, the users by organisation and role,
and a memo for whatever else a source wants to look up once per sweep (e.g. the rules in force)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from jurisdiction.models import Organisation
from jurisdiction.selectors import parent_authority

T = TypeVar("T")
_PK_MARK = 987654321987  # a pk no table reaches, replaced in the reversed URL


class SweepContext:
    """Caches so that a sweep over thousands of deadlines asks the database a handful of times."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self._users: dict[str, dict[int, frozenset[int]]] = {}
        self._memo: dict[Hashable, object] = {}
        # One lookup of the (thread-local) current zone per sweep rather than one per deadline.
        self.tz = timezone.get_current_timezone()

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

    def object_url(self, viewname: str, pk: int) -> str:
        """`reverse(viewname, args=[pk])`, resolved once per sweep for a view taking one integer pk."""
        pattern = self.memo(("url", viewname), lambda: reverse(viewname, args=[_PK_MARK]))
        return pattern.replace(str(_PK_MARK), str(pk))
