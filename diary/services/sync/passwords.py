"""Where a CalDAV password comes from: the system keyring, else DIARY_CALDAV_PASSWORD, else
what the owner typed into the window this session. Never a file, the database or a log.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import Protocol

log = logging.getLogger(__name__)

SERVICE = "diary CalDAV"
PASSWORD_ENV = "DIARY_CALDAV_PASSWORD"


class NoKeyring(Exception):
    """There is no usable system keyring (no Secret Service, no KWallet, no Keychain...)."""


class SecretStore(Protocol):
    """A keyring: passwords by key; NoKeyring when there is none to use."""

    def available(self) -> bool: ...

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, password: str) -> None: ...

    def delete(self, key: str) -> None: ...


class SystemKeyring:
    """The `keyring` library's backend (Secret Service, KWallet, macOS Keychain, Windows)."""

    def __init__(self) -> None:
        self._usable: bool | None = None

    def available(self) -> bool:
        if self._usable is None:
            self._usable = self._probe()
        return self._usable

    @staticmethod
    def _probe() -> bool:
        try:
            import keyring
            from keyring.backends import fail

            backend = keyring.get_keyring()
            if isinstance(backend, fail.Keyring):
                return False
            if getattr(backend, "backends", None) == []:  # a chainer with nothing behind it
                return False
            priority = getattr(backend, "priority", 1)
            if isinstance(priority, int | float) and priority <= 0:
                return False
            keyring.get_password(SERVICE, "diary keyring probe")
        except Exception as error:  # noqa: BLE001 - any backend failure means "not usable"
            log.info("no usable system keyring: %s", type(error).__name__)
            return False
        return True

    def get(self, key: str) -> str | None:
        if not self.available():
            raise NoKeyring("no system keyring")
        import keyring

        try:
            return keyring.get_password(SERVICE, key)
        except Exception as error:  # noqa: BLE001 - backend errors vary
            raise NoKeyring(f"the system keyring failed ({type(error).__name__})") from None

    def set(self, key: str, password: str) -> None:
        if not self.available():
            raise NoKeyring("no system keyring")
        import keyring

        try:
            keyring.set_password(SERVICE, key, password)
        except Exception as error:  # noqa: BLE001
            raise NoKeyring(f"the system keyring failed ({type(error).__name__})") from None

    def delete(self, key: str) -> None:
        if not self.available():
            return
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, key)
        except PasswordDeleteError:
            pass
        except Exception as error:  # noqa: BLE001
            log.info("could not delete a keyring entry: %s", type(error).__name__)


def account_key(username: str, url: str) -> str:
    """The keyring entry of an account: who, at which server."""
    return f"{username} at {url}"


class Passwords:
    """The passwords of accounts, from the keyring, the environment or this session."""

    def __init__(
        self, keyring: SecretStore | None = None, environ: Mapping[str, str] | None = None
    ) -> None:
        self.keyring: SecretStore = keyring if keyring is not None else SystemKeyring()
        self._environ = environ
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def environ(self) -> Mapping[str, str]:
        return self._environ if self._environ is not None else os.environ

    def keyring_available(self) -> bool:
        return self.keyring.available()

    def lookup(self, key: str) -> tuple[str | None, str]:
        """The password and where it came from: 'keyring', 'environment', 'session' or 'none'."""
        if self.keyring.available():
            try:
                found = self.keyring.get(key)
            except NoKeyring:
                found = None
            if found:
                return found, "keyring"
        from_env = self.environ.get(PASSWORD_ENV)
        if from_env:
            return from_env, "environment"
        with self._lock:
            typed = self._session.get(key)
        if typed:
            return typed, "session"
        return None, "none"

    def store(self, key: str, password: str) -> bool:
        """Keep `password` in the keyring; False when there is none (nothing is written)."""
        try:
            self.keyring.set(key, password)
        except NoKeyring:
            return False
        return True

    def remember_for_session(self, key: str, password: str) -> None:
        """What the owner typed when asked: kept in this process's memory only."""
        with self._lock:
            self._session[key] = password

    def forget(self, key: str) -> None:
        with self._lock:
            self._session.pop(key, None)
        self.keyring.delete(key)
