"""Two-step verification pages: setting up the authenticator app, and the code asked after the password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from accounts.audit import LOCKOUT_WINDOW
from accounts.forms import SecondFactorCodeForm
from accounts.second_factor import (
    PENDING_KEY,
    SETUP_KEY,
    CodeResult,
    backup_codes_issue,
    backup_codes_left,
    confirmed_device,
    provisioning_uri,
    qr_svg_data_uri,
    second_factor_verify,
    totp_device_confirm,
    totp_device_start,
)
from common.actions import safe_next_url

WRONG_CODE = "验证码不正确或已使用过，请输入验证器中当前显示的6位数字。"
LOCKED = f"验证码错误次数过多，已暂时锁定，请 {int(LOCKOUT_WINDOW.total_seconds()) // 60} 分钟后再试。"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    if not request.user.can_use_second_factor:
        raise PermissionDenied("只有审核人员、巡查抽查人员和系统管理员可以启用两步验证。")
    if confirmed_device(request.user) is not None:
        codes = None
        if request.method == "POST" and request.POST.get("action") == "backup_codes":
            codes = backup_codes_issue(user=request.user)
        return render(request, "registration/second_factor_setup.html",
                      {"enabled": True, "codes": codes, "codes_left": backup_codes_left(request.user)})
    device = totp_device_start(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if form.is_valid():
        result = totp_device_confirm(user=request.user, code=form.cleaned_data["code"], request=request)
        if result is CodeResult.ACCEPTED:
            return _enabled(request, device)
        form.add_error("code", LOCKED if result is CodeResult.LOCKED else WRONG_CODE)
    uri = provisioning_uri(device)
    return render(request, "registration/second_factor_setup.html",
                  {"form": form, "qr": qr_svg_data_uri(uri), "secret": device.secret, "enabled": False,
                   "required": request.session.get(SETUP_KEY, False)})


def _enabled(request, device):
    """Just confirmed: the session counts as verified, and the backup codes are shown this once."""
    codes = backup_codes_issue(user=request.user)
    otp_login(request, device)
    if request.session.pop(SETUP_KEY, None):
        request.session.cycle_key()
    messages.success(request, "两步验证已启用：以后登录时，输入密码后还需输入验证器中的验证码。")
    return render(request, "registration/second_factor_setup.html",
                  {"enabled": True, "codes": codes, "codes_left": len(codes)})


def _next_url(request) -> str:
    return safe_next_url(request, settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify_view(request):
    if not request.session.get(PENDING_KEY):
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if form.is_valid():
        result = second_factor_verify(user=request.user, code=form.cleaned_data["code"], request=request)
        if result is CodeResult.ACCEPTED:
            del request.session[PENDING_KEY]
            request.session.cycle_key()
            return redirect(_next_url(request))
        form.add_error("code", LOCKED if result is CodeResult.LOCKED else WRONG_CODE)
    return render(request, "registration/second_factor_verify.html", {"form": form, "next": _next_url(request)})
