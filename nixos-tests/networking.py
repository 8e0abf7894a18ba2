start_all()
host.wait_for_unit("multi-user.target")

with subtest("the VM comes up at its registry address, reached on its pinned key"):
    create_vm("demo", "192.168.83.2")
    seconds = start_vm("demo")
    print(f"agentvm: microvm@demo start to SSH ready: {seconds:.1f} s")
    assert "inet 192.168.83.2/24" in in_vm("demo", "ip -4 addr show")

with subtest("a host key other than the pinned one is refused"):
    # The pin changes while the VM still presents the old key.
    host.succeed(as_alice("agentvm rekey demo"))
    refused = host.fail(as_alice("agentvm ssh demo -- true 2>&1"))
    assert "Host key verification failed" in refused, refused
    # At its next boot the VM copies the new key, and the pin holds again.
    host.succeed("systemctl restart microvm@demo.service")
    wait_for_ssh("demo")

with subtest("the VM resolves a name and fetches a page from outside through NAT"):
    outside.wait_for_unit("nginx.service")
    outside.wait_for_unit("dnsmasq.service")
    page = in_vm("demo", "curl -fsS --max-time 10 http://outside.test/")
    assert "hello from outside" in page, page
