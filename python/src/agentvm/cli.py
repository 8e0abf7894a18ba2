"""The `agentvm` command line: parses arguments, calls the logic, prints the outcome.

No `from __future__ import annotations` here: typer reads the annotations at run time.
"""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from agentvm.errors import AgentvmError
from agentvm.lifecycle import (
    NewVm,
    VmStatus,
    create_vm,
    list_vms,
    rekey_vm,
    remove_vm,
    show_vm,
    ssh_command,
)
from agentvm.views import next_steps, vm_details, vm_list_table, vm_record
from agentvm.vm import DEFAULT_MEM_MIB, DEFAULT_VCPU, Egress

app = typer.Typer(
    name="agentvm",
    help="Disposable, isolated microVMs for coding agents on NixOS.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

NameArgument = Annotated[
    str, typer.Argument(metavar="NAME", help="The VM's name, a lower-case DNS label.")
]
RegistryOption = Annotated[
    Path,
    typer.Option(metavar="FILE", help="The registry Nix reads, usually in your flake."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
DEFAULT_REGISTRY = Path("vms.toml")


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn user and system errors into one line on stderr and exit status 1."""
    try:
        yield
    except AgentvmError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{error.strerror}: {error.filename}" if error.filename else str(error))


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2))


@app.command()
def new(
    name: NameArgument,
    registry: RegistryOption = DEFAULT_REGISTRY,
    state_dir: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            envvar="AGENTVM_STATE_DIR",
            show_default="~/microvm",
            help="Where VM state directories live.",
        ),
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="Share this directory, not <state>/NAME/workspace."),
    ] = None,
    vcpu: Annotated[int, typer.Option(metavar="N", help="Virtual CPUs.")] = DEFAULT_VCPU,
    mem: Annotated[int, typer.Option(metavar="MIB", help="Memory in MiB.")] = DEFAULT_MEM_MIB,
    egress: Annotated[
        str,
        typer.Option(metavar="POLICY", help="What the VM may reach: internet, allowlist or none."),
    ] = Egress.INTERNET.value,
    allow: Annotated[
        list[str] | None,
        typer.Option(
            metavar="DOMAIN", help="A domain the VM may reach with --egress allowlist; repeatable."
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Create a VM: allocate its address, make its state and pinned host key, register it."""
    with _reported_errors():
        request = NewVm(
            name=name,
            state_root=state_dir,
            workspace=workspace,
            vcpu=vcpu,
            mem=mem,
            egress=egress,
            allow=tuple(allow or ()),
        )
        vm = create_vm(registry, request)
        if json_:
            _print_json(vm_record(VmStatus(vm, state=None)))
        else:
            typer.echo(next_steps(vm, registry))


@app.command("list")
def list_(registry: RegistryOption = DEFAULT_REGISTRY, json_: JsonOption = False) -> None:
    """List the registered VMs and whether they are running."""
    with _reported_errors():
        statuses = list_vms(registry)
        if json_:
            _print_json([vm_record(status) for status in statuses])
        else:
            typer.echo(vm_list_table(statuses))


@app.command()
def show(
    name: NameArgument, registry: RegistryOption = DEFAULT_REGISTRY, json_: JsonOption = False
) -> None:
    """Show everything recorded about one VM."""
    with _reported_errors():
        status = show_vm(registry, name)
        if json_:
            _print_json(vm_record(status))
        else:
            typer.echo(vm_details(status))


@app.command()
def ssh(
    name: NameArgument,
    command: Annotated[
        list[str] | None,
        typer.Argument(metavar="COMMAND", help="A command to run instead of a login shell."),
    ] = None,
    registry: RegistryOption = DEFAULT_REGISTRY,
) -> None:
    """Log in to the VM (or run `-- COMMAND...` in it), its host key already verified."""
    with _reported_errors():
        argv = ssh_command(registry, name, command or [])
        os.execv(argv[0], argv)  # ssh replaces agentvm: its exit status is the session's


@app.command()
def rm(
    name: NameArgument,
    registry: RegistryOption = DEFAULT_REGISTRY,
    purge: Annotated[
        bool, typer.Option(help="Also delete the workspace inside the VM's state directory.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Remove the VM even while it runs.")] = False,
) -> None:
    """Remove a VM: its registry entry, host keys, pins, ssh_config and home."""
    with _reported_errors():
        for path in remove_vm(registry, name, purge=purge, force=force):
            typer.echo(f"kept {path}")
        typer.echo(f"Removed VM {name!r}; rebuild the host to drop its configuration.")


@app.command()
def rekey(name: NameArgument, registry: RegistryOption = DEFAULT_REGISTRY) -> None:
    """Replace the VM's SSH host key and pin the new one."""
    with _reported_errors():
        vm = rekey_vm(registry, name)
        typer.echo(f"New host key for VM {name!r} in {vm.state_dir}; restart the VM to use it.")


def main() -> None:
    app()
