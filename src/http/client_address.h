// Which address a request comes from when reverse proxies stand in front of orgd.
//
// A proxy appends the address it received the request from to X-Forwarded-For, so the list is
// trustworthy only from its right end back to the first hop orgd does not trust: anything left of
// that was written by the client itself. The client is therefore the rightmost address that is not
// a trusted proxy (MDN's "trusted proxy list" rule), and X-Forwarded-For from a peer that is not a
// trusted proxy is ignored altogether. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"

namespace orgd::http {

// True when `address` is in one of `ranges`.
bool InRanges(std::string_view address, const std::vector<AddressRange>& ranges);

// The client of a request that arrived from `peer` with these X-Forwarded-For values (every
// header of that name, in order). Returns `peer` unless it is trusted; an entry that is not an
// address ends the walk at the hop before it (what a trusted proxy wrote is all that counts).
std::string ClientAddress(std::string_view peer, const std::vector<std::string_view>& forwarded_for,
                          const std::vector<AddressRange>& trusted);

// The key a client's limits are counted under (rate limits, connections per address): an IPv4
// address as it is, an IPv6 address by its /64, the block one subscriber is given and can pick
// any address of (RFC 6177; per-address counting would let one IPv6 client rotate freely).
std::string LimitKey(std::string_view address);

}  // namespace orgd::http
