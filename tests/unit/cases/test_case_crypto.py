"""A child's identifying fields are stored encrypted: only the keyring reads them back, only in the
place they were written for, and a changed, moved or foreign value is refused, never misread."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat

import pytest

from intranet.cases import crypto
from intranet.cases.crypto import (
    ENV_VAR,
    KeyringError,
    TamperedTokenError,
    TokenError,
    UnknownKeyError,
    ensure_development_keyfile,
    generate_index_line,
    generate_key_line,
    keyring_from_environ,
    keyring_from_file,
    keyring_from_text,
)

NAME = "Nguyễn Thị Hoà"
PLACE = "case_children.full_name:TC-2017-0003"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


INDEX = "index=" + b64(b"i" * 32)
OLD = "2016a:" + b64(b"o" * 32)
NEW = "2017a:" + b64(b"n" * 32)


@pytest.fixture
def ring():
    return keyring_from_text(f"{INDEX}\n{OLD}\n")


def flip(token: str, position: int) -> str:
    """``token`` with one character of its body changed."""
    char = token[position]
    return token[:position] + ("A" if char != "A" else "B") + token[position + 1 :]


def test_a_value_comes_back_as_it_was_written(ring):
    for text in [NAME, "", "Thôn 3, xã Tân Cảnh", "0912 345 678", "Lời kể:\ndòng hai"]:
        assert ring.decrypt(ring.encrypt(text, PLACE), PLACE) == text


def test_the_stored_token_is_text_that_shows_no_name(ring):
    token = ring.encrypt(NAME, PLACE)
    version, key_id, body = token.split(".")
    assert (version, key_id) == ("v1", "2016a")
    assert token.isascii() and NAME not in token and "Nguy" not in token
    # nonce (12) + ciphertext (the UTF-8 bytes) + tag (16)
    assert len(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) == 12 + len(NAME.encode()) + 16


def test_two_encryptions_of_one_value_differ(ring):
    assert ring.encrypt(NAME, PLACE) != ring.encrypt(NAME, PLACE)


@pytest.mark.parametrize(
    "elsewhere",
    ["case_children.full_name:TC-2017-0004", "case_children.carer_name:TC-2017-0003", PLACE + " ", "x"],
)
def test_a_value_copied_to_another_row_or_column_does_not_decrypt(ring, elsewhere):
    token = ring.encrypt(NAME, PLACE)
    with pytest.raises(TamperedTokenError):
        ring.decrypt(token, elsewhere)


def test_a_changed_token_is_refused_wherever_it_is_changed(ring):
    token = ring.encrypt(NAME, PLACE)
    body_start = len("v1.2016a.")
    for position in range(body_start, len(token)):
        with pytest.raises(TamperedTokenError):
            ring.decrypt(flip(token, position), PLACE)


@pytest.mark.parametrize("text", ["a", "abc"])
def test_a_token_changed_only_in_the_spare_bits_of_its_last_character_is_refused(ring, text):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    token = ring.encrypt(text, PLACE)
    assert len(token.split(".")[2]) % 4 in (2, 3)  # the last character carries spare bits
    twin = token[:-1] + alphabet[alphabet.index(token[-1]) ^ 1]  # same bytes once decoded
    with pytest.raises(TamperedTokenError):
        ring.decrypt(twin, PLACE)


def test_a_token_cut_short_is_refused(ring):
    token = ring.encrypt(NAME, PLACE)
    with pytest.raises(TamperedTokenError):
        ring.decrypt(token[:-4], PLACE)
    with pytest.raises(TamperedTokenError):
        ring.decrypt(token[: len("v1.2016a.") + 20], PLACE)


def test_a_token_relabelled_with_another_key_of_the_ring_is_refused():
    ring = keyring_from_text(f"{INDEX}\n{OLD}\n{NEW}\n")
    token = ring.encrypt(NAME, PLACE)
    assert token.startswith("v1.2016a.")
    with pytest.raises(TamperedTokenError):
        ring.decrypt(token.replace("v1.2016a.", "v1.2017a.", 1), PLACE)


def test_a_token_under_a_key_not_in_the_ring_is_refused_with_the_key_named(ring):
    token = ring.encrypt(NAME, PLACE)
    other = keyring_from_text(f"{INDEX}\n{NEW}\n")
    with pytest.raises(UnknownKeyError) as caught:
        other.decrypt(token, PLACE)
    assert "2016a" in str(caught.value) and ENV_VAR in str(caught.value)
    assert NAME not in str(caught.value)


@pytest.mark.parametrize(
    "stored", ["Nguyễn Thị Hoà", "v1.2016a", "v1..AAAA", "v2.2016a." + "A" * 60, "v1.2016a.+/+/", "v1.a.b.c", ""]
)
def test_a_value_that_is_not_a_token_is_refused(ring, stored):
    with pytest.raises(TokenError):
        ring.decrypt(stored, PLACE)


def test_a_value_needs_a_context(ring):
    with pytest.raises(ValueError):
        ring.encrypt(NAME, "")
    with pytest.raises(TypeError):
        ring.encrypt(None, PLACE)


def test_rotation_moves_old_tokens_to_the_current_key():
    before = keyring_from_text(f"{INDEX}\n{OLD}\n")
    old_token = before.encrypt(NAME, PLACE)
    # The new key is added and made current; the old one still decrypts.
    during = keyring_from_text(f"current=2017a\n{INDEX}\n{OLD}\n{NEW}\n")
    assert during.decrypt(old_token, PLACE) == NAME
    assert during.needs_rotation(old_token)
    new_token = during.rotate(old_token, PLACE)
    assert new_token.startswith("v1.2017a.")
    assert not during.needs_rotation(new_token)
    assert during.rotate(new_token, PLACE) == new_token
    # Once every token is rotated, the old key leaves the ring: the new tokens still read,
    # a token left behind is refused.
    after = keyring_from_text(f"{INDEX}\n{NEW}\n")
    assert after.decrypt(new_token, PLACE) == NAME
    with pytest.raises(UnknownKeyError):
        after.decrypt(old_token, PLACE)


def test_rotation_keeps_the_binding_to_the_place():
    during = keyring_from_text(f"current=2017a\n{INDEX}\n{OLD}\n{NEW}\n")
    old_token = keyring_from_text(f"{INDEX}\n{OLD}\n").encrypt(NAME, PLACE)
    with pytest.raises(TamperedTokenError):
        during.rotate(old_token, "case_children.full_name:TC-2017-0004")
    rotated = during.rotate(old_token, PLACE)
    with pytest.raises(TamperedTokenError):
        during.decrypt(rotated, "case_children.full_name:TC-2017-0004")


def test_the_blind_index_is_stable_and_keyed(ring):
    value = "nguyen thi hoa|2010-03-15"
    digest = ring.blind_index("name+dob", value)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert ring.blind_index("name+dob", value) == digest
    # The same index key read again, and after the encryption keys rotate: the same hash.
    assert keyring_from_text(f"{INDEX}\n{OLD}").blind_index("name+dob", value) == digest
    assert keyring_from_text(f"{INDEX}\n{NEW}").blind_index("name+dob", value) == digest
    # Another value, another kind, another index key: another hash.
    assert ring.blind_index("name+dob", "nguyen thi hoa|2010-03-16") != digest
    assert ring.blind_index("phone", value) != digest
    assert keyring_from_text(f"index={b64(b'j' * 32)}\n{OLD}").blind_index("name+dob", value) != digest
    assert value not in digest


def test_the_blind_index_is_not_a_plain_hash_or_keyed_with_an_encryption_key(ring):
    value = "nguyen thi hoa|2010-03-15"
    digest = ring.blind_index("name+dob", value)
    assert digest != hashlib.sha256(value.encode()).hexdigest()
    assert digest != hmac.new(b"o" * 32, value.encode(), hashlib.sha256).hexdigest()
    assert digest != hmac.new(b"i" * 32, value.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("kind, value", [("", "x"), ("Name", "x"), ("name dob", "x"), ("name+dob", ""), (None, "x")])
def test_the_blind_index_refuses_an_empty_value_or_a_loose_kind(ring, kind, value):
    with pytest.raises(ValueError):
        ring.blind_index(kind, value)


def test_the_first_key_is_current_unless_the_material_says_otherwise():
    assert keyring_from_text(f"{INDEX}\n{OLD}\n{NEW}").current == "2016a"
    assert keyring_from_text(f"{INDEX}\n{OLD}\n{NEW}\ncurrent=2017a").current == "2017a"


def test_the_material_may_be_one_line_with_comments():
    ring = keyring_from_text(f"# case keys\ncurrent=2017a; {INDEX};{OLD} {NEW}  # two keys\n")
    assert ring.key_ids == ("2016a", "2017a") and ring.current == "2017a"


def test_the_keyring_never_shows_its_keys():
    ring = keyring_from_text(f"{INDEX}\n{OLD}\n")
    assert repr(ring) == "<Keyring current='2016a' keys=['2016a']>"
    assert b64(b"o" * 32) not in repr(ring) and b64(b"i" * 32) not in repr(ring)


@pytest.mark.parametrize(
    "material, says",
    [
        ("", "no key"),
        ("# nothing here\n", "no key"),
        (INDEX, "no key"),
        (OLD, "no index"),
        (f"{INDEX}\n2016a:{b64(b'o' * 16)}", "128 bits"),
        (f"{INDEX}\n2016a:{b64(b'o' * 33)}", "264 bits"),
        (f"index={b64(b'i' * 31)}\n{OLD}", "248 bits"),
        (f"{INDEX}\n{OLD}\n{OLD}", "twice"),
        (f"{INDEX}\n{OLD}\n2016a:{b64(b'p' * 32)}", "twice"),
        (f"{INDEX}\n{INDEX}\n{OLD}", "twice"),
        (f"current=2016a\ncurrent=2017a\n{INDEX}\n{OLD}\n{NEW}", "twice"),
        (f"current=2018a\n{INDEX}\n{OLD}", "not in the case keyring"),
        (f"{INDEX}\n2016a:not*base64", "base64url"),
        (f"{INDEX}\n2016a:{b64(b'o' * 32)[:-2]}", "broken base64url"),
        (f"{INDEX}\n2016a:{b64(b'o' * 32)[:-3]}", "240 bits"),
        (f"{INDEX}\n{b64(b'o' * 32)}", "neither"),
        (f"{INDEX}\nan.id:{b64(b'o' * 32)}", "key id"),
        (f"index={b64(b'o' * 32)}\n{OLD}", "index key must not be one of the encryption keys"),
    ],
)
def test_unusable_key_material_is_refused_clearly(material, says):
    with pytest.raises(KeyringError) as caught:
        keyring_from_text(material)
    message = str(caught.value)
    assert says in message
    for secret in (b64(b"o" * 32), b64(b"i" * 32), b64(b"o" * 16)):
        assert secret not in message


def test_production_reads_the_environment():
    with pytest.raises(KeyringError) as caught:
        keyring_from_environ({})
    assert ENV_VAR in str(caught.value)
    with pytest.raises(KeyringError):
        keyring_from_environ({ENV_VAR: "  \n"})
    assert keyring_from_environ({ENV_VAR: f"{INDEX};{OLD}"}).current == "2016a"


def test_generated_lines_make_a_working_keyring():
    first, second = generate_key_line("2025a"), generate_key_line()
    key_id, material = first.split(":")
    assert key_id == "2025a"
    assert len(base64.urlsafe_b64decode(material + "=" * (-len(material) % 4))) == 32
    assert first.split(":")[1] != second.split(":")[1]
    ring = keyring_from_text(f"{generate_index_line()}\n{first}\n{second}")
    assert ring.decrypt(ring.encrypt(NAME, PLACE), PLACE) == NAME
    with pytest.raises(KeyringError):
        generate_key_line("no.dots")


def test_the_development_key_file_is_written_once_and_private(tmp_path):
    path = tmp_path / "var" / "case-keys"
    old_umask = os.umask(0)  # the most permissive umask: the file must still be private
    try:
        assert ensure_development_keyfile(path) == path
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_bytes()
    token = keyring_from_file(path).encrypt(NAME, PLACE)

    assert ensure_development_keyfile(path) == path
    assert path.read_bytes() == content
    assert keyring_from_file(path).decrypt(token, PLACE) == NAME
    assert sorted(p.name for p in path.parent.iterdir()) == ["case-keys"]


def test_a_key_file_others_can_read_is_refused(tmp_path):
    path = ensure_development_keyfile(tmp_path / "case-keys")
    path.chmod(0o644)
    with pytest.raises(KeyringError) as caught:
        keyring_from_file(path)
    assert "chmod 600" in str(caught.value)
    with pytest.raises(KeyringError):
        keyring_from_file(tmp_path / "missing")


def test_the_module_names_its_environment_variable():
    assert crypto.ENV_VAR == "INTRANET_CASE_KEYS"
