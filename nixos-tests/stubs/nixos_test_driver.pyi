# Typed stub of the NixOS test driver's testScript API, for `mypy --strict` (Python 3.11).
#
# The test scripts (nixos-tests/*.py) cannot run here; mypy checks them against this file.
# It declares what the driver injects into the script's globals (Driver.test_symbols(),
# the dict handed to exec()) and the public API of the machine objects.
#
# Transcribed from NixOS/nixpkgs (the stored copies read; they may lag or lead the pin):
#   nixos/lib/test-driver/src/test_driver/machine/__init__.py
#       @ 21411407c0785561d6095b5a921b8d3886d106a3   (BaseMachine, QemuMachine, NspawnMachine,
#                                                      MachineDeprecationWrapper, retry)
#   nixos/lib/test-driver/src/test_driver/driver.py
#       @ 7fa4b8f567bf81fc7733528793250061cd4d055f   (Driver, test_symbols, polling_condition)
#   .../test_driver/duration.py @ 1c7bfe4994b87d7f6a0f60b42dc9b836b7027481
#   .../test_driver/polling_condition.py (the stored copy with the `interval` argument)
#   .../test_driver/logger.py @ 0348869915cdf12bbc04a5ab180a9de587ef69e1
#   .../test_driver/vlan.py @ 011792b4f6fb79668fdbbbfc7e57155bb65b7456
#   .../test_driver/debug.py @ 55d5788ba119d2eebd029c1997baef6db81d9372
# These are the newest stored versions found, from the `datetime.timedelta` ("Duration") API
# era; older stored versions (machine @ 019697db058b6738eda0cb2cdcc9f5c014c914cb, driver @
# 003d58163f469fbeb0d51e4ef8d46af622759627) still take plain `int` seconds everywhere.
#
# KEEP IN STEP with the nixpkgs revision flake.lock pins (643809054d65fdd466a63e3155b8c498cb483c04,
# nixos-unstable, 2026-08). That exact revision was not readable here: re-check this file
# against it (and after every flake.lock bump) when the real driver is at hand.
#
# Deviations from the source, all deliberate:
# * Untyped parameters in the source (bare `Callable`, `*args, **kwargs`) are given the
#   narrowest type the driver's own use of them implies, or `object`; each is commented.
# * `Machine` is NOT injected by the current driver (it was, until the qemu/nspawn split).
#   It is a stub-only alias of QemuMachine, left out of `__all__`; import it only under
#   `if TYPE_CHECKING:` and never name it in code that runs.
# * Node globals (`host`, `vlan1`, ... and `machine` when there is one node) depend on the
#   test; declare them in each script under `if TYPE_CHECKING:`.

import datetime as dt
import os as os
import socket
import subprocess
import threading
import unittest
import uuid
from collections.abc import Callable, Generator
from contextlib import AbstractContextManager
from enum import IntEnum
from functools import cached_property
from pathlib import Path
from queue import Queue
from typing import Any, TypeAlias, overload

from typing_extensions import deprecated

__all__ = [
    "BaseMachine",
    "NspawnMachine",
    "QemuMachine",
    "create_machine",
    "debug",
    "driver",
    "dump_machine_ssh",
    "join_all",
    "log",
    "machines",
    "machines_nspawn",
    "machines_qemu",
    "os",
    "polling_condition",
    "retry",
    "run_tests",
    "serial_stdout_off",
    "serial_stdout_on",
    # Exactly the names of Driver.test_symbols()'s `general_symbols`.
    "start_all",
    "subtest",
    "t",
    "test_script",
    "vlans",
]

# --- test_driver.duration -------------------------------------------------------------

# "A duration accepted by the public test-driver API." A bare int/float still works (as
# seconds) but every Machine method given one emits a warning at run time ("passing a bare
# int/float as a duration is deprecated. Use datetime.timedelta instead.").
Duration: TypeAlias = dt.timedelta | int | float

# --- test_driver.logger ---------------------------------------------------------------

class LogLevel(IntEnum):
    DEBUG = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

class AbstractLogger:
    def log(self, message: str, attributes: dict[str, str] = ...) -> None: ...
    def subtest(
        self, name: str, attributes: dict[str, str] = ...
    ) -> AbstractContextManager[None]: ...
    def nested(
        self, message: str, attributes: dict[str, str] = ...
    ) -> AbstractContextManager[None]: ...
    # Untyped `*args, **kwargs` in the source; the implementations use args[0] as the message.
    def debug(self, *args: object, **kwargs: object) -> None: ...
    def info(self, *args: object, **kwargs: object) -> None: ...
    def warning(self, *args: object, **kwargs: object) -> None: ...
    def error(self, *args: object, **kwargs: object) -> None: ...
    def log_test_error(self, *args: object, **kwargs: object) -> None: ...
    def log_serial(self, message: str, machine: str) -> None: ...
    def print_serial_logs(self, enable: bool) -> None: ...
    def set_log_level(self, level: LogLevel) -> None: ...

# --- test_driver.debug ----------------------------------------------------------------

class DebugAbstract:
    def breakpoint(self, host: str = "127.0.0.1", port: int = 4444) -> None: ...

# --- test_driver.vlan -----------------------------------------------------------------

class VLan:
    nr: int
    socket_dir: Path
    tap_name: str
    process: subprocess.Popen[str]
    pid: int
    plug_process: subprocess.Popen[bytes]
    logger: AbstractLogger
    def __init__(self, nr: int, tmp_dir: Path, logger: AbstractLogger) -> None: ...
    def stop(self) -> None: ...

# --- test_driver.polling_condition ----------------------------------------------------

class PollingConditionError(Exception): ...

class PollingCondition:
    condition: Callable[[], bool]
    interval: dt.timedelta
    description: str | None
    logger: AbstractLogger
    last_called: float
    entry_count: int
    def __init__(
        self,
        condition: Callable[[], bool | None],
        logger: AbstractLogger,
        seconds_interval: float | None = None,  # deprecated: use `interval`
        description: str | None = None,
        *,
        interval: dt.timedelta | None = None,
    ) -> None: ...
    def check(self, force: bool = False) -> bool: ...
    def maybe_raise(self) -> None: ...
    def status_message(self, status: bool) -> str: ...
    @property
    def nested_message(self) -> str: ...
    @property
    def overdue(self) -> bool: ...
    @property
    def entered(self) -> bool: ...
    def __enter__(self) -> None: ...
    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None: ...

# --- test_driver.machine.qmp / test_driver.efi (only the surface the machines expose) -

class QMPSession:
    @classmethod
    def from_path(cls, path: Path) -> QMPSession: ...
    def close(self) -> None: ...
    def wait_for_event(self, timeout: dt.timedelta = ...) -> dict[str, Any]: ...  # default 10 s
    def send(self, cmd: str, args: dict[str, str] = ...) -> dict[str, str]: ...

class EfiVariable:
    # Subclass of ovmfvartool.AuthenticatedVariable (untyped, no stubs); only what the
    # driver itself touches is declared.
    volatile: bool
    boot_access: bool
    runtime_access: bool
    hardware_error_record: bool
    authenticated_write_access: bool
    time_based_authenticated_write_access: bool
    append_write: bool
    vendorUUID: uuid.UUID
    name: str
    data: bytes
    state: int
    flags: int
    def __init__(
        self,
        vendor_uuid: uuid.UUID | None = None,
        name: str | None = None,
        data: bytes | None = None,
        state: int | None = None,
        flags: int | None = None,
    ) -> None: ...
    def print(self) -> None: ...  # inherited from ovmfvartool; used by dump_efi_vars()

class EfiVars:
    state_path: Path
    machine: QemuMachine
    def __init__(self, state_path: Path, machine: QemuMachine) -> None: ...
    def read_content(self) -> dict[str, dict[str, EfiVariable]] | None: ...
    def create_empty(self) -> None: ...
    def write(self, add: list[EfiVariable]) -> None: ...

# --- test_driver.machine --------------------------------------------------------------

def retry(
    # Untyped `Callable` in the source; it is called as fn(last_try) and its result tested
    # for truth. Default timeout: 15 minutes.
    fn: Callable[[bool], object],
    timeout_seconds: int | dt.timedelta | None = None,  # deprecated: use `timeout`
    timeout: dt.timedelta | None = None,
) -> None: ...

class QemuStartCommand:
    def __init__(self, script: str) -> None: ...
    @property
    def machine_name(self) -> str: ...
    def cmd(
        self,
        monitor_socket_path: Path,
        qmp_socket_path: Path,
        shell_socket_path: Path,
        allow_reboot: bool = False,
        vsock_guest: Path | None = None,
    ) -> str: ...
    @staticmethod
    def build_environment(
        state_dir: Path, shared_dir: Path, efi_vars_path: Path | None = None
    ) -> dict[str, str]: ...
    def run(
        self,
        state_dir: Path,
        shared_dir: Path,
        monitor_socket_path: Path,
        qmp_socket_path: Path,
        shell_socket_path: Path,
        allow_reboot: bool,
        efi_vars_path: Path | None = None,
        vsock_guest: Path | None = None,
    ) -> subprocess.Popen[bytes]: ...

class BaseMachine:
    # An ABC in the source; is_up, start, wait_for_shutdown, shutdown, send_key are abstract.
    name: str
    # A bare `list[Callable]` in the source; the driver calls them with no arguments.
    callbacks: list[Callable[[], object]]
    tmp_dir: Path
    keep_machine_state: bool
    out_dir: Path
    logger: AbstractLogger
    state_dir: Path
    shared_dir: Path
    def __init__(
        self,
        out_dir: Path,
        name: str,
        logger: AbstractLogger,
        tmp_dir: Path,
        callbacks: list[Callable[[], object]] | None,
        keep_machine_state: bool,
    ) -> None: ...
    def log(self, msg: str) -> None: ...
    def log_serial(self, msg: str) -> None: ...
    def nested(self, msg: str, attrs: dict[str, str] = ...) -> AbstractContextManager[None]: ...
    def is_up(self) -> bool: ...
    def start(self) -> None: ...
    def wait_for_shutdown(self) -> None: ...
    def shutdown(self) -> None: ...
    def systemctl(self, q: str, user: str | None = None) -> tuple[int, str]: ...
    def wait_for_unit(
        self,
        unit: str,
        user: str | None = None,
        timeout: Duration = ...,  # 15 min
    ) -> None: ...
    def get_unit_info(self, unit: str, user: str | None = None) -> dict[str, str]: ...
    def get_unit_property(self, unit: str, property: str, user: str | None = None) -> str: ...
    def require_unit_state(self, unit: str, require_state: str = "active") -> None: ...
    def succeed(self, *commands: str, timeout: Duration | None = None) -> str: ...
    def fail(self, *commands: str, timeout: Duration | None = None) -> str: ...
    def wait_until_succeeds(self, command: str, timeout: Duration = ...) -> str: ...  # 15 min
    def wait_until_fails(self, command: str, timeout: Duration = ...) -> str: ...  # 15 min
    def sleep(
        self,
        secs: dt.timedelta | int | None = None,  # deprecated: use `duration`
        duration: dt.timedelta | None = None,  # one of the two is required
    ) -> None: ...
    def wait_for_file(self, filename: str, timeout: Duration = ...) -> None: ...  # 15 min
    def get_window_names(self) -> list[str]: ...
    def wait_for_window(self, regexp: str, timeout: Duration = ...) -> None: ...  # 15 min
    def send_key(
        self,
        key: str,
        delay: Duration | None = ...,
        log: bool | None = True,  # delay 10 ms
    ) -> None: ...
    def send_chars(self, chars: str, delay: Duration | None = ...) -> None: ...  # delay 10 ms
    def screenshot(self, filename: str) -> None: ...
    def get_screen_text_variants(self) -> list[str]: ...
    def get_screen_text(self) -> str: ...
    def wait_for_text(self, regex: str, timeout: Duration = ...) -> None: ...  # 15 min
    def wait_for_open_port(
        self,
        port: int,
        addr: str = "localhost",
        timeout: Duration = ...,  # 15 min
    ) -> None: ...
    def wait_for_open_unix_socket(
        self,
        addr: str,
        is_datagram: bool = False,
        timeout: Duration = ...,  # 15 min
    ) -> None: ...
    def wait_for_closed_port(
        self,
        port: int,
        addr: str = "localhost",
        timeout: Duration = ...,  # 15 min
    ) -> None: ...
    def start_job(self, jobname: str, user: str | None = None) -> tuple[int, str]: ...
    def stop_job(self, jobname: str, user: str | None = None) -> tuple[int, str]: ...
    def execute(
        self,
        command: str,
        check_return: bool = True,
        check_output: bool = True,
        timeout: Duration | None = ...,  # 15 min
    ) -> tuple[int, str]: ...
    def run_callbacks(self) -> None: ...
    def cleanup_statedir(self) -> None: ...
    def copy_from_machine(self, source: str, target_dir: str = "") -> None: ...
    @deprecated("Use copy_from_machine() instead")
    def copy_from_vm(self, source: str, target_dir: str = "") -> None: ...
    def copy_from_host_via_shell(self, source: str, target: str) -> None: ...
    def copy_from_host(self, source: str, target: str) -> None: ...

class QemuMachine(BaseMachine):
    monitor_path: Path
    qmp_path: Path
    shell_path: Path
    start_command: QemuStartCommand
    process: subprocess.Popen[bytes] | None
    pid: int | None
    monitor: socket.socket | None
    qmp_client: QMPSession | None
    shell: socket.socket | None
    serial_thread: threading.Thread | None
    vsock_guest: Path | None
    vsock_host: Path | None
    booted: bool
    connected: bool
    last_lines: Queue[str]
    full_console_log: list[str]
    efi_vars_path: Path
    efi_vars: EfiVars
    def __init__(
        self,
        out_dir: Path,
        tmp_dir: Path,
        start_command: str,
        logger: AbstractLogger,
        name: str | None = None,
        keep_machine_state: bool = False,
        callbacks: list[Callable[[], object]] | None = None,
        vsock_guest: Path | None = None,
        vsock_host: Path | None = None,
    ) -> None: ...
    def ssh_backdoor_command(self) -> str: ...
    def is_up(self) -> bool: ...
    def wait_for_monitor_prompt(self) -> str: ...
    def send_monitor_command(self, command: str) -> str: ...
    def get_tty_text(self, tty: str) -> str: ...
    def wait_until_tty_matches(
        self,
        tty: str,
        regexp: str,
        timeout: Duration = ...,  # 15 min
    ) -> None: ...
    def dump_tty_contents(self, tty: str) -> None: ...
    @deprecated("Use the SSH backdoor instead")
    def shell_interact(self, address: str | None = None) -> None: ...
    def console_interact(self) -> None: ...
    def wait_for_shutdown(self) -> None: ...
    def wait_for_qmp_event(
        self,
        event_filter: Callable[[dict[str, Any]], bool],  # `Any` as in the source
        timeout: Duration = ...,  # 10 min
    ) -> dict[str, Any]: ...
    def connect(self) -> None: ...
    def wait_for_console_text(self, regex: str, timeout: Duration | None = None) -> None: ...
    def get_console_log(self) -> str: ...
    def send_key(
        self,
        key: str,
        delay: Duration | None = ...,
        log: bool | None = True,  # delay 10 ms
    ) -> None: ...
    def send_console(self, chars: str) -> None: ...
    def start(self, allow_reboot: bool = False) -> None: ...
    def shutdown(self) -> None: ...
    def crash(self) -> None: ...
    def reboot(self) -> None: ...
    def wait_for_x(self, timeout: Duration = ...) -> None: ...  # 15 min
    def forward_port(self, host_port: int = 8080, guest_port: int = 80) -> None: ...
    def block(self) -> None: ...
    def unblock(self) -> None: ...
    def release(self) -> None: ...
    def switch_root(self) -> None: ...
    def dump_efi_vars(self) -> None: ...
    def read_efi_vars(self) -> list[EfiVariable]: ...
    def create_efi_vars(self) -> None: ...
    def write_efi_vars(self, add: list[EfiVariable]) -> None: ...

class NspawnMachine(BaseMachine):
    start_command: str
    process: subprocess.Popen[bytes] | None
    pid: int | None
    machine_sock_path: Path
    machine_sock: socket.socket | None
    notify_thread: threading.Thread | None
    @staticmethod
    def machine_name_from_start_command(start_command: str) -> str: ...
    # The driver @ 7fa4b8f5 also passes `vnc=...` here; the machine file @ 21411407 read
    # has no such parameter. Test scripts never construct machines, so it is left out.
    def __init__(
        self,
        out_dir: Path,
        name: str | None,
        start_command: str,
        tmp_dir: Path,
        logger: AbstractLogger,
        callbacks: list[Callable[[], object]] | None = None,
        keep_machine_state: bool = False,
    ) -> None: ...
    def wait_for_x(self, timeout: Duration = ...) -> None: ...  # 15 min
    def send_key(
        self,
        key: str,
        delay: Duration | None = ...,
        log: bool | None = True,  # delay 10 ms
    ) -> None: ...
    def ssh_backdoor_command(self) -> str: ...
    def release(self) -> None: ...
    def is_up(self) -> bool: ...
    @cached_property
    def get_systemd_process(self) -> int: ...
    def start(self) -> None: ...
    def shutdown(self) -> None: ...
    def wait_for_shutdown(self) -> None: ...

class MachineDeprecationWrapper:
    # What the driver binds to `machine` when there is one node that is not called
    # "machine": it forwards every attribute to `machine` and warns. The source's
    # __getattribute__ is untyped, hence `Any`.
    msg: str
    machine: QemuMachine | NspawnMachine
    def __init__(self, msg: str, machine: QemuMachine | NspawnMachine) -> None: ...
    def __getattr__(self, name: str) -> Any: ...

# Stub-only alias (see the header): what nixos-tests/*.py annotate their nodes with. Not
# in __all__, not a run-time name.
Machine: TypeAlias = QemuMachine

# --- test_driver.driver ---------------------------------------------------------------

class AssertionTester(unittest.TestCase):
    """`t`: unittest assertions raising RequestedAssertionFailed."""

class NspawnVncConfiguration:  # pydantic BaseModel in the source
    x11vnc: Path
    tigervnc: Path

class NodeConfiguration:  # pydantic BaseModel in the source
    name: str
    start_script: Path
    vnc: NspawnVncConfiguration | None

class DriverConfiguration:  # pydantic BaseModel in the source
    vms: dict[str, NodeConfiguration]
    containers: dict[str, NodeConfiguration]
    vlans: list[int]
    global_timeout: dt.timedelta
    enable_ssh_backdoor: bool
    test_script: Path

class VsockPair:  # a dataclass in the source
    guest: Path
    host: Path
    cid: int

class VHostDeviceVsock:
    temp_dir: Path
    sockets: dict[str, VsockPair]
    vhost_proc: subprocess.Popen[bytes]
    def __init__(self, tmp_dir: Path, machines: list[str]) -> None: ...

class _Poll:
    # The class polling_condition() builds (a local class `Poll` in the source).
    condition: PollingCondition
    def __init__(self, fun: Callable[[], bool | None]) -> None: ...
    def __enter__(self) -> None: ...
    def __exit__(self, a: object, b: object, c: object) -> None: ...
    def wait(
        self,
        timeout_seconds: int | dt.timedelta | None = None,  # deprecated: use `timeout`
        timeout: dt.timedelta | None = None,  # default 15 min
    ) -> None: ...

# The source annotates polling_condition() as returning
# `Callable[[Callable], AbstractContextManager] | AbstractContextManager`; the overloads
# below say which one each call form gets (and keep `.wait()` visible). The condition is
# an untyped `Callable` in the source; PollingCondition calls it with no arguments and
# counts `None` as success.
_Condition: TypeAlias = Callable[[], bool | None]

class Driver:
    config: DriverConfiguration
    tests: str
    out_dir: Path
    vlans: list[VLan]
    machines_qemu: list[QemuMachine]
    machines_nspawn: list[NspawnMachine]
    polling_conditions: list[PollingCondition]
    race_timer: threading.Timer
    keep_machine_state: bool
    logger: AbstractLogger
    debug: DebugAbstract
    vhost_vsock: VHostDeviceVsock | None
    interactive: bool
    def __init__(
        self,
        config: DriverConfiguration,
        out_dir: Path,
        logger: AbstractLogger,
        keep_machine_state: bool = False,
        debug: DebugAbstract = ...,  # DebugNop()
        interactive: bool = False,
    ) -> None: ...
    def __enter__(self) -> Driver: ...
    def __exit__(self, *_: object) -> None: ...
    @property
    def machines(self) -> list[QemuMachine | NspawnMachine]: ...
    # A bare generator method; the `subtest` global wraps it with @contextmanager.
    def subtest(self, name: str) -> Generator[None]: ...
    def test_symbols(self) -> dict[str, Any]: ...  # `Any` as in the source
    def dump_machine_ssh(self) -> None: ...
    def test_script(self) -> None: ...
    def run_tests(self) -> None: ...
    def start_all(self) -> None: ...
    def join_all(self) -> None: ...
    def terminate_test(self) -> None: ...
    def create_machine(
        self, start_command: str, *, name: str | None = None, keep_machine_state: bool = False
    ) -> QemuMachine: ...
    def serial_stdout_on(self) -> None: ...
    def serial_stdout_off(self) -> None: ...
    def check_polling_conditions(self) -> None: ...
    @overload
    def polling_condition(
        self,
        fun_: _Condition,
        *,
        seconds_interval: float | dt.timedelta | None = None,  # deprecated: use `interval`
        interval: dt.timedelta | None = None,  # default 2 s
        description: str | None = None,
    ) -> _Poll: ...
    @overload
    def polling_condition(
        self,
        fun_: None = None,
        *,
        seconds_interval: float | dt.timedelta | None = None,
        interval: dt.timedelta | None = None,
        description: str | None = None,
    ) -> Callable[[_Condition], _Poll]: ...

# --- the testScript globals (Driver.test_symbols) -------------------------------------

def start_all() -> None: ...
def test_script() -> None: ...

machines: list[QemuMachine | NspawnMachine]
machines_qemu: list[QemuMachine]
machines_nspawn: list[NspawnMachine]
vlans: list[VLan]
driver: Driver
log: AbstractLogger
# `os` is the os module itself (imported above).

def create_machine(
    start_command: str, *, name: str | None = None, keep_machine_state: bool = False
) -> QemuMachine: ...

# A @contextmanager function in the source; the result is also usable as a decorator.
def subtest(name: str) -> AbstractContextManager[None]: ...
def run_tests() -> None: ...
def join_all() -> None: ...

# `retry` is the module function declared above.

def serial_stdout_off() -> None: ...
def serial_stdout_on() -> None: ...
@overload
def polling_condition(
    fun_: _Condition,
    *,
    seconds_interval: float | dt.timedelta | None = None,  # deprecated: use `interval`
    interval: dt.timedelta | None = None,  # default 2 s
    description: str | None = None,
) -> _Poll: ...
@overload
def polling_condition(
    fun_: None = None,
    *,
    seconds_interval: float | dt.timedelta | None = None,
    interval: dt.timedelta | None = None,
    description: str | None = None,
) -> Callable[[_Condition], _Poll]: ...

# BaseMachine, QemuMachine, NspawnMachine: the classes above ("for typing").

t: AssertionTester
debug: DebugAbstract

def dump_machine_ssh() -> None: ...
