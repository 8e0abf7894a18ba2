# The test networks. The "internet" uses TEST-NET-3, a public-looking range the egress
# policy lets through; the nodes' default 192.168.x addresses are what it blocks.
{
  hostUplink = "203.0.113.1";
  outside = "203.0.113.2";
  metadata = "169.254.169.254";
  lanVlan = 2;
  uplinkVlan = 1;
}
