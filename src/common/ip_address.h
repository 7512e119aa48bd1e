// Network addresses: which ones a webhook may reach (no loopback, private, link-local, shared,
// multicast, reserved or unspecified address — IPv4, IPv6, and IPv4 mapped into IPv6 — so that an
// endpoint URL cannot make orgd a way into the operator's own network: SSRF), and address ranges
// (the --trusted-proxy list). Pure; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

struct sockaddr;

namespace orgd {

// True for an address of the public internet.
bool IsPublicAddress(const sockaddr* address);
// The same for an address literal ("10.0.0.1", "::1", "[::1]"); false for anything else.
bool IsPublicAddressLiteral(std::string_view literal);
// True when `text` is an IPv4 or IPv6 address literal (brackets allowed).
bool IsAddressLiteral(std::string_view text);

// A range of addresses in CIDR notation: "10.0.0.0/8", "::1/128", or one address ("127.0.0.1",
// the whole address). IPv4 addresses are kept as IPv4-mapped IPv6, so "127.0.0.1" also matches a
// dual-stack socket's "::ffff:127.0.0.1".
class AddressRange {
 public:
  // Strict inet_pton forms only (a proxy list is configuration, not something to guess at);
  // nullopt for anything else, a prefix past the address's length, or bits set past the prefix.
  static std::optional<AddressRange> Parse(std::string_view cidr);
  // True when `address` (a literal, brackets allowed) lies in the range.
  bool Contains(std::string_view address) const;

 private:
  std::array<uint8_t, 16> network_{};
  int prefix_bits_ = 128;
};

// `address` as 16 bytes of IPv6 (IPv4 as ::ffff:a.b.c.d), or nullopt when it is not a strict
// IPv4 or IPv6 literal (brackets allowed).
std::optional<std::array<uint8_t, 16>> ParseAddress(std::string_view address);

}  // namespace orgd
