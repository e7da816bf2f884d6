"""Encryption at rest of a child's identifying fields, and the keyed hashes that find them.

A name, a date of birth, a village, a carer, a contact or a free-text account of a child is never
stored as it was typed: :meth:`Keyring.encrypt` turns it into a token, and only a process holding
the keyring turns the token back. A database dump or a backup alone shows no name.

Tokens
    ``v1.<key id>.<nonce + ciphertext + tag>``, the last part in base64url without padding: plain
    ASCII, so the column is TEXT on SQLite and on PostgreSQL. AES-256-GCM, with a fresh random
    96-bit nonce for every value. The associated data binds the token to its place — the caller's
    ``context``, such as ``"case_children.full_name:<row key>"`` — and to the format and the key
    id: a token copied to another row or another column does not decrypt there; it fails exactly
    as a changed token does. The context must therefore be known before the row is written (a
    case number, a key chosen before the insert), and must never change afterwards.

Keys and rotation
    A :class:`Keyring` holds several 256-bit keys, each under a short id. The current key encrypts;
    every key in the ring decrypts. To rotate: add a new key and make it current, re-encrypt with
    :meth:`Keyring.rotate` every token for which :meth:`Keyring.needs_rotation` is true, and only
    then remove the old key. A token under a key that is no longer in the ring is refused
    (:class:`UnknownKeyError`), never guessed at.

Lookups
    Encrypted values cannot be searched, and two encryptions of one value differ. Lookups — the
    duplicate search of the child register — use :meth:`Keyring.blind_index`: HMAC-SHA256 of the
    normalised value (:func:`intranet.cases.names.match_key`) under a separate index key, never an
    encryption key, with the ``kind`` of value inside the hashed message so that one value gives
    unrelated hashes as two kinds. The index key does not rotate with the encryption keys:
    changing it means recomputing every stored index.

Key material (:func:`keyring_from_text`)
    Entries separated by new lines, ``;`` or spaces; ``#`` starts a comment::

        current=2017a
        index=<32 random bytes in base64url>
        2016a:<32 random bytes in base64url>
        2017a:<32 random bytes in base64url>

    Without ``current=`` the first key is current. Production reads the material from the
    environment variable ``INTRANET_CASE_KEYS`` (:func:`keyring_from_environ`); development from a
    file under ``var/`` that :func:`ensure_development_keyfile` writes once. Material that cannot
    be right — a key of the wrong length, one id twice, no key, no index key — stops with a
    :class:`KeyringError` telling the operator what to fix. No message of this module contains a
    key, a token or a protected value.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

#: The environment variable that holds the key material in production.
ENV_VAR = "INTRANET_CASE_KEYS"
#: The format marker that starts every token.
VERSION = "v1"
#: AES-256: every key, the index key included, is 32 random bytes.
KEY_BYTES = 32
#: 96 bits: the nonce size GCM is designed for.
NONCE_BYTES = 12
TAG_BYTES = 16
#: A key id is short and holds neither the "." that separates a token's parts nor the ":" of a key
#: entry, so that it can be read back from both.
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
#: The kinds of blind index: "name+dob", "phone", ...
INDEX_KIND = re.compile(r"[a-z0-9][a-z0-9+._-]{0,63}")

_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_AAD_PREFIX = b"intranet.cases.crypto"
_INDEX_PREFIX = b"intranet.cases.blind-index.v1"
_KEY_HELP = "Generate a key line with intranet.cases.crypto.generate_key_line()."


class CaseCryptoError(Exception):
    """The base of this module's errors. The message is for an operator and shows no secret."""


class KeyringError(CaseCryptoError):
    """The key material is unusable: a key of the wrong length, an id twice, no key, no index key."""


class TokenError(CaseCryptoError):
    """A stored value is not a token this module can read (malformed, or of an unknown format)."""


class UnknownKeyError(TokenError):
    """The token was encrypted under a key id that is not in the keyring."""


class TamperedTokenError(TokenError):
    """The token failed authentication: it was changed, cut short, or moved from another place."""


class Keyring:
    """Encryption keys by id (one of them current) and the key of the blind indexes.

    The keys stay inside the object: its ``repr`` shows the key ids only.
    """

    __slots__ = ("_ciphers", "_index_key", "current")

    def __init__(self, keys: Mapping[str, bytes], current: str, index_key: bytes):
        if not keys:
            raise KeyringError(f"The case keyring holds no key: set {ENV_VAR}. {_KEY_HELP}")
        for key_id, key in keys.items():
            _check_key_id(key_id)
            _check_key_length(f"key {key_id!r}", key)
        if current not in keys:
            named = f" {current!r}" if isinstance(current, str) and KEY_ID.fullmatch(current) else ""
            raise KeyringError(f"The current key{named} is not in the case keyring (its keys: {', '.join(keys)}).")
        _check_key_length("the index key", index_key)
        if any(hmac.compare_digest(index_key, key) for key in keys.values()):
            raise KeyringError("The index key must not be one of the encryption keys: generate a separate one.")
        self._ciphers = {key_id: AESGCM(bytes(key)) for key_id, key in keys.items()}
        self._index_key = bytes(index_key)
        self.current = current

    def __repr__(self) -> str:
        return f"<Keyring current={self.current!r} keys={list(self._ciphers)!r}>"

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The ids of the keys that decrypt, in the order the material lists them."""
        return tuple(self._ciphers)

    def encrypt(self, text: str, context: str) -> str:
        """``text`` as a token under the current key, bound to ``context`` (where it is stored)."""
        if not isinstance(text, str):
            raise TypeError("encrypt() protects a str; convert the value to text first.")
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current].encrypt(nonce, text.encode("utf-8"), _aad(self.current, context))
        return f"{VERSION}.{self.current}.{_b64encode(nonce + sealed)}"

    def decrypt(self, token: str, context: str) -> str:
        """The text of ``token``, which must have been encrypted for this same ``context``.

        Raises :class:`UnknownKeyError` when its key is not in the ring, and
        :class:`TamperedTokenError` when it was changed or belongs to another place.
        """
        key_id, blob = _parse(token)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise UnknownKeyError(
                f"A value was encrypted under the key {key_id!r}, which is not in the case keyring "
                f"({', '.join(self._ciphers)}): put that key back into {ENV_VAR} to read it."
            )
        try:
            plain = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(key_id, context))
        except InvalidTag:
            raise TamperedTokenError(
                "An encrypted value failed its integrity check: it was changed, or it was copied "
                "from another field or row."
            ) from None
        return plain.decode("utf-8")

    def needs_rotation(self, token: str) -> bool:
        """Whether ``token`` was encrypted under another key than the current one."""
        key_id, _ = _parse(token)
        return key_id != self.current

    def rotate(self, token: str, context: str) -> str:
        """``token`` re-encrypted under the current key; the same token when it already is."""
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, context), context)

    def blind_index(self, kind: str, normalised_value: str) -> str:
        """The keyed hash (64 hex digits) that finds a value without decrypting anything.

        Equal values of one kind give equal hashes, under one index key only; the caller
        normalises first (e.g. :func:`intranet.cases.names.match_key` for "name+dob").
        """
        if not isinstance(kind, str) or not INDEX_KIND.fullmatch(kind):
            raise ValueError(f"A blind index kind is lower-case ASCII such as 'name+dob', not {kind!r}.")
        if not isinstance(normalised_value, str) or not normalised_value:
            raise ValueError("A blind index needs a non-empty normalised value.")
        message = b"\x00".join([_INDEX_PREFIX, kind.encode("ascii"), normalised_value.encode("utf-8")])
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


def keyring_from_text(text: str) -> Keyring:
    """The keyring described by ``text`` (the format is in this module's docstring)."""
    keys: dict[str, bytes] = {}
    current: str | None = None
    index_key: bytes | None = None
    for number, entry in enumerate(_entries(text), start=1):
        if entry.startswith("current="):
            if current is not None:
                raise KeyringError("The case key material says current= twice.")
            current = entry.removeprefix("current=")
        elif entry.startswith("index="):
            if index_key is not None:
                raise KeyringError("The case key material gives index= twice.")
            index_key = _decode_key("the index key", entry.removeprefix("index="))
        else:
            key_id, colon, material = entry.partition(":")
            if not colon:
                raise KeyringError(
                    f"Entry {number} of the case key material is neither current=, index= nor <id>:<key>."
                )
            _check_key_id(key_id)
            if key_id in keys:
                raise KeyringError(f"The key id {key_id!r} appears twice in the case key material.")
            keys[key_id] = _decode_key(f"key {key_id!r}", material)
    if not keys:
        raise KeyringError(f"The case key material holds no key. {_KEY_HELP}")
    if index_key is None:
        raise KeyringError("The case key material has no index= key (the key of the blind indexes).")
    return Keyring(keys, current if current is not None else next(iter(keys)), index_key)


def keyring_from_environ(environ: Mapping[str, str] | None = None) -> Keyring:
    """The keyring of production, from the environment variable ``INTRANET_CASE_KEYS``."""
    text = (os.environ if environ is None else environ).get(ENV_VAR, "")
    if not text.strip():
        raise KeyringError(f"{ENV_VAR} is not set: production reads the case keys from it. {_KEY_HELP}")
    return keyring_from_text(text)


def keyring_from_file(path: str | os.PathLike) -> Keyring:
    """The keyring kept in the file ``path``, which nobody but its owner may read."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyringError(f"The case key file {path} does not exist.") from None
    if os.name == "posix" and mode & 0o077:
        raise KeyringError(f"The case key file {path} is readable by others: run chmod 600 {path}.")
    return keyring_from_text(text)


def generate_key_line(key_id: str | None = None) -> str:
    """A new key entry ``<id>:<32 random bytes in base64url>`` (a random id when none is given)."""
    key_id = secrets.token_hex(4) if key_id is None else key_id
    _check_key_id(key_id)
    return f"{key_id}:{_b64encode(secrets.token_bytes(KEY_BYTES))}"


def generate_index_line() -> str:
    """A new ``index=`` entry: the key of the blind indexes."""
    return f"index={_b64encode(secrets.token_bytes(KEY_BYTES))}"


def ensure_development_keyfile(path: str | os.PathLike) -> Path:
    """The development key file at ``path``, written once with mode 0600 if it does not exist.

    An existing file is never rewritten: a new key would make every stored value unreadable. The
    file appears whole or not at all (written aside, then linked into place), so two processes
    starting together both read the same keys.
    """
    path = Path(path)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# The case keys of this development checkout (intranet/cases/crypto.py), written once.\n"
        f"# Production reads {ENV_VAR} instead. Losing this file loses every encrypted value.\n"
        f"current=dev1\n{generate_index_line()}\n{generate_key_line('dev1')}\n"
    )
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.link(draft, path)
    except FileExistsError:
        pass  # another process wrote it first: keep its keys
    finally:
        draft.unlink(missing_ok=True)
    return path


def _aad(key_id: str, context: str) -> bytes:
    if not isinstance(context, str) or not context:
        raise ValueError("An encrypted value needs a context: the place it is stored, e.g. 'table.column:key'.")
    # The key id never holds "\x00" and the context comes last, so the parts cannot be confused.
    return b"\x00".join([_AAD_PREFIX, VERSION.encode(), key_id.encode("ascii"), context.encode("utf-8")])


def _parse(token: str) -> tuple[str, bytes]:
    if not isinstance(token, str):
        raise TokenError("An encrypted value is stored as text.")
    parts = token.split(".")
    if len(parts) != 3 or not KEY_ID.fullmatch(parts[1]) or not _BASE64URL.fullmatch(parts[2]):
        raise TokenError("A stored value is not an encrypted value of the case register.")
    version, key_id, body = parts
    if version != VERSION:
        raise TokenError(f"An encrypted value has the format {version!r}, which this version does not read.")
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise TokenError("A stored value is not an encrypted value of the case register.") from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise TamperedTokenError("An encrypted value is cut short.")
    if _b64encode(blob) != body:  # spare bits set in the last character: never written so
        raise TamperedTokenError("An encrypted value was changed.")
    return key_id, blob


def _entries(text: str):
    for line in text.splitlines():
        for entry in re.split(r"[;\s]+", line.split("#", 1)[0]):
            if entry:
                yield entry


def _decode_key(name: str, material: str) -> bytes:
    body = material.rstrip("=")
    if not _BASE64URL.fullmatch(body):
        raise KeyringError(f"The case key material gives {name} in something other than base64url. {_KEY_HELP}")
    try:
        key = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise KeyringError(f"The case key material gives {name} in broken base64url. {_KEY_HELP}") from None
    _check_key_length(name, key)
    return key


def _check_key_id(key_id: str) -> None:
    # The wrong id is not repeated: it may be a key written in the wrong place.
    if not isinstance(key_id, str) or not KEY_ID.fullmatch(key_id):
        raise KeyringError("A case key id is 1 to 16 letters, digits, '-' or '_' (e.g. '2017a').")


def _check_key_length(name: str, key: bytes) -> None:
    if not isinstance(key, bytes | bytearray):
        raise KeyringError(f"In the case keyring, {name} is not bytes.")
    if len(key) != KEY_BYTES:
        raise KeyringError(f"In the case keyring, {name} is {len(key) * 8} bits long; it must be 256 bits. {_KEY_HELP}")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
