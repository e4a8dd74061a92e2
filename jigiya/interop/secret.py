"""Encryption of the DHIS2 password at rest, with a key derived from SECRET_KEY.

`cryptography` is not a dependency, so this is the standard library's HMAC-SHA256 used as a
stream cipher (counter mode: block i = HMAC(k_enc, nonce ‖ i)) with encrypt-then-MAC
(HMAC(k_mac, nonce ‖ ciphertext)). A random 16-byte nonce per encryption; the MAC is checked
in constant time before anything is decrypted. Changing SECRET_KEY makes stored passwords
unreadable: `decrypt` then raises `SecretError`, and the password must be typed again.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

_PREFIX = "v1:"
_NONCE = 16
_TAG = 32


class SecretError(Exception):
    """The stored secret cannot be read (altered, or SECRET_KEY changed)."""


def _keys() -> tuple[bytes, bytes]:
    label = b"jigiya.interop.dhis2-password\x00"
    root = hashlib.sha256(label + settings.SECRET_KEY.encode()).digest()
    return (
        hmac.new(root, b"encrypt", hashlib.sha256).digest(),
        hmac.new(root, b"authenticate", hashlib.sha256).digest(),
    )


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def encrypt(plain: str) -> str:
    enc_key, mac_key = _keys()
    nonce = secrets.token_bytes(_NONCE)
    data = plain.encode()
    cipher = bytes(a ^ b for a, b in zip(data, _stream(enc_key, nonce, len(data)), strict=True))
    tag = hmac.new(mac_key, nonce + cipher, hashlib.sha256).digest()
    return _PREFIX + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise SecretError("unknown format")
    try:
        raw = base64.urlsafe_b64decode(token[len(_PREFIX) :].encode())
    except ValueError as exc:
        raise SecretError("not base64") from exc
    if len(raw) < _NONCE + _TAG:
        raise SecretError("too short")
    nonce, cipher, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    enc_key, mac_key = _keys()
    expected = hmac.new(mac_key, nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise SecretError("authentication failed")
    plain = bytes(a ^ b for a, b in zip(cipher, _stream(enc_key, nonce, len(cipher)), strict=True))
    return plain.decode()
