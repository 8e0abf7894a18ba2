host.wait_for_unit("multi-user.target")
create_vm("demo", "192.168.83.2")
start_vm("demo")

with subtest("home-manager activated alice's environment"):
    host.wait_until_succeeds(
        as_alice("agentvm ssh demo -- systemctl is-active home-manager-alice.service"),
        timeout=BOOT_TIMEOUT,
    )

with subtest("the chosen agent CLIs are on the agent's PATH"):
    in_vm("demo", "bash -lc 'command -v claude && command -v codex'")

with subtest("the agent cannot read the SSH host private key"):
    assert not reaches("demo", "cat /run/agentvm/ssh_host_ed25519_key")
    assert not reaches("demo", "ls /run/agentvm")
    # Only mounted while the key is copied at boot; sshd proved it has the key by
    # passing the pinned host-key check of every session above.
    assert not reaches("demo", "grep -q host-keys /proc/mounts")
