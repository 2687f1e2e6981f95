from accounts.audit import audit_record
from accounts.models import AuditEvent


class AuditRefusalsMiddleware:
    """Every refused request (403) leaves an audit row with who, where and when."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            audit_record(kind=AuditEvent.Kind.REFUSED, actor=getattr(request, "user", None), request=request,
                         target=request.path, method=request.method)
        return response
