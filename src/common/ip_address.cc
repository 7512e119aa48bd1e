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
  return !(in(0x00000000, 8) ||   // 0.0.0.0/8 "this network"
           in(0x0A000000, 8) ||   // 10/8
           in(0x64400000, 10) ||  // 100.64/10 shared (CGNAT)
           in(0x7F000000, 8) ||   // 127/8 loopback
           in(0xA9FE0000, 16) ||  // 169.254/16 link-local (cloud metadata)
           in(0xAC100000, 12) ||  // 172.16/12
           in(0xC0000000, 24) ||  // 192.0.0/24 protocol assignments
           in(0xC0000200, 24) ||  // 192.0.2/24 documentation
           in(0xC0A80000, 16) ||  // 192.168/16
           in(0xC6120000, 15) ||  // 198.18/15 benchmarking
           in(0xC6336400, 24) ||  // 198.51.100/24 documentation
           in(0xCB007100, 24) ||  // 203.0.113/24 documentation
           in(0xE0000000, 4) ||   // 224/4 multicast
           in(0xF0000000, 4));    // 240/4 reserved, broadcast
}

bool IsPublicV6(const in6_addr& a) {
  const uint8_t* b = a.s6_addr;
  static const uint8_t kZero[16] = {};
  if (std::memcmp(b, kZero, 16) == 0) return false;                // ::
  if (std::memcmp(b, kZero, 15) == 0 && b[15] == 1) return false;  // ::1
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): judge the IPv4 address.
  const bool mapped = std::memcmp(b, kZero, 10) == 0 && b[10] == 0xff && b[11] == 0xff;
  const bool compatible = std::memcmp(b, kZero, 12) == 0;
  if (mapped || compatible) {
    return IsPublicV4(static_cast<uint32_t>(b[12]) << 24 | b[13] << 16 | b[14] << 8 | b[15]);
  }
  if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return false;  // 64:ff9b::/96
  if ((b[0] & 0xfe) == 0xfc) return false;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;  // fec0::/10 site-local
  if (b[0] == 0xff) return false;                           // ff00::/8 multicast
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

std::optional<std::array<uint8_t, 16>> ParseAddress(std::string_view address) {
  const std::string s = Unbracketed(address);
  std::array<uint8_t, 16> out{};
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4.s_addr, 4);
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), v6.s6_addr, 16);
    return out;
  }
  return std::nullopt;
}

std::optional<AddressRange> AddressRange::Parse(std::string_view cidr) {
  std::string_view address = cidr;
  std::optional<int> bits;
  if (size_t slash = cidr.find('/'); slash != std::string_view::npos) {
    address = cidr.substr(0, slash);
    std::string_view digits = cidr.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    bits = n;
  }
  auto parsed = ParseAddress(address);
  if (!parsed) return std::nullopt;
  const bool v4 = address.find(':') == std::string_view::npos;
  const int max_bits = v4 ? 32 : 128;
  const int own_bits = bits.value_or(max_bits);
  if (own_bits < 0 || own_bits > max_bits) return std::nullopt;
  AddressRange range;
  range.network_ = *parsed;
  range.prefix_bits_ = v4 ? 96 + own_bits : own_bits;
  // Bits set past the prefix mean the operator wrote something other than they meant.
  for (int bit = range.prefix_bits_; bit < 128; ++bit) {
    if (range.network_[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;
  }
  return range;
}

bool AddressRange::Contains(std::string_view address) const {
  auto parsed = ParseAddress(address);
  if (!parsed) return false;
  const int full_bytes = prefix_bits_ / 8;
  if (std::memcmp(parsed->data(), network_.data(), full_bytes) != 0) return false;
  if (const int rest = prefix_bits_ % 8; rest != 0) {
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
    if (((*parsed)[full_bytes] & mask) != (network_[full_bytes] & mask)) return false;
  }
  return true;
}

}  // namespace orgd
