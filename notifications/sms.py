"""SMS through a provider, the way Chinese SMS gateways work: a registered signature (短信签名), a
template approved in advance (短信模板, named by the provider's template code) and its parameters.

Free text is never sent. Each message the system can send is a `SmsTemplate` here, with the names of
its parameters and the text it was approved with (used by the logging provider and in tests); which
template code the provider knows it by comes from the environment (`SMS_TEMPLATE_CODES`), because
every provider account registers its own.

The provider is chosen by `SMS_PROVIDER` (a dotted path). The embedded default,
`LoggingSmsProvider`, writes the message to the log instead of sending it: the demo's registration
page says so. An adapter for a real gateway (Alibaba Cloud, Tencent Cloud …) implements `send` with
the same arguments and raises `SmsError` when the gateway refuses.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_PROVIDER = "notifications.sms.LoggingSmsProvider"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Gateways limit a variable's length (Alibaba Cloud: 35 characters for most kinds).
MAX_PARAM_LENGTH = 35


class SmsError(Exception):
    """The provider refused or could not be reached; the message says why, in Chinese."""


@dataclass(frozen=True)
class SmsTemplate:
    key: str
    params: tuple[str, ...]
    text: str  # the approved wording, with ${name} placeholders as the providers write them

    def render(self, params: dict[str, str]) -> str:
        text = self.text
        for name, value in params.items():
            text = text.replace("${" + name + "}", value)
        return text


TEMPLATES = {t.key: t for t in (
    SmsTemplate("verification", ("code", "minutes"),
                "您的验证码为${code}，${minutes}分钟内有效。如非本人操作，请忽略本短信。"),
    SmsTemplate("account_exists", ("site",),
                "有人使用您的身份证号码申请注册，该号码已有账号。如需找回，请在${site}登录页选择“忘记密码”。"),
    SmsTemplate("password_reset", ("code", "minutes"),
                "您正在重置密码，验证码为${code}，${minutes}分钟内有效。如非本人操作，请忽略本短信。"),
    SmsTemplate("staff_welcome", ("name", "link"),
                "${name}，已为您开通继续教育管理系统账号，请打开${link}设置密码后登录。"),
    # The notification pipeline's SMS channel (notifications.channels.send_sms).
    SmsTemplate("deadline_reminder", ("item", "when"),
                "您有继续教育事项“${item}”${when}，请登录系统办理。"),
    SmsTemplate("decision_notice", ("item",),
                "您有一条继续教育系统消息：${item}，请登录系统查看。"),
)}


def clip(value: str, limit: int = MAX_PARAM_LENGTH) -> str:
    """A parameter cut to the gateway's limit, marked with an ellipsis when cut."""
    return value if len(value) <= limit else value[:limit - 1] + "…"


class SmsProvider(Protocol):
    def send(self, *, phone: str, signature: str, template_code: str, params: dict[str, str]) -> str:
        """Send one message; return the provider's message id; raise SmsError when refused."""


class LoggingSmsProvider:
    """The embedded default: the message goes to the log (a demo reads its codes there)."""

    is_demo = True

    def send(self, *, phone: str, signature: str, template_code: str, params: dict[str, str]) -> str:
        template = next((t for t in TEMPLATES.values() if template_code_for(t.key) == template_code), None)
        text = template.render(params) if template else repr(params)
        logger.info("SMS to %s 【%s】 %s: %s", phone, signature, template_code, text)
        return f"log-{template_code}"


def provider() -> SmsProvider:
    return import_string(getattr(settings, "SMS_PROVIDER", "") or DEFAULT_PROVIDER)()


def is_demo_provider() -> bool:
    """True when messages only reach the log: the pages then tell the user where to look."""
    return bool(getattr(provider(), "is_demo", False))


def template_code_for(key: str) -> str:
    """The provider's code for one of our templates: SMS_TEMPLATE_CODES, else the key itself."""
    return (getattr(settings, "SMS_TEMPLATE_CODES", None) or {}).get(key, key)


def sms_send(*, phone: str, template: str, params: dict[str, object]) -> str:
    """Send one of TEMPLATES to a mainland mobile number; the parameters must be exactly the template's."""
    spec = TEMPLATES.get(template)
    if spec is None:
        raise ValueError(f"没有名为 {template} 的短信模板。")
    values = {name: str(value) for name, value in params.items()}
    if set(values) != set(spec.params):
        raise ValueError(f"短信模板 {template} 的参数应为 {', '.join(spec.params)}，收到 {', '.join(sorted(values))}。")
    too_long = [name for name, value in values.items() if len(value) > MAX_PARAM_LENGTH and name != "link"]
    if too_long:
        raise ValueError(f"短信模板 {template} 的参数 {', '.join(too_long)} 超过 {MAX_PARAM_LENGTH} 个字符。")
    if not MOBILE.match(phone or ""):
        raise SmsError("手机号码格式不正确，无法发送短信。")
    return provider().send(phone=phone, signature=getattr(settings, "SMS_SIGNATURE", "继续教育"),
                           template_code=template_code_for(template), params=values)
