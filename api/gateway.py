"""What every request under /api/v1/ passes before and after its endpoint, in this order:

1. body size (413) — read here once, so no endpoint reads more than the limit;
2. the bearer token (401), except for the OpenAPI document and the docs page;
3. the client's rate limit (429 with Retry-After);
4. the Idempotency-Key (replay, 409 for a different request, 409 with Retry-After while running);
5. after the endpoint: any error not yet problem+json becomes one; the request is logged with its client.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from django.utils import timezone

from api.clients import client_for_token
from api.models import ApiClient, ApiRequestLog, IdempotencyKey
from api.problems import CONTENT_TYPE, error_row, problem_response

logger = logging.getLogger(__name__)
PREFIX = "/api/v1/"
PUBLIC_PATHS = ("/api/v1/openapi.json", "/api/v1/docs")
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,64}$")
KEY_TTL_SECONDS = 24 * 3600
STALE_RUNNING_SECONDS = 600
RUNNING_RETRY_AFTER = 2
KEPT_HEADERS = ("Location", "Retry-After")


def unavailable() -> HttpResponse:
    return problem_response(503, "数据库暂时无法连接，请求没有被处理，也没有保存任何内容。请约 15 秒后重试。",
                            headers={"Retry-After": "15"})


def max_body_bytes() -> int:
    return getattr(settings, "API_MAX_BODY_BYTES", 8 * 1024 * 1024)


class ApiGatewayMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        request.api_client = None
        try:
            response = _as_problem(self._guarded(request))
        except OperationalError:
            logger.exception("API request %s %s: database unavailable", request.method, request.path)
            return unavailable()
        try:
            _log(request, response, started, getattr(request, "_api_idempotency_key", ""))
        except DatabaseError:
            logger.exception("API request log not written for %s %s", request.method, request.path)
        return response

    def _guarded(self, request) -> HttpResponse:
        refusal = _read_body(request)
        if refusal is not None:
            return refusal
        if request.path.rstrip("/") in PUBLIC_PATHS:
            return self.get_response(request)
        client = _authenticate(request)
        if client is None:
            return problem_response(401, "缺少有效的访问令牌：请在请求头中提供 Authorization: Bearer <令牌>；"
                                         "令牌无效或已被吊销时请联系主管部门重新签发。",
                                    headers={"WWW-Authenticate": 'Bearer realm="jxjy"'})
        request.api_client = client
        wait = _rate_limited(client)
        if wait:
            return problem_response(429, f"请求过于频繁：每分钟最多 {client.rate_limit_per_minute} 次，"
                                         f"请 {wait} 秒后重试。", headers={"Retry-After": str(wait)})
        refusal = _refuse_unstorable(request.body)
        if refusal is not None:
            return refusal
        if request.method in ("POST", "PUT") and "HTTP_IDEMPOTENCY_KEY" in request.META:
            return _idempotent(request, client, self.get_response)
        return self.get_response(request)


def _read_body(request) -> HttpResponse | None:
    limit = max_body_bytes()
    too_big = problem_response(413, f"请求体过大：不能超过 {limit // 1024 // 1024} MB。"
                                    "完成记录每次最多 10000 条，请分批提交。")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return problem_response(400, "请求头 Content-Length 无效。")
    if declared > limit:
        return too_big
    body = request.read(limit + 1) if request.method in ("POST", "PUT", "PATCH", "DELETE") else b""
    if len(body) > limit:
        return too_big
    request._body = body
    return None


# JSON can only produce NUL or a lone surrogate through a \u escape; bodies without one skip the walk.
SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_text(value, path=()) -> tuple | None:
    """The path (keys and list indexes) of the first string, or key, the database cannot store."""
    if isinstance(value, str):
        return path if UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = (path + (key,)) if UNSTORABLE.search(key) else unstorable_text(item, path + (key,))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = unstorable_text(item, path + (index,))
            if found is not None:
                return found
    return None


def _refuse_unstorable(body: bytes) -> HttpResponse | None:
    if not SUSPECT_ESCAPE.search(body):
        return None
    try:
        path = unstorable_text(json.loads(body))
    except ValueError:
        return None  # malformed JSON: the endpoint answers 400 for it
    if path is None:
        return None
    index = next((p for p in reversed(path) if isinstance(p, int)), None)
    field = next((p for p in reversed(path) if isinstance(p, str)), None)
    where = ".".join(str(p) for p in path) or "请求"
    return problem_response(400, "请求中含有无法保存的字符（NUL 或不成对的 UTF-16 代理字符），请删除后重试。",
                            [error_row(index + 1 if index is not None else None, field,
                                       f"{where}：含有无法保存的字符")])


def _authenticate(request) -> ApiClient | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    client = client_for_token(token.strip())
    if client is None or not client.is_active or not client.service_user.is_active:
        return None
    return client


def _rate_limited(client: ApiClient) -> int:
    """Fixed one-minute windows in the "api" cache (Redis when configured); the seconds to wait, or 0."""
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{client.token_hash[:16]}:{window}"
    cache = caches["api"]
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= client.rate_limit_per_minute:
        return 0
    return max(1, math.ceil((window + 1) * 60 - now))


def _fingerprint(request) -> str:
    try:
        body = json.dumps(json.loads(request.body), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (ValueError, UnicodeDecodeError):
        body = request.body.hex()
    text = f"{request.method}\n{request.get_full_path()}\n{body}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _claim(client: ApiClient, key: str, fingerprint: str) -> tuple[bool, IdempotencyKey | None]:
    """Insert the key as running; (True, row) for the first use, else (False, the existing row or None)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(client=client, key=key, fingerprint=fingerprint, created_at=now)
        return True, row
    except IntegrityError:
        pass
    existing = IdempotencyKey.objects.filter(client=client, key=key).first()
    if existing is None:
        return False, None
    expired = existing.created_at < now - timezone.timedelta(seconds=KEY_TTL_SECONDS)
    stale = existing.finished_at is None and existing.created_at < now - timezone.timedelta(
        seconds=STALE_RUNNING_SECONDS)
    if expired or stale:
        # Conditional delete: of two requests reviving the same key, only one deletes and re-inserts.
        if IdempotencyKey.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()[0]:
            return _claim(client, key, fingerprint)
    return False, existing


def _idempotent(request, client: ApiClient, get_response) -> HttpResponse:
    key = request.META["HTTP_IDEMPOTENCY_KEY"]
    if not KEY_PATTERN.match(key):
        return problem_response(400, "Idempotency-Key 无效：应为 1 至 64 个可见 ASCII 字符。")
    request._api_idempotency_key = key
    fingerprint = _fingerprint(request)
    claimed, row = _claim(client, key, fingerprint)
    if not claimed:
        return _repeat(row, fingerprint)
    try:
        response = get_response(request)
    except BaseException:
        IdempotencyKey.objects.filter(pk=row.pk).delete()
        raise
    if response.status_code >= 500 or getattr(response, "streaming", False):
        IdempotencyKey.objects.filter(pk=row.pk).delete()
        return response
    response = _as_problem(response)
    IdempotencyKey.objects.filter(pk=row.pk).update(
        finished_at=timezone.now(), status=response.status_code, content_type=response.get("Content-Type", ""),
        headers={h: response[h] for h in KEPT_HEADERS if h in response}, body=bytes(response.content))
    return response


def _repeat(row: IdempotencyKey | None, fingerprint: str) -> HttpResponse:
    if row is None or row.finished_at is None:
        return problem_response(409, "使用相同 Idempotency-Key 的请求仍在处理中，请稍后重试。",
                                headers={"Retry-After": str(RUNNING_RETRY_AFTER)})
    if row.fingerprint != fingerprint:
        return problem_response(409, "该 Idempotency-Key 已用于另一个请求（方法、路径或请求体不同）："
                                     "新的请求请使用新的 Idempotency-Key。")
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type or None)
    for name, value in row.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


GENERIC = {404: "请求的地址不存在，请核对路径。", 405: "该地址不支持此请求方法。"}


def _as_problem(response: HttpResponse) -> HttpResponse:
    """Django's own 404/405/500 pages under /api/v1/ become problem+json too."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(CONTENT_TYPE):
        return response
    status = response.status_code
    detail = GENERIC.get(status, "服务器处理请求时出错，请稍后重试；如仍失败请联系管理员。")
    headers = {h: response[h] for h in ("Allow", "Retry-After", "WWW-Authenticate") if h in response}
    return problem_response(status, detail, headers=headers)


def _log(request, response: HttpResponse, started: float, key: str) -> None:
    ApiRequestLog.objects.create(
        client=getattr(request, "api_client", None), method=request.method[:8], path=request.path[:300],
        status=response.status_code, duration_ms=int((time.monotonic() - started) * 1000),
        ip=request.META.get("REMOTE_ADDR") or None, idempotency_key=key)
