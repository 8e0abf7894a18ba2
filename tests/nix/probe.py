"""Runs inside a test network namespace: ``connect ADDRESS PORT`` exits 0 when a TCP
connection opens within a second, ``resolve SERVER NAME`` prints the A records a DNS
server gives for NAME (nothing for NXDOMAIN or silence). Standard library only."""

import random
import socket
import struct
import sys

TIMEOUT_SECONDS = 1.0
TYPE_A = 1


def connect(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=TIMEOUT_SECONDS):
            return True
    except OSError:
        return False


def query(name: str) -> tuple[int, bytes]:
    ident = random.randrange(1 << 16)
    header = struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0)  # recursion desired
    qname = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    return ident, header + qname + struct.pack("!HH", TYPE_A, 1)


def skip_name(message: bytes, offset: int) -> int:
    while message[offset] != 0:
        if message[offset] & 0xC0 == 0xC0:  # a compression pointer ends the name
            return offset + 2
        offset += message[offset] + 1
    return offset + 1


def resolve(server: str, name: str) -> list[str]:
    ident, request = query(name)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(TIMEOUT_SECONDS)
        try:
            sock.sendto(request, (server, 53))
            reply = sock.recv(4096)
        except OSError:
            return []
    got_ident, _flags, questions, answers = struct.unpack("!HHHH", reply[:8])
    if got_ident != ident:
        return []
    offset = 12
    for _ in range(questions):
        offset = skip_name(reply, offset) + 4
    addresses = []
    for _ in range(answers):
        offset = skip_name(reply, offset)
        rtype, _class, _ttl, length = struct.unpack("!HHIH", reply[offset : offset + 10])
        offset += 10
        if rtype == TYPE_A and length == 4:
            addresses.append(socket.inet_ntoa(reply[offset : offset + 4]))
        offset += length
    return addresses


if __name__ == "__main__":
    command, first, second = sys.argv[1:4]
    if command == "connect":
        sys.exit(0 if connect(first, int(second)) else 1)
    print("\n".join(resolve(first, second)))
