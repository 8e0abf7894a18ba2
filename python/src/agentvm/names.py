"""Validation of VM names and allowlisted domain names."""

import re

from agentvm.errors import AgentvmError

# A lower-case DNS label: the VM name is its hostname and its `Host` in ssh_config.
_VM_NAME = re.compile(r"[a-z]([a-z0-9-]{0,61}[a-z0-9])?")
_DOMAIN_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_MAX_DOMAIN_LENGTH = 253
_MIN_DOMAIN_LABELS = 2  # a bare label such as `localhost` is no public domain


def check_vm_name(name: str) -> None:
    if not _VM_NAME.fullmatch(name):
        raise AgentvmError(
            f"invalid VM name {name!r}: use a lower-case DNS label "
            "(a-z, 0-9 and '-', starting with a letter, at most 63 characters)"
        )


def check_domain(domain: str) -> None:
    labels = domain.split(".")
    if (
        len(domain) > _MAX_DOMAIN_LENGTH
        or len(labels) < _MIN_DOMAIN_LABELS
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
    ):
        raise AgentvmError(
            f"invalid domain {domain!r}: use a lower-case domain name such as example.com"
        )
