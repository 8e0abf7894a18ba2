DEMO = "192.168.83.2"
OTHER = "192.168.83.3"
GATEWAY = "192.168.83.1"
LAN_HOST = "192.168.2.2"
OUTSIDE = "203.0.113.2"
METADATA = "169.254.169.254"

start_all()
host.wait_for_unit("multi-user.target")
create_vm("demo", DEMO)
create_vm("other", OTHER)
start_vm("demo")
start_vm("other")

with subtest("every target below is up and reachable from the host itself"):
    lan.wait_for_unit("nginx.service")
    outside.wait_for_unit("nginx.service")
    host.wait_for_unit("host-service.service")
    host.wait_for_open_port(8080)
    for address, port in [(LAN_HOST, 80), (OUTSIDE, 80), (METADATA, 80), (GATEWAY, 8080)]:
        host.succeed(tcp(address, port))

with subtest("an internet VM reaches the outside, by name"):
    assert reaches("demo", "curl -fsS --max-time 10 http://outside.test/")

with subtest("an internet VM reaches no LAN host, no metadata and no host port"):
    assert not reaches("demo", tcp(LAN_HOST, 80))
    assert not reaches("demo", tcp(METADATA, 80))
    assert not reaches("demo", tcp(GATEWAY, 8080))

with subtest("VMs cannot reach each other"):
    assert not reaches("demo", tcp(OTHER, 22))
    assert not reaches("other", tcp(DEMO, 22))

with subtest("a VM without egress reaches nothing, not even DNS"):
    assert not reaches("other", tcp(OUTSIDE, 80))
    assert not reaches("other", tcp(OUTSIDE, 53))
    assert not reaches("other", tcp(GATEWAY, 53))

with subtest("the LAN cannot open a connection to a VM; the host can"):
    lan.fail(tcp(DEMO, 22))
    lan.fail(tcp(OTHER, 22))
    in_vm("other", "true")
    host.succeed(as_alice("agentvm ssh demo -- true"))
