import time

STOP_LIMIT_SECONDS = 10

host.wait_for_unit("multi-user.target")
create_vm("demo", "192.168.83.2")
start_vm("demo")

with subtest("stopping the VM is quick and clean"):
    started = time.monotonic()
    host.succeed("systemctl stop microvm@demo.service")
    seconds = time.monotonic() - started
    print(f"agentvm: systemctl stop microvm@demo took {seconds:.1f} s")
    assert seconds <= STOP_LIMIT_SECONDS, f"stopping took {seconds:.1f} s"
    assert host.succeed("systemctl show -P Result microvm@demo.service").strip() == "success"
    host.fail("pgrep -f cloud-hypervisor")
    journal = host.succeed("journalctl -b --no-pager -u microvm@demo.service")
    assert "reboot: Power down" in journal, "the guest did not power off"
    for sign_of_a_hang in ("timed out", "Killing process", "SIGKILL"):
        assert sign_of_a_hang not in journal, sign_of_a_hang
