"""POST /api/v1/completions: an online platform's completion records, all or nothing."""

from __future__ import annotations

from ninja import Router

from api.completions import completions_accept
from api.endpoints.common import client_of, plan_to_write
from api.schemas import CompletionsIn, CompletionsOut, Problem

router = Router(tags=["completions"])
ERRORS = {code: Problem for code in (400, 401, 403, 404, 409, 413, 422, 429)}


@router.post("", response={200: CompletionsOut, **ERRORS}, url_name="completions",
             summary="提交网络培训完成记录（每次最多 10000 条，全部通过才接收）")
def completions(request, payload: CompletionsIn):
    client = client_of(request, "completions")
    plan = plan_to_write(client, payload.plan)
    batch, duplicates = completions_accept(client=client, plan=plan, records=payload.records)
    return {"accepted": batch.record_count if batch else 0, "duplicates": duplicates,
            "batch": batch.pk if batch else None}
