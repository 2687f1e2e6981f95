"""The NinjaAPI of /api/v1/: bearer auth (the gateway middleware has already resolved the client),
problem+json for every error, and the routers of each area."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from api.clients import client_for_token
from api.gateway import unavailable
from api.problems import CONTENT_TYPE, ApiProblem, error_row, from_exception, problem_response
from rules.selectors import NoRuleSetInForce

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    """Authorization: Bearer TOKEN. The gateway answered 401 already; this names the scheme in the document."""

    def authenticate(self, request, token):
        client = getattr(request, "api_client", None) or client_for_token(token)
        if client is None or not client.is_active:
            return None
        request.api_client = client
        return client


class ProblemAwareNinjaAPI(NinjaAPI):
    """The document says what the service sends: errors are application/problem+json."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status) >= "400" and "application/json" in content:
                        content[CONTENT_TYPE] = content.pop("application/json")
        return schema


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese as UTF-8, as the contract says, not \u escapes


api = ProblemAwareNinjaAPI(
    title="内蒙古专业技术人员继续教育 开放接口",
    version="1",
    description="培训平台、继续教育基地与人才信息库对接接口（契约见 shared/contracts/api.md）。"
                "除 /openapi.json 与 /docs 外均须 `Authorization: Bearer <令牌>`。错误均为 application/problem+json。",
    urls_namespace="api",
    auth=BearerToken(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    renderer=Utf8JSONRenderer(),
    openapi_url="/openapi.json",
)


def _pydantic_rows(errors: list[dict]) -> list[dict]:
    rows = []
    for problem in errors:
        loc = [part for part in problem.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        index = next((part for part in loc if isinstance(part, int)), None)
        names = [str(part) for part in loc if isinstance(part, str)]
        message = problem.get("msg", "值无效")
        rows.append(error_row(index + 1 if index is not None else None, names[-1] if names else None,
                              f"{'.'.join(str(p) for p in loc) or '请求'}：{message}"))
    return rows


@api.exception_handler(NinjaValidationError)
def _wrong_type(request, exc):
    return problem_response(400, "请求数据的字段或类型不正确：请按接口文档（/api/v1/docs）修改后重试。",
                            _pydantic_rows(exc.errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(401, "缺少有效的访问令牌。", headers={"WWW-Authenticate": 'Bearer realm="jxjy"'})


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:
        return problem_response(400, "请求体不是有效的 JSON（须为 UTF-8 编码的 JSON 对象），请检查后重试。")
    return problem_response(exc.status_code, str(exc))


@api.exception_handler(ApiProblem)
def _problem(request, exc):
    return from_exception(exc)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem_response(403, str(exc) or "无权执行此操作。")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(404, "未找到该资源（或无权查看）。")


def validation_rows(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [error_row(None, field, message) for field, errors in exc.message_dict.items() for message in errors]
    return [error_row(None, None, message) for message in exc.messages]


@api.exception_handler(DjangoValidationError)
def _rule_broken(request, exc):
    rows = validation_rows(exc)
    return problem_response(422, "；".join(row["message"] for row in rows) or "数据不符合规则。", rows)


@api.exception_handler(NoRuleSetInForce)
def _no_rules(request, exc):
    return problem_response(422, f"{exc}请核对培训时间。", [error_row(None, "starts_at", str(exc))])


@api.exception_handler(OperationalError)
def _database_down(request, exc):
    logger.exception("API request %s %s: database unavailable", request.method, request.path)
    return unavailable()


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API request %s %s failed", request.method, request.path)
    return problem_response(500, "服务器处理请求时出错，请稍后重试；如仍失败请联系管理员。")


from api.endpoints import completions, ledger, plans  # noqa: E402  (routers register on `api`)

api.add_router("/plans", plans.router)
api.add_router("/completions", completions.router)
api.add_router("", ledger.router)
