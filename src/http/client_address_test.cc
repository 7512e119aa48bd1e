#include "http/client_address.h"

#include <gtest/gtest.h>

namespace orgd::http {
namespace {

std::vector<AddressRange> Ranges(std::initializer_list<const char*> cidrs) {
  std::vector<AddressRange> out;
  for (const char* c : cidrs) out.push_back(*AddressRange::Parse(c));
  return out;
}

TEST(ClientAddressTest, IgnoresForwardedForFromAnUntrustedPeer) {
  EXPECT_EQ(ClientAddress("203.0.113.7", {"198.51.100.1"}, Ranges({"10.0.0.0/8"})),
            "203.0.113.7");
  EXPECT_EQ(ClientAddress("10.0.0.2", {"198.51.100.1"}, {}), "10.0.0.2");  // nobody trusted
}

TEST(ClientAddressTest, TakesTheRightmostUntrustedHop) {
  const auto trusted = Ranges({"10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("10.0.0.2", {"198.51.100.1"}, trusted), "198.51.100.1");
  // The client wrote the first entry itself; the proxies appended the rest.
  EXPECT_EQ(ClientAddress("10.0.0.2", {"1.2.3.4, 198.51.100.1, 10.0.0.9"}, trusted),
            "198.51.100.1");
  // Several headers are one list, in order.
  EXPECT_EQ(ClientAddress("10.0.0.2", {"1.2.3.4", "198.51.100.1"}, trusted), "198.51.100.1");
  EXPECT_EQ(ClientAddress("10.0.0.2", {"2001:db8::5"}, trusted), "2001:db8::5");
}

TEST(ClientAddressTest, StopsAtWhatIsNotAnAddress) {
  const auto trusted = Ranges({"10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("10.0.0.2", {"1.2.3.4, unknown"}, trusted), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", {"1.2.3.4, garbage, 10.0.0.3"}, trusted), "10.0.0.3");
  EXPECT_EQ(ClientAddress("10.0.0.2", {""}, trusted), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", {}, trusted), "10.0.0.2");
}

TEST(ClientAddressTest, AllTrustedMeansTheLeftmost) {
  EXPECT_EQ(ClientAddress("10.0.0.2", {"10.0.0.4, 10.0.0.3"}, Ranges({"10.0.0.0/8"})),
            "10.0.0.4");
}

TEST(ClientAddressTest, LimitsCountIpv6ClientsByTheirSlash64) {
  EXPECT_EQ(LimitKey("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(LimitKey("::ffff:203.0.113.7"), "203.0.113.7");  // a dual-stack socket's form
  EXPECT_EQ(LimitKey("2001:db8:1:2:aaaa::1"), LimitKey("2001:db8:1:2:bbbb::9"));
  EXPECT_NE(LimitKey("2001:db8:1:2::1"), LimitKey("2001:db8:1:3::1"));
  EXPECT_EQ(LimitKey("not an address"), "not an address");
}

}  // namespace
}  // namespace orgd::http
