WORKSPACE = "/home/alice/microvm/demo/workspace"

host.wait_for_unit("multi-user.target")
create_vm("demo", "192.168.83.2")
start_vm("demo")

with subtest("a path added in the VM lands in its overlay, not in the host's store"):
    path = in_vm("demo", "echo agentvm-overlay-probe > probe && nix-store --add probe").strip()
    assert path.startswith("/nix/store/"), path
    in_vm("demo", f"test -e {path}")
    host.fail(f"test -e {path}")

with subtest("a restart forgets the overlay and keeps the workspace"):
    in_vm("demo", f"echo kept > {WORKSPACE}/kept.txt")
    host.succeed("systemctl restart microvm@demo.service")
    wait_for_ssh("demo")
    in_vm("demo", f"test ! -e {path}")
    assert in_vm("demo", f"cat {WORKSPACE}/kept.txt").strip() == "kept"
    owner = host.succeed(f"stat -c %U {WORKSPACE}/kept.txt").strip()
    assert owner == "alice", owner
