#include "common/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

namespace orgd {
namespace {

bool IsPublicV4(uint32_t a) {  // host byte order
  const auto in = [a](uint32_t net, int bits) {
    return bits == 0 || (a >> (32 - bits)) == (net >> (32 - bits));
  };
  return !(in(0x00000000, 8) ||     // 0.0.0.0/8 "this network"
           in(0x0A000000, 8) ||     // 10/8
           in(0x64400000, 10) ||    // 100.64/10 shared (CGNAT)
           in(0x7F000000, 8) ||     // 127/8 loopback
           in(0xA9FE0000, 16) ||    // 169.254/16 link-local (cloud metadata)
           in(0xAC100000, 12) ||    // 172.16/12
           in(0xC0000000, 24) ||    // 192.0.0/24 protocol assignments
           in(0xC0000200, 24) ||    // 192.0.2/24 documentation
           in(0xC0A80000, 16) ||    // 192.168/16
           in(0xC6120000, 15) ||    // 198.18/15 benchmarking
           in(0xC6336400, 24) ||    // 198.51.100/24 documentation
           in(0xCB007100, 24) ||    // 203.0.113/24 documentation
           in(0xE0000000, 4) ||     // 224/4 multicast
           in(0xF0000000, 4));      // 240/4 reserved, broadcast
}

bool IsPublicV6(const in6_addr& a) {
  const uint8_t* b = a.s6_addr;
  static const uint8_t kZero[16] = {};
  if (std::memcmp(b, kZero, 16) == 0) return false;  // ::
  if (std::memcmp(b, kZero, 15) == 0 && b[15] == 1) return false;  // ::1
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): judge the IPv4 address.
  const bool mapped = std::memcmp(b, kZero, 10) == 0 && b[10] == 0xff && b[11] == 0xff;
  const bool compatible = std::memcmp(b, kZero, 12) == 0;
  if (mapped || compatible) {
    return IsPublicV4(static_cast<uint32_t>(b[12]) << 24 | b[13] << 16 | b[14] << 8 | b[15]);
  }
  if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return false;  // 64:ff9b::/96
  if ((b[0] & 0xfe) == 0xfc) return false;                          // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;          // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;          // fec0::/10 site-local
  if (b[0] == 0xff) return false;                                   // ff00::/8 multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // 2001:db8::/32
  if (b[0] == 0x20 && b[1] == 0x02) {  // 2002::/16 6to4: the embedded IPv4 address decides
    return IsPublicV4(static_cast<uint32_t>(b[2]) << 24 | b[3] << 16 | b[4] << 8 | b[5]);
  }
  return true;
}

std::string Unbracketed(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  return std::string(text);
}

}  // namespace

bool IsPublicAddress(const sockaddr* address) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    return IsPublicV4(ntohl(v4->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    return IsPublicV6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  }
  return false;
}

// inet_aton, not inet_pton: it also reads the old forms resolvers and libcurl still accept
// ("127.1", "0x7f.1", "2130706433"), which must not slip past as names.
bool IsAddressLiteral(std::string_view text) {
  const std::string s = Unbracketed(text);
  in_addr v4;
  in6_addr v6;
  return inet_aton(s.c_str(), &v4) != 0 || inet_pton(AF_INET6, s.c_str(), &v6) == 1;
}

bool IsPublicAddressLiteral(std::string_view literal) {
  const std::string s = Unbracketed(literal);
  sockaddr_in v4{};
  if (inet_aton(s.c_str(), &v4.sin_addr) != 0) {
    v4.sin_family = AF_INET;
    return IsPublicAddress(reinterpret_cast<const sockaddr*>(&v4));
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    return IsPublicAddress(reinterpret_cast<const sockaddr*>(&v6));
  }
  return false;
}

}  // namespace orgd
