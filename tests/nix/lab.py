"""A host, its VMs, a LAN and an "internet" as network namespaces on this machine, for
sending real packets through agentvm's egress policy. Needs root, iproute2, nftables and
dnsmasq. Every address lives in namespaces the lab made; nothing leaves this machine."""

import itertools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

PROBE = Path(__file__).with_name("probe.py")

BRIDGE = "microbr"
GATEWAY = "192.168.83.1"
PREFIX_LENGTH = 24

UPLINK = "uplink0"
HOST_UPLINK_ADDRESS = "203.0.113.1"  # TEST-NET-3: public-looking, routed nowhere
INTERNET_ADDRESS = "203.0.113.2"
ALLOWED_SITE = "203.0.113.10"
BLOCKED_SITE = "203.0.113.11"
PUBLIC_RESOLVER = "203.0.113.53"
METADATA = "169.254.169.254"

LAN_LINK = "lan0"
HOST_LAN_ADDRESS = "192.168.50.1"
LAN_ADDRESS = "192.168.50.2"

HTTP = 80
SSH = 22
HOST_SERVICE = 8080

# What networking.nat does on a NixOS host.
NAT_RULESET = f"""table ip lab_nat {{
  chain postrouting {{
    type nat hook postrouting priority srcnat;
    oifname "{UPLINK}" masquerade
  }}
}}
"""

# The public DNS the VMs' world resolves names with.
PUBLIC_RESOLVER_SETTINGS = {
    "listen-address": PUBLIC_RESOLVER,
    "bind-interfaces": True,
    "no-resolv": True,
    "no-hosts": True,
    "address": [f"/allowed.test/{ALLOWED_SITE}", f"/blocked.test/{BLOCKED_SITE}"],
}

REQUIRED_TOOLS = ("ip", "nft", "dnsmasq")
_labs = itertools.count()


def missing_requirements() -> str | None:
    """Why the lab cannot run here, or None."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not on PATH (Debian: iproute2, nftables, dnsmasq-base)"
    return None


@dataclass(frozen=True)
class GuestLink:
    """A VM as the lab wires it: its namespace joins the bridge through `tap`."""

    name: str
    ip: str
    tap: str


class Lab:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.prefix = f"avm{os.getpid()}x{next(_labs)}"
        self.namespaces: list[str] = []
        self.processes: list[subprocess.Popen[bytes]] = []

    def ns(self, role: str) -> str:
        return f"{self.prefix}-{role}"

    def inside(self, role: str, *argv: str) -> list[str]:
        """The command line that runs `argv` in `role`'s namespace."""
        return ["ip", "netns", "exec", self.ns(role), *argv]

    def run(self, role: str, *argv: str) -> str:
        result = subprocess.run(
            self.inside(role, *argv),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{role}: {' '.join(argv)}: {result.stderr.strip()}")
        return result.stdout

    def start(self, role: str, *argv: str) -> None:
        """Starts a long-running process in `role`'s namespace, ended by close()."""
        self.processes.append(
            subprocess.Popen(
                self.inside(role, *argv),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    def listen(self, role: str, address: str, port: int) -> None:
        """A TCP listener that accepts and closes: reaching it is what `connects` tests."""
        server = (
            "import socket\n"
            "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            f"s.bind(({address!r}, {port})); s.listen(16)\n"
            "while True: s.accept()[0].close()\n"
        )
        self.start(role, sys.executable, "-c", server)

    def connects(self, role: str, address: str, port: int) -> bool:
        completed = subprocess.run(
            self.inside(role, sys.executable, str(PROBE), "connect", address, str(port)),
            capture_output=True,
            check=False,
        )
        return completed.returncode == 0

    def resolves(self, role: str, server: str, name: str) -> list[str]:
        return self.run(role, sys.executable, str(PROBE), "resolve", server, name).split()

    def build(self, guests: Sequence[GuestLink]) -> None:
        for role in ["host", "lan", "internet", *(guest.name for guest in guests)]:
            subprocess.run(["ip", "netns", "add", self.ns(role)], check=True)
            self.namespaces.append(self.ns(role))
            self.run(role, "ip", "link", "set", "lo", "up")

        self._ip("link", "add", BRIDGE, "type", "bridge")
        self._ip("addr", "add", f"{GATEWAY}/{PREFIX_LENGTH}", "dev", BRIDGE)
        self._ip("link", "set", BRIDGE, "up")
        for guest in guests:
            self._link(guest.tap, guest.name, f"{guest.ip}/{PREFIX_LENGTH}", GATEWAY)
            self._ip("link", "set", guest.tap, "master", BRIDGE)
            self.listen(guest.name, "0.0.0.0", SSH)

        self._link(UPLINK, "internet", f"{INTERNET_ADDRESS}/24", None)
        self._ip("addr", "add", f"{HOST_UPLINK_ADDRESS}/24", "dev", UPLINK)
        for extra in (ALLOWED_SITE, BLOCKED_SITE, PUBLIC_RESOLVER, METADATA):
            self.run("internet", "ip", "addr", "add", f"{extra}/32", "dev", "eth0")
        # As a cloud host would route its metadata service.
        self._ip("route", "add", f"{METADATA}/32", "via", INTERNET_ADDRESS)

        # The LAN routes back through the host, so only a filter can keep a VM out.
        self._link(LAN_LINK, "lan", f"{LAN_ADDRESS}/24", HOST_LAN_ADDRESS)
        self._ip("addr", "add", f"{HOST_LAN_ADDRESS}/24", "dev", LAN_LINK)

        self.run("host", "sysctl", "-qw", "net.ipv4.ip_forward=1")
        # Bridged frames skip the inet hooks, as on a NixOS host without br_netfilter:
        # the bridge-family table alone must keep VMs apart.
        if Path("/proc/sys/net/bridge/bridge-nf-call-iptables").exists():
            self.run("host", "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0")
        self.load_ruleset(NAT_RULESET)

        for address in (ALLOWED_SITE, BLOCKED_SITE, METADATA):
            self.listen("internet", address, HTTP)
        self.listen("lan", LAN_ADDRESS, HTTP)
        self.listen("host", "0.0.0.0", HOST_SERVICE)
        self.start_dnsmasq("internet", PUBLIC_RESOLVER_SETTINGS)
        self.wait_for(lambda: self.connects("host", PUBLIC_RESOLVER, 53), "the public resolver")
        for guest in guests:
            self.wait_for(partial(self.connects, "host", guest.ip, SSH), f"{guest.name} port 22")

    def load_ruleset(self, text: str) -> None:
        ruleset = self.directory / f"ruleset-{len(list(self.directory.iterdir()))}.nft"
        ruleset.write_text(text)
        self.run("host", "nft", "-f", str(ruleset))

    def start_dnsmasq(self, role: str, settings: Mapping[str, object]) -> None:
        config = self.directory / f"dnsmasq-{role}.conf"
        config.write_text(render_dnsmasq(settings))
        self.start(
            role,
            "dnsmasq",
            "--keep-in-foreground",
            f"--conf-file={config}",
            f"--pid-file={self.directory / f'dnsmasq-{role}.pid'}",
            "--user=root",
        )

    def wait_for(self, ready: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while not ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"lab: {what} did not come up")
            time.sleep(0.1)

    def close(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=10)
        for namespace in self.namespaces:
            subprocess.run(["ip", "netns", "del", namespace], check=False)

    def _ip(self, *argv: str) -> None:
        subprocess.run(["ip", "-n", self.ns("host"), *argv], check=True, capture_output=True)

    def _link(self, host_end: str, role: str, address: str, gateway: str | None) -> None:
        """A veth pair: `host_end` in the host, `eth0` with `address` in `role`."""
        self._ip("link", "add", host_end, "type", "veth", "peer", "eth0", "netns", self.ns(role))
        self._ip("link", "set", host_end, "up")
        self.run(role, "ip", "addr", "add", address, "dev", "eth0")
        self.run(role, "ip", "link", "set", "eth0", "up")
        if gateway is not None:
            self.run(role, "ip", "route", "add", "default", "via", gateway)


def render_nftables(tables: Mapping[str, Mapping[str, str]]) -> str:
    """The tables as NixOS' nftables module writes them (networking.nftables.tables)."""
    return "".join(
        f"table {t['family']} {t['name']}\ndelete table {t['family']} {t['name']}\n"
        f"table {t['family']} {t['name']} {{\n{t['content']}\n}}\n"
        for t in tables.values()
    )


def render_dnsmasq(settings: Mapping[str, object]) -> str:
    """Settings as NixOS' dnsmasq module writes them: `true` as a bare key, lists repeated."""
    lines = []
    for key, value in settings.items():
        for item in value if isinstance(value, list) else [value]:
            lines.append(key if item is True else f"{key}={item}")
    return "\n".join(lines) + "\n"


@contextmanager
def lab(directory: Path, guests: Sequence[GuestLink]) -> Iterator[Lab]:
    built = Lab(directory)
    try:
        built.build(guests)
        yield built
    finally:
        built.close()
