"""Alibaba Cloud SMS (阿里云短信服务, Dysmsapi 2017-05-25 SendSms) on the official SDK.

Set `SMS_PROVIDER=notifications.sms_aliyun.AliyunSmsProvider` with `SMS_ALIYUN_ACCESS_KEY_ID` and
`SMS_ALIYUN_ACCESS_KEY_SECRET` (a RAM user allowed dysms:SendSms); `SMS_ALIYUN_ENDPOINT` defaults to
dysmsapi.aliyuncs.com (HTTPS). The signature and the template code are the ones registered in the
Alibaba Cloud console (SMS_SIGNATURE, SMS_TEMPLATE_CODES); the parameters go as the template's JSON.
"""

from __future__ import annotations

import json

from django.conf import settings

from notifications.sms import SmsError

DEFAULT_ENDPOINT = "dysmsapi.aliyuncs.com"


class AliyunSmsProvider:
    def __init__(self, *, access_key_id: str | None = None, access_key_secret: str | None = None,
                 endpoint: str | None = None, protocol: str | None = None, timeout_ms: int = 10_000):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as openapi

        key_id = access_key_id or getattr(settings, "SMS_ALIYUN_ACCESS_KEY_ID", "")
        secret = access_key_secret or getattr(settings, "SMS_ALIYUN_ACCESS_KEY_SECRET", "")
        if not key_id or not secret:
            raise SmsError("未配置阿里云短信的 AccessKey（SMS_ALIYUN_ACCESS_KEY_ID、SMS_ALIYUN_ACCESS_KEY_SECRET）。")
        config = openapi.Config(
            access_key_id=key_id, access_key_secret=secret,
            endpoint=endpoint or getattr(settings, "SMS_ALIYUN_ENDPOINT", "") or DEFAULT_ENDPOINT,
            protocol=protocol or getattr(settings, "SMS_ALIYUN_PROTOCOL", "") or "https",
            connect_timeout=timeout_ms, read_timeout=timeout_ms)
        self.client = Client(config)

    def send(self, *, phone: str, signature: str, template_code: str, params: dict[str, str]) -> str:
        from alibabacloud_dysmsapi20170525 import models as dysms

        request = dysms.SendSmsRequest(phone_numbers=phone, sign_name=signature, template_code=template_code,
                                       template_param=json.dumps(params, ensure_ascii=False))
        try:
            response = self.client.send_sms(request)
        except Exception as error:  # the SDK raises its own exception types for HTTP and network errors
            raise SmsError(f"阿里云短信发送失败：{getattr(error, 'message', None) or error}") from error
        body = response.body
        if body is None or body.code != "OK":
            code = getattr(body, "code", "") or "无应答"
            raise SmsError(f"阿里云短信拒绝发送（{code}）：{getattr(body, 'message', '') or ''}")
        return body.biz_id or body.request_id or ""
