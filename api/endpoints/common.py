"""Helpers every endpoint uses: the scope check, the client's plans, opaque cursors."""

from __future__ import annotations

import base64
import json

from django.db.models import Max
from django.db.models.functions import Coalesce

from api.models import ApiClient
from api.problems import ApiProblem
from filings.models import TrainingPlan


def client_of(request, scope: str) -> ApiClient:
    client: ApiClient = request.api_client
    if not client.has_scope(scope):
        raise ApiProblem(403, f"该客户端没有“{scope}”权限范围，请联系主管部门调整客户端的权限。")
    return client


def plans_with_updates():
    return (TrainingPlan.objects.select_related("organiser__division", "report")
            .prefetch_related("teachers")
            .annotate(updated_at=Coalesce(Max("transitions__at"), "created_at")))


def plan_to_read(client: ApiClient, filing_no: str) -> TrainingPlan:
    """Another organisation's plan reads as missing: its existence is not revealed."""
    plan = plans_with_updates().filter(filing_no=filing_no, organiser=client.organisation).first()
    if plan is None:
        raise ApiProblem(404, f"未找到备案编号为“{filing_no}”的本单位培训计划。")
    return plan


def plan_to_write(client: ApiClient, filing_no: str) -> TrainingPlan:
    plan = TrainingPlan.objects.select_related("organiser__division").filter(filing_no=filing_no).first()
    if plan is None:
        raise ApiProblem(404, f"未找到备案编号为“{filing_no}”的培训计划。")
    if plan.organiser_id != client.organisation_id:
        raise ApiProblem(403, "该培训计划不属于本客户端所在单位，不能操作。")
    return plan


def encode_cursor(values: dict) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str, keys: tuple[str, ...]) -> dict:
    try:
        padded = text + "=" * (-len(text) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(values, dict) or any(type(values.get(k)) is not int or values[k] < 0 for k in keys):
            raise ValueError
        return values
    except (ValueError, UnicodeError, TypeError):
        raise ApiProblem(400, "cursor 无效：请使用上一次响应返回的 cursor，不要自行拼写。") from None
