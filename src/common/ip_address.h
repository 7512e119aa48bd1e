// Which network addresses a webhook may reach: no loopback, private, link-local, shared,
// multicast, reserved or unspecified address (IPv4, IPv6, and IPv4 mapped into IPv6), so that an
// endpoint URL cannot make orgd a way into the operator's own network (SSRF). Pure; thread-safe.
#pragma once

#include <string_view>

struct sockaddr;

namespace orgd {

// True for an address of the public internet.
bool IsPublicAddress(const sockaddr* address);
// The same for an address literal ("10.0.0.1", "::1", "[::1]"); false for anything else.
bool IsPublicAddressLiteral(std::string_view literal);
// True when `text` is an IPv4 or IPv6 address literal (brackets allowed).
bool IsAddressLiteral(std::string_view text);

}  // namespace orgd
