"""The user a VM belongs to: whoever ran agentvm, or under sudo whoever ran sudo."""

import os
import pwd
from dataclasses import dataclass
from pathlib import Path

from agentvm.errors import AgentvmError


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int
    home: Path


def invoking_user() -> User:
    """The real user: under ``sudo agentvm …`` the one sudo names, not root.

    The guest user gets this name, uid and gid, so files in a shared workspace keep
    their owner on both sides.
    """
    sudo_user = os.environ.get("SUDO_USER")
    if os.geteuid() == 0 and sudo_user:
        try:
            entry = pwd.getpwnam(sudo_user)
        except KeyError:
            raise AgentvmError(f"SUDO_USER {sudo_user!r} is not a known user") from None
        return User(
            name=sudo_user,
            uid=_int_from_environment("SUDO_UID", entry.pw_uid),
            gid=_int_from_environment("SUDO_GID", entry.pw_gid),
            home=Path(entry.pw_dir),
        )
    entry = pwd.getpwuid(os.getuid())
    return User(name=entry.pw_name, uid=entry.pw_uid, gid=entry.pw_gid, home=Path.home())


def hands_files_to_user() -> bool:
    """Whether files created now must be chowned to the invoking user (running as root)."""
    return os.geteuid() == 0


def _int_from_environment(variable: str, default: int) -> int:
    value = os.environ.get(variable)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise AgentvmError(f"{variable} {value!r} is not a number") from None
