"""Tencent Cloud SMS (腾讯云短信, SendSms 2021-01-11) on the official SDK.

Set `SMS_PROVIDER=notifications.sms_tencent.TencentSmsProvider` with `SMS_TENCENT_SECRET_ID`,
`SMS_TENCENT_SECRET_KEY` and `SMS_TENCENT_APP_ID` (the SmsSdkAppId of the SMS application);
`SMS_TENCENT_REGION` defaults to ap-guangzhou and `SMS_TENCENT_ENDPOINT` to sms.tencentcloudapi.com.
Tencent's templates take their parameters as an ordered list ({1}, {2} …): they are sent in the
order our template (notifications.sms.TEMPLATES) names them.
"""

from __future__ import annotations

from django.conf import settings

from notifications.sms import TEMPLATES, SmsError, template_code_for

DEFAULT_ENDPOINT = "sms.tencentcloudapi.com"
DEFAULT_REGION = "ap-guangzhou"


def ordered_params(template_code: str, params: dict[str, str]) -> list[str]:
    spec = next((t for t in TEMPLATES.values() if template_code_for(t.key) == template_code), None)
    names = spec.params if spec and set(spec.params) == set(params) else tuple(params)
    return [params[name] for name in names]


class TencentSmsProvider:
    def __init__(self, *, secret_id: str | None = None, secret_key: str | None = None, app_id: str | None = None,
                 region: str | None = None, endpoint: str | None = None, scheme: str | None = None,
                 timeout: int = 10):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        secret_id = secret_id or getattr(settings, "SMS_TENCENT_SECRET_ID", "")
        secret_key = secret_key or getattr(settings, "SMS_TENCENT_SECRET_KEY", "")
        self.app_id = app_id or getattr(settings, "SMS_TENCENT_APP_ID", "")
        if not secret_id or not secret_key or not self.app_id:
            raise SmsError("未配置腾讯云短信的密钥或应用（SMS_TENCENT_SECRET_ID、SMS_TENCENT_SECRET_KEY、SMS_TENCENT_APP_ID）。")
        http = HttpProfile(endpoint=endpoint or getattr(settings, "SMS_TENCENT_ENDPOINT", "") or DEFAULT_ENDPOINT,
                           reqTimeout=timeout)
        http.scheme = scheme or getattr(settings, "SMS_TENCENT_SCHEME", "") or "https"
        self.client = sms_client.SmsClient(
            credential.Credential(secret_id, secret_key),
            region or getattr(settings, "SMS_TENCENT_REGION", "") or DEFAULT_REGION,
            ClientProfile(httpProfile=http))

    def send(self, *, phone: str, signature: str, template_code: str, params: dict[str, str]) -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.SmsSdkAppId = self.app_id
        request.SignName = signature
        request.TemplateId = template_code
        request.TemplateParamSet = ordered_params(template_code, params)
        request.PhoneNumberSet = [phone if phone.startswith("+") else f"+86{phone}"]
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as error:
            raise SmsError(f"腾讯云短信发送失败（{error.code}）：{error.message}") from error
        except Exception as error:  # network errors
            raise SmsError(f"腾讯云短信发送失败：{error}") from error
        statuses = response.SendStatusSet or []
        if not statuses or statuses[0].Code != "Ok":
            code = statuses[0].Code if statuses else "无应答"
            message = statuses[0].Message if statuses else ""
            raise SmsError(f"腾讯云短信拒绝发送（{code}）：{message}")
        return statuses[0].SerialNo or response.RequestId or ""
