"""API clients: create (token shown once, only its hash kept), revoke, and who may manage them.

Each client acts through its own technical user (role organiser, of the client's organisation, no
password), so the API reaches the same services, permission checks and audit rows as the web.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from api.models import ApiClient, Scope
from api.webhooks import check_webhook_url
from jurisdiction.models import Organisation
from jurisdiction.selectors import supervising_authority

TOKEN_PREFIX = "jxjy_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_scopes(raw: str | list[str]) -> list[str]:
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    scopes = [s.strip() for s in items if s.strip()]
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown or not scopes:
        raise ValidationError(f"权限范围无效：{'、'.join(unknown) or '（空）'}；可选 {', '.join(Scope.values)}。")
    return sorted(set(scopes), key=Scope.values.index)


def can_manage_clients(user: User, organisation: Organisation) -> bool:
    """Administrators, and reviewers of the organisation's supervising authority."""
    if not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.role != Role.REVIEWER:
        return False
    try:
        return user.organisation_id == supervising_authority(organisation).pk
    except Organisation.DoesNotExist:
        return False


def organisations_managed_by(user: User):
    orgs = Organisation.objects.filter(is_active=True).select_related("division")
    if user.is_superuser or user.role == Role.ADMIN:
        return orgs
    if user.role != Role.REVIEWER or user.organisation_id is None:
        return orgs.none()
    below = orgs.filter(division__path__startswith=user.organisation.division.path)
    return orgs.filter(pk__in=[o.pk for o in below if can_manage_clients(user, o)])


@transaction.atomic
def client_create(*, organisation: Organisation, name: str, scopes: list[str], actor: User | None = None,
                  webhook_url: str = "") -> tuple[ApiClient, str, str]:
    """Return the client, its token and its webhook secret (both shown once: only the token's hash is kept)."""
    if actor is not None and not can_manage_clients(actor, organisation):
        raise PermissionDenied("只有系统管理员或该单位的主管人社部门可以为其创建接口客户端。")
    if not name.strip():
        raise ValidationError({"name": "请填写客户端名称。"})
    if webhook_url:
        check_webhook_url(webhook_url)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    secret = secrets.token_hex(32) if webhook_url else ""
    user = User(username=f"api-{secrets.token_hex(8)}", role=Role.ORGANISER, organisation=organisation,
                display_name=f"接口：{name.strip()}"[:40])
    user.set_unusable_password()
    user.save()
    client = ApiClient(organisation=organisation, name=name.strip(), scopes=parse_scopes(scopes),
                       token_hash=token_hash(token), token_prefix=token[:12], service_user=user,
                       created_by=actor, webhook_url=webhook_url, webhook_secret=secret)
    client.full_clean(exclude=["service_user", "token_hash"])
    client.save()
    audit_record(kind=AuditEvent.Kind.EXPORT, actor=actor, target=f"接口客户端 {client.pk}", action="api_client_created",
                 organisation=organisation.pk, scopes=client.scopes)
    return client, token, secret


@transaction.atomic
def client_revoke(*, client: ApiClient, actor: User) -> bool:
    if not can_manage_clients(actor, client.organisation):
        raise PermissionDenied("只有系统管理员或该单位的主管人社部门可以吊销其接口客户端。")
    revoked = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor)
    if revoked:
        User.objects.filter(pk=client.service_user_id).update(is_active=False)
        audit_record(kind=AuditEvent.Kind.REVOCATION, actor=actor, target=f"接口客户端 {client.pk}",
                     action="api_client_revoked")
    return bool(revoked)


@transaction.atomic
def client_webhook_set(*, client: ApiClient, actor: User, url: str) -> str:
    """Register (or clear, with an empty URL) the client's webhook; returns the new secret, shown once."""
    if not can_manage_clients(actor, client.organisation):
        raise PermissionDenied("只有系统管理员或该单位的主管人社部门可以设置回调地址。")
    url = url.strip()
    if url:
        check_webhook_url(url)
    secret = secrets.token_hex(32) if url else ""
    ApiClient.objects.filter(pk=client.pk).update(webhook_url=url, webhook_secret=secret)
    return secret


def client_for_token(token: str) -> ApiClient | None:
    if not token or len(token) > 200:
        return None
    return (ApiClient.objects.select_related("organisation__division", "service_user")
            .filter(token_hash=token_hash(token)).first())
