# agentvm's pure helpers (builtins only), exported as the flake's `lib`.
{
  agents = import ./agents.nix;
  addressing = import ./addressing.nix;
  egress = import ./egress.nix;
  ipv4 = import ./ipv4.nix;
  layout = import ./layout.nix;
  names = import ./names.nix;
  registry = import ./registry.nix;
}
