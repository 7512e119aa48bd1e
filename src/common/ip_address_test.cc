#include "common/ip_address.h"

#include <gtest/gtest.h>

namespace orgd {
namespace {

TEST(IpAddressTest, RefusesEveryNonPublicRange) {
  for (const char* a :
       {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.5",
        "::1", "::", "[::1]", "fe80::1", "fc00::1", "fd12::3", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::", "2001:db8::1",
        // The old forms libcurl and resolvers still read as addresses.
        "127.1", "0x7f.1", "2130706433", "0177.0.0.1", "10.1"}) {
    EXPECT_FALSE(IsPublicAddressLiteral(a)) << a;
  }
}

TEST(IpAddressTest, AcceptsPublicAddresses) {
  for (const char* a : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111",
                        "::ffff:8.8.8.8", "[2a00:1450::1]"}) {
    EXPECT_TRUE(IsPublicAddressLiteral(a)) << a;
  }
}

TEST(IpAddressTest, KnowsLiteralsFromNames) {
  EXPECT_TRUE(IsAddressLiteral("10.0.0.1"));
  EXPECT_TRUE(IsAddressLiteral("[::1]"));
  EXPECT_FALSE(IsAddressLiteral("example.com"));
  EXPECT_TRUE(IsAddressLiteral("0x7f.1"));
  EXPECT_FALSE(IsAddressLiteral("hooks.example.com"));
  EXPECT_FALSE(IsPublicAddressLiteral("example.com"));
}

}  // namespace
}  // namespace orgd
