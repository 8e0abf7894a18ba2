# The per-VM names and addresses that follow from a VM's index. `agentvm new` computes the
# same values in python/src/agentvm (tests/nix/test_agreement.py proves they agree); the
# registry stores them, and Nix derives them only for VMs declared in Nix without them.
let
  ipv4 = import ./ipv4.nix;

  hexDigits = [
    "0"
    "1"
    "2"
    "3"
    "4"
    "5"
    "6"
    "7"
    "8"
    "9"
    "a"
    "b"
    "c"
    "d"
    "e"
    "f"
  ];
  hexByte = value: builtins.elemAt hexDigits (value / 16) + builtins.elemAt hexDigits (builtins.bitAnd value 15);
in
{
  # Locally administered unicast (02:…), the index in the last four bytes.
  mac =
    index:
    builtins.concatStringsSep ":" (
      [
        "02"
        "00"
      ]
      ++ map (shift: hexByte (builtins.bitAnd (index / shift) 255)) [
        16777216
        65536
        256
        1
      ]
    );

  # Derived from the index, not the VM name, so it stays within Linux's 15-character limit.
  tap = index: "agentvm${toString index}";

  ip = subnet: index: ipv4.hostAddress subnet index;
}
