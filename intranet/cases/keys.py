"""Where the application's case keyring comes from: read once at start-up, kept in the registry.

Production (``intranet.environment = production``) reads the key material from the environment
variable ``INTRANET_CASE_KEYS`` and nowhere else: a missing or unusable value, or a key setting in
the ini file, stops start-up with a :class:`~intranet.config.ConfigurationError` that says what to
do. Development and tests read a key file, the setting ``intranet.case_keys_file`` (default
``var/case-keys``, relative to the working directory), written once with mode 0600 when it does not
exist yet (:func:`intranet.cases.crypto.ensure_development_keyfile`).

New key material, for ``INTRANET_CASE_KEYS`` (made once and kept: new keys cannot read what the
old ones encrypted)::

    python -m intranet.cases.keys            # a whole value: one key, made current, and the index key
    python -m intranet.cases.keys --key ID   # one more key entry ID:KEY, for a rotation
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from intranet.cases.crypto import (
    ENV_VAR,
    Keyring,
    KeyringError,
    ensure_development_keyfile,
    generate_index_line,
    generate_key_line,
    keyring_from_environ,
    keyring_from_file,
)
from intranet.config import ConfigurationError, is_production

#: The development and test setting: the path of the key file.
KEYS_FILE_SETTING = "intranet.case_keys_file"
#: Where development keeps its key file when the setting is not given (ignored by git, like var/).
DEFAULT_KEYS_FILE = os.path.join("var", "case-keys")
#: The registry key of the application's keyring.
REGISTRY_KEY = "intranet.case_keyring"
#: How an operator makes the value of INTRANET_CASE_KEYS.
GENERATE_HELP = (
    "Generate a value once with `python -m intranet.cases.keys` (intranet.cases.crypto's key generators) "
    "and keep it safe: without it no child's data can be read back."
)


def new_key_material(key_id: str | None = None) -> str:
    """A new value for ``INTRANET_CASE_KEYS``: one encryption key, made current, and the index key.

    One line, the entries separated by ``;``: quoted, it fits a shell's ``export`` or a systemd
    ``Environment=`` line as it is.
    """
    key = generate_key_line(key_id)
    return f"current={key.partition(':')[0]};{generate_index_line()};{key}"


def keyring_from_settings(settings: Mapping, environ: Mapping[str, str] | None = None) -> Keyring:
    """The keyring the application runs with (see the module's docstring)."""
    if is_production(settings):
        if (settings.get(KEYS_FILE_SETTING) or "").strip():
            raise ConfigurationError(
                f"{KEYS_FILE_SETTING} is set, but it is a development setting: production reads the case "
                f"keys from the environment variable {ENV_VAR} only. Remove the line {KEYS_FILE_SETTING} "
                "from the production ini file."
            )
        environ = os.environ if environ is None else environ
        if not environ.get(ENV_VAR, "").strip():
            raise ConfigurationError(
                f"{ENV_VAR} is not set: production reads the keys that encrypt the children's data from it. "
                f"{GENERATE_HELP}"
            )
        try:
            return keyring_from_environ(environ)
        except KeyringError as exc:  # its messages show no key
            raise ConfigurationError(f"{ENV_VAR} cannot be used: {exc} {GENERATE_HELP}") from None
    path = (settings.get(KEYS_FILE_SETTING) or "").strip() or DEFAULT_KEYS_FILE
    try:
        return keyring_from_file(ensure_development_keyfile(path))
    except (KeyringError, OSError) as exc:
        raise ConfigurationError(f"The case key file ({KEYS_FILE_SETTING} = {path}) cannot be used: {exc}") from None


def get_keyring(registry) -> Keyring:
    """The application's keyring, loaded by ``intranet.cases`` at start-up."""
    try:
        return registry[REGISTRY_KEY]
    except KeyError:
        raise RuntimeError("The case keyring is not loaded: the application must include intranet.cases.") from None


def main(argv=None, out=sys.stdout) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m intranet.cases.keys", description=f"Print new key material for {ENV_VAR}."
    )
    parser.add_argument(
        "--key",
        metavar="ID",
        help="print one more key entry ID:KEY only (a rotation: add it, make it current=ID, re-encrypt)",
    )
    args = parser.parse_args(argv)
    try:
        line = generate_key_line(args.key) if args.key else new_key_material()
    except KeyringError as exc:
        parser.error(str(exc))
    print(line, file=out)
    return 0


if __name__ == "__main__":  # pragma: no cover - the command line of main()
    sys.exit(main())
