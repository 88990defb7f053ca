"""Field encryption (SM4-GCM) and blind indexes (HMAC-SM3) for personal data.

Ciphertext layout: version byte 0x01, key id byte, 12-byte nonce, SM4-GCM ciphertext
with its 16-byte tag. Several keys may be configured so that old rows stay readable
after a key rotation; the last key in JICENG_FIELD_KEYS encrypts.
"""

import hmac as std_hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _parse_keys(spec):
    keys = {}
    for part in spec.split(","):
        key_id, _, hex_key = part.strip().partition(":")
        try:
            key = bytes.fromhex(hex_key)
            key_number = int(key_id)
        except ValueError as exc:
            raise ImproperlyConfigured(
                "JICENG_FIELD_KEYS must look like 1:<32 hex>"
            ) from exc
        if len(key) != 16 or not 0 < key_number < 256:
            raise ImproperlyConfigured("SM4 keys are 16 bytes (32 hex) with ids 1–255")
        keys[key_number] = key
    if not keys:
        raise ImproperlyConfigured("JICENG_FIELD_KEYS is empty")
    return keys, key_number


def field_keys():
    """Return ({key_id: key}, current_key_id) from settings."""
    return _parse_keys(settings.JICENG_FIELD_KEYS)


@lru_cache(maxsize=4)
def _index_key(spec):
    key = bytes.fromhex(spec)
    if len(key) < 16:
        raise ImproperlyConfigured("JICENG_INDEX_KEY must be at least 16 bytes of hex")
    return key


@lru_cache(maxsize=4)
def _sm4(key: bytes):
    return algorithms.SM4(key)


def encrypt(plaintext: str) -> bytes:
    """Encrypt a string with the current SM4 key."""
    keys, current = field_keys()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(_sm4(keys[current]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return bytes([FORMAT_VERSION, current]) + nonce + body + encryptor.tag


def decrypt(blob: bytes) -> str:
    """Decrypt a value produced by encrypt()."""
    blob = bytes(blob)
    if len(blob) < 2 + NONCE_BYTES + TAG_BYTES or blob[0] != FORMAT_VERSION:
        raise DecryptionError("unknown ciphertext format")
    keys, _ = field_keys()
    key = keys.get(blob[1])
    if key is None:
        raise DecryptionError(f"no key with id {blob[1]}")
    nonce = blob[2 : 2 + NONCE_BYTES]
    body, tag = blob[2 + NONCE_BYTES : -TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(_sm4(key), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionError("ciphertext failed authentication") from exc


@lru_cache(maxsize=16)
def _keyed_mac(spec: str, purpose: str):
    """An HMAC already fed the key and the purpose; copies of it finish a digest
    in a third of the time of keying a new one (imports take two per row)."""
    mac = hmac.HMAC(_index_key(spec), hashes.SM3())
    mac.update(purpose.encode("ascii") + b"\x00")
    return mac


def blind_index(value: str, *, purpose: str) -> str:
    """Return a keyed HMAC-SM3 digest (hex) for exact lookup of a normalised value.

    The purpose separates indexes so that equal digits in an ID and a phone
    field never produce the same digest.
    """
    mac = _keyed_mac(settings.JICENG_INDEX_KEY, purpose).copy()
    mac.update(value.encode("utf-8"))
    return mac.finalize().hex()


def same_digest(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a, b)


FILE_CHUNK_BYTES = 1 << 20


def encrypt_file(source, target):
    """Stream a file object into target as SM4-GCM: header, ciphertext, then the tag.

    Uploaded 台账 hold ID numbers in clear, so they are stored only in this form.
    """
    keys, current = field_keys()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys[current]), modes.GCM(nonce)).encryptor()
    target.write(bytes([FORMAT_VERSION, current]) + nonce)
    while chunk := source.read(FILE_CHUNK_BYTES):
        target.write(encryptor.update(chunk))
    target.write(encryptor.finalize() + encryptor.tag)


def decrypt_file(source, target):
    """Reverse encrypt_file; source must be seekable (the tag sits at its end)."""
    header = source.read(2 + NONCE_BYTES)
    if len(header) < 2 + NONCE_BYTES or header[0] != FORMAT_VERSION:
        raise DecryptionError("unknown file format")
    key = field_keys()[0].get(header[1])
    if key is None:
        raise DecryptionError(f"no key with id {header[1]}")
    source.seek(-TAG_BYTES, os.SEEK_END)
    end = source.tell()
    tag = source.read(TAG_BYTES)
    source.seek(2 + NONCE_BYTES)
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(header[2:], tag)).decryptor()
    remaining = end - source.tell()
    while remaining > 0:
        chunk = source.read(min(FILE_CHUNK_BYTES, remaining))
        remaining -= len(chunk)
        target.write(decryptor.update(chunk))
    try:
        target.write(decryptor.finalize())
    except InvalidTag as exc:
        raise DecryptionError("file failed authentication") from exc
