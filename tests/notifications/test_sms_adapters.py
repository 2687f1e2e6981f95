"""The Alibaba Cloud and Tencent Cloud SMS adapters, on their official SDKs, against a fake gateway
on loopback: what goes over the wire (signature, template code, parameters, number, a signed
request) and how a refusal or an unreachable gateway surfaces (SmsError in Chinese)."""

import json

import pytest

from notifications.sms import SmsError, sms_send
from notifications.sms_aliyun import AliyunSmsProvider
from notifications.sms_tencent import TencentSmsProvider, ordered_params
from tests.notifications.fake_sms_server import FakeGateway


@pytest.fixture
def gateway():
    fake = FakeGateway().start()
    yield fake
    fake.stop()


def aliyun(gateway, **kw):
    return AliyunSmsProvider(access_key_id="LTAI-test", access_key_secret="secret", endpoint=gateway.endpoint,
                             protocol="http", **kw)


def tencent(gateway):
    return TencentSmsProvider(secret_id="AKID-test", secret_key="secret", app_id="1400000001",
                              endpoint=gateway.endpoint, scheme="http")


def test_aliyun_sends_signature_template_and_parameters(gateway):
    gateway.answer = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"}
    message_id = aliyun(gateway).send(phone="13900000001", signature="内蒙古继续教育", template_code="SMS_154950909",
                                      params={"code": "123456", "minutes": "10"})
    assert message_id == "900619746936498440^0"
    (seen,) = gateway.requests
    fields = {**seen.query, **seen.form}
    headers = {k.lower(): v for k, v in seen.headers.items()}
    assert headers["x-acs-action"] == "SendSms" and headers["x-acs-version"] == "2017-05-25"
    assert headers["authorization"].startswith("ACS3-HMAC-SHA256 Credential=LTAI-test,")
    assert fields["PhoneNumbers"] == "13900000001" and fields["SignName"] == "内蒙古继续教育"
    assert fields["TemplateCode"] == "SMS_154950909"
    assert json.loads(fields["TemplateParam"]) == {"code": "123456", "minutes": "10"}
    assert "secret" not in seen.body.decode() + seen.path + json.dumps(seen.headers)


def test_aliyun_refusal_is_an_sms_error_naming_the_code(gateway):
    gateway.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控", "RequestId": "X"}
    with pytest.raises(SmsError, match="isv.BUSINESS_LIMIT_CONTROL"):
        aliyun(gateway).send(phone="13900000001", signature="签名", template_code="SMS_1", params={"code": "1"})


def test_aliyun_http_error_is_an_sms_error(gateway):
    gateway.status = 400
    gateway.answer = {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched.",
                      "RequestId": "Y"}
    with pytest.raises(SmsError, match="阿里云短信发送失败"):
        aliyun(gateway).send(phone="13900000001", signature="签名", template_code="SMS_1", params={"code": "1"})


def test_tencent_sends_signature_template_and_ordered_parameters(gateway):
    gateway.answer = {"Response": {"SendStatusSet": [{
        "SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": "+8613900000001", "Fee": 1,
        "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN"}], "RequestId": "a0aabda6"}}
    message_id = tencent(gateway).send(phone="13900000001", signature="内蒙古继续教育", template_code="1234567",
                                       params={"minutes": "10", "code": "123456"})
    assert message_id == "5000:1045710669157053657849499619"
    (seen,) = gateway.requests
    body = seen.json
    assert seen.headers["X-TC-Action"] == "SendSms" and seen.headers["X-TC-Version"] == "2021-01-11"
    assert seen.headers["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKID-test/")
    assert body["SmsSdkAppId"] == "1400000001" and body["SignName"] == "内蒙古继续教育"
    assert body["TemplateId"] == "1234567" and body["PhoneNumberSet"] == ["+8613900000001"]
    assert body["TemplateParamSet"] == ["10", "123456"]  # unknown template code: the order given


def test_tencent_orders_parameters_as_our_template_names_them(settings):
    settings.SMS_TEMPLATE_CODES = {"verification": "1234567"}
    assert ordered_params("1234567", {"minutes": "10", "code": "654321"}) == ["654321", "10"]


def test_tencent_refusals_and_api_errors_are_sms_errors(gateway):
    gateway.answer = {"Response": {"SendStatusSet": [{
        "SerialNo": "", "PhoneNumber": "+8613900000001", "Fee": 0, "SessionContext": "",
        "Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "单个手机号日下发条数超过设定的上限",
        "IsoCode": "CN"}], "RequestId": "b"}}
    with pytest.raises(SmsError, match="PhoneNumberDailyLimit"):
        tencent(gateway).send(phone="13900000001", signature="签名", template_code="1", params={"code": "1"})
    gateway.answer = {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"},
                                   "RequestId": "c"}}
    with pytest.raises(SmsError, match="AuthFailure.SignatureFailure"):
        tencent(gateway).send(phone="13900000001", signature="签名", template_code="1", params={"code": "1"})


def test_an_unreachable_gateway_is_an_sms_error():
    fake = FakeGateway().start()
    endpoint = fake.endpoint
    fake.stop()
    with pytest.raises(SmsError):
        AliyunSmsProvider(access_key_id="k", access_key_secret="s", endpoint=endpoint, protocol="http",
                          timeout_ms=2000).send(phone="13900000001", signature="签名", template_code="SMS_1",
                                                params={"code": "1"})
    with pytest.raises(SmsError):
        TencentSmsProvider(secret_id="k", secret_key="s", app_id="1", endpoint=endpoint, scheme="http").send(
            phone="13900000001", signature="签名", template_code="1", params={"code": "1"})


def test_missing_credentials_are_named(settings):
    settings.SMS_ALIYUN_ACCESS_KEY_ID = ""
    with pytest.raises(SmsError, match="SMS_ALIYUN_ACCESS_KEY_ID"):
        AliyunSmsProvider()
    settings.SMS_TENCENT_APP_ID = ""
    with pytest.raises(SmsError, match="SMS_TENCENT_APP_ID"):
        TencentSmsProvider(secret_id="a", secret_key="b")


def test_sms_send_goes_through_the_configured_adapter(gateway, settings):
    gateway.answer = {"Code": "OK", "Message": "OK", "BizId": "42^0", "RequestId": "R"}
    settings.SMS_PROVIDER = "notifications.sms_aliyun.AliyunSmsProvider"
    settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "LTAI-test", "secret"
    settings.SMS_ALIYUN_ENDPOINT, settings.SMS_ALIYUN_PROTOCOL = gateway.endpoint, "http"
    settings.SMS_SIGNATURE, settings.SMS_TEMPLATE_CODES = "内蒙古继续教育", {"verification": "SMS_154950909"}
    assert sms_send(phone="13900000001", template="verification", params={"code": "123456", "minutes": 10}) == "42^0"
    fields = {**gateway.requests[0].query, **gateway.requests[0].form}
    assert fields["TemplateCode"] == "SMS_154950909" and json.loads(fields["TemplateParam"])["minutes"] == "10"
