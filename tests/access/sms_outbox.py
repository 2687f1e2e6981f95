"""An SMS provider for tests: keeps what it was asked to send."""

from notifications.sms import LoggingSmsProvider


class MemorySmsProvider:
    sent: list[dict] = []

    def send(self, *, phone, signature, template_code, params):
        MemorySmsProvider.sent.append({"phone": phone, "signature": signature, "template": template_code,
                                       "params": dict(params)})
        return f"mem-{len(MemorySmsProvider.sent)}"


class DemoMemorySmsProvider(MemorySmsProvider, LoggingSmsProvider):
    """Records like MemorySmsProvider and counts as the demo provider (the pages say the log has it)."""

    def send(self, **kwargs):
        LoggingSmsProvider.send(self, **kwargs)
        return MemorySmsProvider.send(self, **kwargs)


def codes_sent_to(phone: str) -> list[str]:
    return [m["params"]["code"] for m in MemorySmsProvider.sent if m["phone"] == phone and "code" in m["params"]]
