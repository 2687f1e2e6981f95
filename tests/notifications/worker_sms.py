"""An SMS backend for the worker tests: records sends in a file and can hold a send mid-way."""

import os
import time

HOLD_LIMIT_SECONDS = 60


class FileSMSBackend:
    def send(self, *, phone: str, text: str) -> None:
        with open(os.environ["NOTIF_SMS_STARTED"], "a", encoding="utf-8") as started:
            started.write(f"{phone}\n")
        waited = 0.0
        while os.path.exists(os.environ["NOTIF_SMS_HOLD"]) and waited < HOLD_LIMIT_SECONDS:
            time.sleep(0.1)  # held here until the test kills the worker or lifts the hold
            waited += 0.1
        with open(os.environ["NOTIF_SMS_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{phone} {text}\n")
