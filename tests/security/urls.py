"""Every named URL pattern of the project, and concrete kwargs for each from the fixture world."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import World
from workflows.selectors import open_task_of


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, URLPattern]:
    """namespace:name → pattern, walking included resolvers recursively."""
    resolver = resolver or get_resolver()
    found: dict[str, URLPattern] = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            found.update(named_patterns(entry, inner))
        elif entry.name:
            found[f"{namespace}:{entry.name}" if namespace else entry.name] = entry
    return found


def _plan(key):
    return lambda w: {"pk": w.plans[key].pk}


def _obj(key, attr="pk", name="pk"):
    return lambda w: {name: getattr(w.objects[key], attr)}


KWARGS = {
    "card_verify": _obj("card", "code", "code"),
    "filings:plan_detail": _plan("certified"),
    "filings:plan_edit": _plan("draft"),
    "filings:plan_submit": _plan("draft"),
    "filings:plan_withdraw": _plan("submitted"),
    "filings:plan_cancel": _plan("approved"),
    "filings:plan_decide": lambda w: {"pk": w.plans["submitted"].pk, "decision": "approve"},
    "filings:plan_late_exception": _plan("draft"),
    "filings:plan_filing_form_print": _plan("certified"),
    "filings:plan_filing_form_xlsx": _plan("certified"),
    "reviews:claim": _plan("submitted"),
    "reviews:release": _plan("claimed"),
    "reviews:late_request": _plan("draft"),
    "reviews:task_claim": lambda w: {"pk": open_task_of(w.plans["reported"]).pk},
    "reviews:task_release": lambda w: {"pk": open_task_of(w.plans["claimed"]).pk},
    "reviews:late_claim": _obj("late_request"),
    "reviews:late_release": _obj("late_request"),
    "reviews:late_decide": _obj("late_request"),
    "roster:roster_detail": _plan("certified"),
    "roster:template": _plan("awaiting_report"),
    "roster:upload": _plan("awaiting_report"),
    "roster:upload_status": _obj("upload"),
    "roster:upload_confirm": _obj("upload"),
    "roster:upload_marked": _obj("upload"),
    "reports:report_detail": _plan("certified"),
    "reports:attachment_upload": _plan("awaiting_report"),
    "reports:report_submit": _plan("awaiting_report"),
    "reports:attachment_download": _obj("attachment"),
    "reports:attachment_delete": _obj("attachment"),
    "reports:attachment_replace": _obj("attachment"),
    "certification:plan_certification": _plan("certified"),
    "certification:report_accept": _plan("reported"),
    "certification:report_return": _plan("reported"),
    "certification:certify": _plan("accepted"),
    "certification:adjustments_save": _plan("accepted"),
    "certification:adjustments_upload": _plan("accepted"),
    "ledger:batch_download": lambda w: {"pk": w.objects["batch"].pk, "fmt": "json"},
    "ledger:batch_mark_sent": _obj("batch"),
    "ledger:amendment_request": _obj("entry"),
    "ledger:person_detail": _obj("person"),
    "ledger:amendment_decide": lambda w: {"pk": w.objects["amendment"].pk, "decision": "approve"},
    "ledger:application_detail": lambda w: {"kind": "credit", "pk": w.objects["credit"].pk},
    "ledger:application_evidence": lambda w: {"kind": "credit", "pk": w.objects["credit"].pk},
    "ledger:application_decide": lambda w: {"kind": "credit", "pk": w.objects["credit"].pk, "decision": "approve"},
    "ledger:application_resubmit": lambda w: {"kind": "credit", "pk": w.objects["credit_returned"].pk},
    "ledger:application_claim": lambda w: {"kind": "credit", "pk": w.objects["credit"].pk},
    "ledger:application_release": lambda w: {"kind": "circumstance", "pk": w.objects["circumstance"].pk},
    "notifications:mark_read": _obj("notification"),
    "spotchecks:campaign_detail": _obj("campaign_drawn"),
    "spotchecks:campaign_commitment": _obj("campaign_drawn"),
    "spotchecks:campaign_draw": _obj("campaign_open"),
    "spotchecks:redraw_request": _obj("campaign_drawn"),
    "spotchecks:results_approve": _obj("campaign_drawn"),
    "spotchecks:redraw_approve": _obj("redraw"),
    "spotchecks:selection_detail": _obj("selection"),
    "spotchecks:evidence_upload": _obj("selection"),
    "spotchecks:inspection_confirm": _obj("selection"),
    "spotchecks:assignment_reassign": _obj("assignment"),
    "spotchecks:public_detail": _obj("campaign_published"),
    "spotchecks:public_snapshot": lambda w: {"pk": w.objects["campaign_published"].pk, "number": 1},
    "rules:verdict_detail": _obj("person"),
    "accounts:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "accounts:first_sign_in": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "accounts:link_decide": lambda w: {"pk": 999999, "decision": "confirm"},
    "accounts:staff_deactivate": lambda w: {"pk": w.users["owner"].pk},
    "accounts:employer_person": _obj("person"),
    "accounts:employer_link_revoke": lambda w: {"pk": 999999},
    "rules:card_issue": _obj("person"),
    "rules:card_detail": _obj("card", "code", "code"),
    "rules:card_pdf": _obj("card", "code", "code"),
    "rules:card_revoke": _obj("card", "code", "code"),
    "insights:export": lambda w: {"table": "filings_by_month"},
    "api:plan_detail": lambda w: {"filing_no": w.plans["draft"].filing_no},
    "api:plan_submit": lambda w: {"filing_no": w.plans["draft"].filing_no},
    "api:plan_roster": lambda w: {"filing_no": w.plans["awaiting_report"].filing_no},
    "api:person_hours": _obj("person", "id_number", "id_number"),
    "api_clients:client_revoke": _obj("api_client"),
    "api_clients:completion_batch_certify": _obj("completion_batch"),
    "api_clients:completion_batch_return": _obj("completion_batch"),
}


def _admin_kwargs(pattern: URLPattern) -> dict:
    kwargs = {}
    for name in pattern.pattern.regex.groupindex:
        if name == "app_label":
            kwargs[name] = re.search(r"\(\?P<app_label>([\w]+)", pattern.pattern.regex.pattern).group(1)
        else:
            kwargs[name] = "1"
    return kwargs


def kwargs_for(url_name: str, pattern: URLPattern, world: World) -> dict:
    if url_name in KWARGS:
        return KWARGS[url_name](world)
    if url_name.startswith("admin:"):
        return _admin_kwargs(pattern)
    return {}


def url_of(url_name: str, pattern: URLPattern, world: World) -> str:
    return reverse(url_name, kwargs=kwargs_for(url_name, pattern, world) or None)
