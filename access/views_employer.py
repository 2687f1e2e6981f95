"""The employer's view of its staff's hours and verdicts, the person's consent, the authority's links."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from access import employer
from access.filters import EmployerAccessFilter
from accounts.models import Role
from common.lists import list_page
from ledger.models import Person
from ledger.selectors import hours_by_year, ledger_for, person_of
from rules.cards.explain import explain
from rules.engine import Review
from rules.engine.types import KIND_LABELS, LEVEL_LABELS
from rules.idnumber import normalise_id_number

PAGE_SIZE = 50


def _review(query) -> Review:
    kind = query.get("kind") if query.get("kind") in KIND_LABELS else "title_review"
    level = query.get("level") if query.get("level") in LEVEL_LABELS else "intermediate"
    try:
        day = date.fromisoformat(query.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    return Review(kind=kind, level=level, date=day)


def _require_hr(user) -> None:
    if not user.has_role(Role.EMPLOYER_HR) or not user.organisation_id:
        raise PermissionDenied("只有用人单位人事经办人可以查看本单位人员的学时。")


def _choices(review: Review) -> dict:
    return {"review": review, "kinds": list(KIND_LABELS.items()), "levels": list(LEVEL_LABELS.items())}


@login_required
def employer_staff(request):
    """本单位人员学时: persons who list this employer and consented or were linked by the authority."""
    _require_hr(request.user)
    review = _review(request.GET)
    page = Paginator(employer.staff_persons_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    this_year = timezone.localdate().year
    rows = []
    for person in page.object_list:
        totals = {y["year"]: y["total"] for y in hours_by_year(person)}
        rows.append({"person": person, "this_year": totals.get(this_year, 0),
                     "last_year": totals.get(this_year - 1, 0), "verdict": explain(person=person, review=review)})
    return render(request, "access/employer_staff.html",
                  {"rows": rows, "page": page, "this_year": this_year, **_choices(review)})


@login_required
def employer_person(request, pk: int):
    _require_hr(request.user)
    person = get_object_or_404(employer.staff_persons_visible_to(request.user), pk=pk)
    review = _review(request.GET)
    return render(request, "access/employer_person.html",
                  {"person": person, "years": ledger_for(person), "x": explain(person=person, review=review),
                   **_choices(review)})


@login_required
@require_http_methods(["GET", "POST"])
def my_employer(request):
    """本人授权所在单位查看学时 (or end it)."""
    if not request.user.has_role(Role.PROFESSIONAL):
        raise PermissionDenied("只有专业技术人员本人可以授权所在单位查看学时。")
    person = person_of(request.user)
    access = employer.active_access(person) if person else None
    if request.method == "POST" and person is not None:
        try:
            if request.POST.get("action") == "revoke" and access is not None:
                employer.employer_access_revoke(access=access, actor=request.user, request=request)
                messages.success(request, "已撤销授权，所在单位不再能查看您的学时。")
            elif request.POST.get("action") == "grant":
                employer.employer_access_grant(person=person, actor=request.user, request=request)
                messages.success(request, "已授权所在单位人事部门查看您的学时和审验结果。")
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("accounts:my_employer")
    return render(request, "access/my_employer.html", {"person": person, "access": access})


@login_required
@require_http_methods(["GET", "POST"])
def employer_links(request):
    """主管部门关联: an authority lets an employer in its subtree see a person's hours."""
    if not request.user.has_role(Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有主管部门审核人员和管理员可以关联用人单位。")
    if request.method == "POST":
        number = normalise_id_number(request.POST.get("id_number", ""))
        person = Person.objects.select_related("employer_organisation__division").filter(id_number=number).first()
        if person is None or not employer.may_link(request.user, person):
            messages.error(request, "未找到所在单位在本部门管辖范围内的该人员，请核对身份证号码。")
        else:
            try:
                employer.employer_access_grant(person=person, actor=request.user, request=request)
            except ValueError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已允许{person.employer_organisation}查看{person.name}的学时。")
        return redirect("accounts:employer_links")
    accesses = employer.accesses_linked_by(request.user).order_by("-granted_at", "-pk")
    listing = list_page(request, accesses, EmployerAccessFilter)
    return render(request, "access/employer_links.html", {"accesses": listing.rows, "listing": listing,
                                                          "no_export": True})


@login_required
@require_POST
def employer_link_revoke(request, pk: int):
    access = get_object_or_404(employer.accesses_linked_by(request.user), pk=pk)
    employer.employer_access_revoke(access=access, actor=request.user, request=request)
    messages.success(request, "已撤销。")
    return redirect("accounts:employer_links")


