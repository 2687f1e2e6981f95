"""学时审验 pages: the title office's batch, a verdict explained, the professional's own view, audit cards."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.models import AuditEvent, Role
from ledger.models import Person
from ledger.selectors import hours_by_year, person_of, person_region
from rules import cards, ledger_source
from rules.cards import batch
from rules.cards.explain import explain, same_day_next_year
from rules.eligibility import LEVELS, parse_review
from rules.engine import EligibilityInputError, Review
from rules.engine.types import KIND_LABELS, LEVEL_LABELS
from rules.models import AuditCard
from sheets.cells import XLSX_TYPE

STAFF_ROLES = (Role.TITLE_OFFICE, Role.REVIEWER, Role.ADMIN)
ISSUER_ROLES = (Role.REVIEWER, Role.ADMIN)
REVIEW_CHOICES = {"kinds": list(KIND_LABELS.items()), "levels": list(LEVEL_LABELS.items())}


def _require(user, roles, message: str) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied(message)


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266 (filename*=UTF-8''…): the Chinese file names would otherwise go out MIME-encoded, which
    # browsers do not read as an attachment, so the PDF opened in the viewer instead of downloading.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def eligibility_batch(request):
    """批量审验: upload the applicant list, see each verdict; the last result stays for download."""
    _require(request.user, STAFF_ROLES, "只有职称评审办公室、审核人员和管理员可以批量审验学时。")
    errors = []
    if request.method == "POST":
        try:
            applicants = batch.read_applicants(request.FILES.get("file") or _no_file(), today=timezone.localdate())
        except ValidationError as error:
            errors = error.messages
        else:
            persons = ledger_source.persons_visible_to(request.user)
            batch.batch_result_store(user=request.user,
                                     rows=batch.batch_evaluate(applicants=applicants, persons_qs=persons))
            return redirect("rules:eligibility_batch")
    rows = batch.batch_result_rows(request.user)
    for row in rows:
        row["verdict_text"], row["years_text"] = batch.verdict_text(row), batch.years_text(row)
    return render(request, "rules/batch.html", {"rows": rows, "errors": errors})


def _no_file():
    raise ValidationError("请选择要上传的申报人员名单（.xlsx）。")


@login_required
def eligibility_template(request):
    _require(request.user, STAFF_ROLES, "只有职称评审办公室、审核人员和管理员可以批量审验学时。")
    return _attachment(batch.template_bytes(), "学时审验申报人员名单模板.xlsx", XLSX_TYPE)


@login_required
def eligibility_batch_download(request):
    """The verdicts as .xlsx, with the full ID numbers the office uploaded; the export is logged."""
    _require(request.user, STAFF_ROLES, "只有职称评审办公室、审核人员和管理员可以导出审验结果。")
    rows = batch.batch_result_rows(request.user)
    if not rows:
        messages.error(request, "没有可导出的审验结果，请先上传申报人员名单。")
        return redirect("rules:eligibility_batch")
    audit_record(kind=AuditEvent.Kind.EXPORT, actor=request.user, request=request, target="学时审验结果",
                 rows=len(rows))
    return _attachment(batch.result_bytes(rows), "学时审验结果.xlsx", XLSX_TYPE)


def _review_from_query(query, person: Person) -> Review:
    """Kind, level, date and region from the query; a kind's first level when none is given; without a
    region, the rules of the person's employer's division."""
    kind = query.get("kind") or "title_review"
    levels = LEVELS.get(kind, ())
    raw = {"kind": kind, "level": query.get("level") or (levels[0] if levels else None),
           "date": query.get("date") or timezone.localdate().isoformat(),
           "region": query.get("region") or person_region(person)}
    return parse_review(raw)


@login_required
def verdict_detail(request, pk: int):
    """审验说明: one person's verdict from the ledger, line by line (review in the query string)."""
    _require(request.user, STAFF_ROLES, "只有职称评审办公室、审核人员和管理员可以查看他人的审验说明。")
    person = get_object_or_404(ledger_source.persons_visible_to(request.user), pk=pk)
    try:
        review = _review_from_query(request.GET, person)
    except EligibilityInputError as exc:
        return render(request, "rules/verdict_detail.html",
                      {"person": person, "query_error": exc.message, **REVIEW_CHOICES}, status=400)
    context = {"person": person, "x": explain(person=person, review=review), "region": request.GET.get("region", ""),
               "can_issue": request.user.has_role(*ISSUER_ROLES), **REVIEW_CHOICES}
    return render(request, "rules/verdict_detail.html", context)


def _own_person(user) -> Person | None:
    _require(user, (Role.PROFESSIONAL,), "只有专业技术人员可以查看本人的学时审验。")
    return person_of(user)


def _own_reviews(today: date, region: str) -> list[Review]:
    days = (today, same_day_next_year(today))
    return [Review(kind="title_review", level=level, date=day, region=region) for day in days
            for level in ("senior", "intermediate", "junior")]


@login_required
def my_eligibility(request):
    """我的学时审验: hours year by year and what this and next year's title reviews would require."""
    person = _own_person(request.user)
    context = {"person": person, "years": [], "explanations": []}
    if person is not None:
        context["years"] = hours_by_year(person)
        context["explanations"] = [explain(person=person, review=r) for r in _own_reviews(timezone.localdate(), person_region(person))]
        context["cards"] = person.audit_cards.all()[:20]
    context["this_year"] = timezone.localdate().year
    return render(request, "rules/my_eligibility.html", context)


def _issue(request, person: Person):
    try:
        year, scope = int(request.POST.get("year", "")), request.POST.get("scope", "year")
        card = cards.card_issue(person=person, year=year, scope="title" if scope == "title" else "year",
                                actor=request.user, request=request)
    except ValueError as exc:
        messages.error(request, str(exc) if isinstance(exc, cards.CardError) else "请填写正确的年度。")
        return None
    messages.success(request, f"已出具审验卡，验证码 {card.code}。")
    return card


@login_required
@require_POST
def my_card_issue(request):
    person = _own_person(request.user)
    if person is None:
        raise PermissionDenied("您的账号尚未关联专业技术人员档案。")
    card = _issue(request, person)
    return redirect("rules:card_detail", code=card.code) if card else redirect("rules:my_eligibility")


@login_required
@require_POST
def card_issue(request, pk: int):
    _require(request.user, ISSUER_ROLES, "只有审核人员和管理员可以出具审验卡。")
    person = get_object_or_404(ledger_source.persons_visible_to(request.user), pk=pk)
    card = _issue(request, person)
    return redirect("rules:card_detail", code=card.code) if card else redirect("rules:verdict_detail", pk=pk)


def _verify_url(request, card: AuditCard) -> str:
    return request.build_absolute_uri(reverse("card_verify", args=[card.code]))


def _visible_card(request, code: str) -> AuditCard:
    return get_object_or_404(cards.cards_visible_to(request.user), code=code)


@login_required
def card_detail(request, code: str):
    """审验卡打印页 (HTML print view)."""
    card = _visible_card(request, code)
    return HttpResponse(cards.card_html(card, _verify_url(request, card), request=request))


@login_required
def card_pdf(request, code: str):
    card = _visible_card(request, code)
    pdf = cards.card_pdf(card, _verify_url(request, card))
    return _attachment(pdf, f"继续教育审验卡-{card.code}.pdf", "application/pdf")


@login_required
@require_POST
def card_revoke(request, code: str):
    _require(request.user, ISSUER_ROLES, "只有审核人员和管理员可以作废审验卡。")
    card = cards.card_revoke(card=_visible_card(request, code), actor=request.user, request=request)
    messages.success(request, f"审验卡 {card.code} 已作废。")
    return redirect("rules:verdict_detail", pk=card.person_id)


def card_verify(request, code: str):
    """审验卡核验 (public, no sign-in): genuine and valid, revoked, no longer holding, or forged."""
    card = AuditCard.objects.filter(code=code.strip().upper()).select_related("person").first()
    if card is None:
        return render(request, "rules/card_verify.html", {"status": "forged", "code": code}, status=404)
    years = [{"year": int(y), **facts} for y, facts in sorted(card.snapshot["years"].items())]
    context = {"status": str(cards.card_status(card)), "card": card, "s": card.snapshot, "years": years,
               "issued_on": timezone.localtime(card.issued_at).date()}
    return render(request, "rules/card_verify.html", context)
