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

TEST(AddressRangeTest, MatchesAddressesInsideThePrefix) {
  auto ten = AddressRange::Parse("10.0.0.0/8");
  ASSERT_TRUE(ten);
  EXPECT_TRUE(ten->Contains("10.1.2.3"));
  EXPECT_TRUE(ten->Contains("::ffff:10.9.9.9"));  // a dual-stack socket's form
  EXPECT_FALSE(ten->Contains("11.0.0.1"));
  EXPECT_FALSE(ten->Contains("not an address"));

  auto one = AddressRange::Parse("127.0.0.2");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->Contains("127.0.0.2"));
  EXPECT_FALSE(one->Contains("127.0.0.1"));

  auto odd = AddressRange::Parse("192.168.4.0/22");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->Contains("192.168.7.255"));
  EXPECT_FALSE(odd->Contains("192.168.8.0"));

  auto v6 = AddressRange::Parse("fd00::/8");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->Contains("[fd12::1]"));
  EXPECT_FALSE(v6->Contains("fe80::1"));
  EXPECT_FALSE(v6->Contains("10.0.0.1"));

  auto all = AddressRange::Parse("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->Contains("203.0.113.9"));
  EXPECT_FALSE(all->Contains("2001:db8::1"));  // IPv4's /0 is every IPv4 address only
}

TEST(AddressRangeTest, RefusesWhatIsNotARange) {
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.1/8", "10.0.0.0/", "10.0.0.0/x",
                          "127.1", "example.com", "10.0.0.0/08x", "0x7f.0.0.1"}) {
    EXPECT_FALSE(AddressRange::Parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace orgd
