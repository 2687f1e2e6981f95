"""An SMS provider for the worker tests: records sends in a file and can hold a send mid-way."""

import os
import time

HOLD_LIMIT_SECONDS = 60


class FileSMSProvider:
    def send(self, *, phone: str, signature: str, template_code: str, params: dict[str, str]) -> str:
        with open(os.environ["NOTIF_SMS_STARTED"], "a", encoding="utf-8") as started:
            started.write(f"{phone}\n")
        waited = 0.0
        while os.path.exists(os.environ["NOTIF_SMS_HOLD"]) and waited < HOLD_LIMIT_SECONDS:
            time.sleep(0.1)  # held here until the test kills the worker or lifts the hold
            waited += 0.1
        with open(os.environ["NOTIF_SMS_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{phone} {template_code} {params}\n")
        return f"file-{phone}"
