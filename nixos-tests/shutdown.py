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
    # The hypervisor exited by itself, with 0, once the guest had powered off.
    shown = host.succeed(
        "systemctl show -p Result -p ExecMainCode -p ExecMainStatus microvm@demo.service"
    )
    status = dict(line.split("=", 1) for line in shown.split())
    # ExecMainCode 1 is CLD_EXITED: the process exited rather than being killed.
    assert status == {"Result": "success", "ExecMainCode": "1", "ExecMainStatus": "0"}, status
    journal = host.succeed("journalctl -b --no-pager -u microvm@demo.service")
    assert "reboot: Power down" in journal, "the guest did not power off"
    for sign_of_a_hang in ("stop-sigterm' timed out", "microvm@demo.service: Killing process"):
        assert sign_of_a_hang not in journal, sign_of_a_hang
