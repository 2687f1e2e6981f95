"""Error pages in Chinese.

400/403/404 render inside the base layout and say why when our own code gave a reason (our messages are
Chinese; Django's built-in ones, such as get_object_or_404's, are English and are not shown). A 500 is
rendered without a request context, since the database may be what failed; when it did (the server
is restarting or unreachable) the answer is 503 with Retry-After, not 500: the request can be repeated.
"""

from __future__ import annotations

import re
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

CJK = re.compile(r"[\u4e00-\u9fff]")
RETRY_AFTER_SECONDS = 15


def _reason(exception) -> str:
    text = str(exception or "")
    if exception is not None and getattr(exception, "args", None) and isinstance(exception.args[0], str):
        text = exception.args[0]
    return text if CJK.search(text) else ""


def bad_request(request, exception=None):
    return render(request, "errors/error.html", {"title": "请求有误", "code": 400, "reason": _reason(exception),
                                                 "hint": "请返回上一页检查填写的内容后重试。"}, status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/error.html", {"title": "无权进行此操作", "code": 403, "reason": _reason(exception),
                                                 "hint": "如需办理，请联系本单位或主管部门的相关人员。"}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/error.html", {"title": "页面不存在", "code": 404, "reason": _reason(exception),
                                                 "hint": "页面不存在，或您无权查看该内容。"}, status=404)


def server_error(request):
    failure = sys.exc_info()[1]
    if isinstance(failure, (OperationalError, InterfaceError)):
        page = loader.get_template("errors/503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
