"""Pages of self-registration, password reset and first sign-in (public), and link confirmation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from access import recovery, registration
from access.codes import CodeResult, RateLimited
from access.filters import LinkRequestFilter
from access.models import PhoneCode
from access.registration_forms import (
    CodeAndPasswordForm,
    LinkDecisionForm,
    RegistrationForm,
    ResetRequestForm,
)
from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from accounts.pii import mask_phone
from common.lists import list_page
from notifications import sms

REGISTER_KEY, RESET_KEY = "accounts_register_code", "accounts_reset_code"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
WRONG = "验证码不正确，请核对短信中的6位数字。"
EXPIRED = "验证码已失效（超过有效期、已使用或错误次数过多），请重新获取验证码。"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _minutes() -> int:
    return settings.ACCOUNTS_CODE_TTL_SECONDS // 60


def _code_error(result: CodeResult) -> str:
    return EXPIRED if result is CodeResult.EXPIRED else WRONG


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    """专业技术人员注册: ID number, name, mobile; a code follows by SMS."""
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if form.is_valid():
        try:
            row = registration.registration_start(**form.cleaned_data, ip=client_ip(request))
        except registration.RegistrationError as exc:
            form.add_error(exc.field, str(exc))
        except (RateLimited, sms.SmsError) as exc:
            form.add_error(None, str(exc))
        else:
            request.session[REGISTER_KEY] = row.pk
            return redirect("accounts:register_confirm")
    return render(request, "access/register.html", {"form": form, "demo_sms": sms.is_demo_provider()})


@never_cache
@require_http_methods(["GET", "POST"])
def register_confirm(request):
    pk = request.session.get(REGISTER_KEY)
    if request.user.is_authenticated or not pk:
        return redirect("home" if request.user.is_authenticated else "accounts:register")
    row = PhoneCode.objects.filter(pk=pk).first()
    probe = User(username=row.id_number if row else "", display_name=row.name if row else "")
    form = CodeAndPasswordForm(request.POST or None, user_for_validation=probe)
    if form.is_valid():
        result, user = registration.registration_complete(pk=pk, code=form.cleaned_data["code"],
                                                          password=form.cleaned_data["password1"], request=request)
        if result is CodeResult.ACCEPTED:
            del request.session[REGISTER_KEY]
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, f"注册成功。您的用户名是身份证号码，以后请用它和刚设置的密码登录。"
                                      f"{_link_message(user)}")
            return redirect("home")
        form.add_error("code", _code_error(result))
    masked = mask_phone(row.phone) if row else ""
    return render(request, "access/register_confirm.html",
                  {"form": form, "phone": masked, "demo_sms": sms.is_demo_provider(), "minutes": _minutes()})


def _link_message(user: User) -> str:
    if hasattr(user, "person") and user.person is not None:
        return "已找到您的学时记录。"
    if user.link_requests.filter(status="pending").exists():
        return "您的手机号与学时台账中登记的联系电话不一致，已提交账号关联申请，待所在单位或主管部门确认后即可查看学时。"
    return "暂未找到您的学时记录；学时核定后，下次登录时将自动关联。"


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """找回密码: the same answer whether or not the identifier names an account."""
    form = ResetRequestForm(request.POST or None)
    if form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            row = recovery.reset_start(identifier=form.cleaned_data["identifier"], channel=channel,
                                       ip=client_ip(request), request=request)
        except (RateLimited, sms.SmsError) as exc:
            form.add_error(None, str(exc))
        else:
            request.session[RESET_KEY] = row.pk
            return redirect("accounts:password_reset_code" if channel == recovery.SMS else "accounts:password_reset_sent")
    return render(request, "access/password_reset.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_code(request):
    pk = request.session.get(RESET_KEY)
    if not pk:
        return redirect("accounts:password_reset")
    form = CodeAndPasswordForm(request.POST or None)
    if form.is_valid():
        result = recovery.reset_complete(pk=pk, code=form.cleaned_data["code"],
                                         password=form.cleaned_data["password1"], request=request)
        if result is CodeResult.ACCEPTED:
            del request.session[RESET_KEY]
            messages.success(request, "密码已重置，请用新密码登录。")
            return redirect("login")
        form.add_error("code", _code_error(result))
    return render(request, "access/password_reset_code.html",
                  {"form": form, "demo_sms": sms.is_demo_provider(), "minutes": _minutes()})


def password_reset_sent(request):
    return render(request, "access/password_reset_sent.html")


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The email link: Django's token check, our page, an audit row."""

    template_name = "access/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    audit_channel = "email"
    extra_context = {"title": "设置新密码"}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(kind=AuditEvent.Kind.PASSWORD_RESET, actor=form.user, request=self.request,
                     target=f"user:{form.user.pk}", channel=self.audit_channel)
        return response


class FirstSignIn(PasswordResetConfirm):
    """首次登录: a staff member imported in bulk sets a password through the link sent to them."""

    token_generator = recovery.first_sign_in_tokens
    audit_channel = "first_sign_in"
    extra_context = {"title": "首次登录：设置密码"}


def password_reset_done(request):
    return render(request, "access/password_reset_done.html")


# --- link confirmation by the employer's HR or the authority -------------------------------------------


@login_required
def link_requests(request):
    """账号关联确认: pending requests of persons this user's unit employs or certified."""
    if not request.user.has_role(Role.EMPLOYER_HR, Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有用人单位人事经办人、审核人员和管理员可以确认账号关联。")
    pending = registration.link_requests_visible_to(request.user).filter(status="pending").order_by("requested_at", "pk")
    listing = list_page(request, pending, LinkRequestFilter)
    return render(request, "access/link_requests.html", {"requests": listing.rows, "listing": listing,
                                                         "no_export": True, "form": LinkDecisionForm()})


@login_required
@require_POST
def link_decide(request, pk: int, decision: str):
    link_request = get_object_or_404(registration.link_requests_visible_to(request.user), pk=pk)
    if decision not in ("confirm", "refuse"):
        raise PermissionDenied("未知的操作。")
    form = LinkDecisionForm(request.POST)
    form.is_valid()
    try:
        registration.link_request_decide(link_request=link_request, actor=request.user,
                                         confirm=decision == "confirm", reason=form.cleaned_data.get("reason", ""),
                                         request=request)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已确认账号关联。" if decision == "confirm" else "已退回账号关联申请。")
    return redirect("accounts:link_requests")
