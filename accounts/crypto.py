"""Encryption at rest for second-factor secrets (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from the environment: OTP_ENCRYPTION_KEYS, one or more Fernet keys separated by commas
(the first encrypts, all decrypt, so a key can be rotated). Production refuses to start without it; the
embedded demo derives one from SECRET_KEY. Generate a key with
`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in (getattr(settings, "OTP_ENCRYPTION_KEYS", None) or []) if k.strip()]
    if not keys:
        derived = hashlib.sha256(b"jxjy-otp-keys:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured("OTP_ENCRYPTION_KEYS must be Fernet keys (urlsafe base64, 32 bytes).") from error


def encrypt_secret(raw: bytes) -> str:
    return _fernet().encrypt(raw).decode("ascii")


def decrypt_secret(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except InvalidToken as error:
        raise ImproperlyConfigured("A second-factor key cannot be decrypted: OTP_ENCRYPTION_KEYS changed?") from error
