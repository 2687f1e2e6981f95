"""application/problem+json (RFC 9457) for every error the API answers."""

from __future__ import annotations

import json

from django.http import HttpResponse

CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "请求格式有误", 401: "未认证", 403: "无权操作", 404: "未找到", 405: "不支持的请求方法",
    409: "状态冲突", 413: "请求体过大", 415: "不支持的内容类型", 422: "数据不符合规则", 429: "请求过于频繁",
    500: "服务器内部错误", 503: "服务暂不可用",
}
TYPES = {
    400: "malformed", 401: "unauthenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    409: "conflict", 413: "payload-too-large", 415: "unsupported-media-type", 422: "rule-violation",
    429: "rate-limited", 500: "server-error", 503: "unavailable",
}
TYPE_BASE = "https://jxjy.nmg.gov.cn/api/problems/"


class ApiProblem(Exception):
    """Raised anywhere inside an endpoint; answered as problem+json with the given status."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors or [], headers or {}


def error_row(row: int | None, field: str | None, message: str) -> dict:
    return {"row": row, "field": field, "message": message}


def problem_body(status: int, detail: str, errors: list[dict] | None = None) -> dict:
    return {"type": TYPE_BASE + TYPES.get(status, "error"), "title": TITLES.get(status, "错误"), "status": status,
            "detail": detail, "errors": errors or []}


def problem_response(status: int, detail: str, errors: list[dict] | None = None,
                     headers: dict[str, str] | None = None) -> HttpResponse:
    body = json.dumps(problem_body(status, detail, errors), ensure_ascii=False).encode("utf-8")
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_exception(problem: ApiProblem) -> HttpResponse:
    return problem_response(problem.status, problem.detail, problem.errors, problem.headers)
