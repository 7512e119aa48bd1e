// ResolveTxt: the TXT records of one DNS name, asked of one configured server (orgd serve
// --dns-server ip:port) or of the system's resolvers (/etc/resolv.conf). Domain ownership
// verification reads "_orgd-verification.<domain>" with it.
//
//   DnsOptions options{.server = "127.0.0.1:5353"};
//   Result<std::vector<std::string>> txt = ResolveTxt("_orgd-verification.acme.com", options);
//   if (!txt) return txt.error();             // kUnavailable: ask again later
//   for (const std::string& record : *txt) …  // empty: the name or its TXT records do not exist
//
// The query goes over UDP through glibc's resolver (res_nquery on a per-call resolver state, so
// calls share nothing); a truncated answer is retried over TCP by glibc. No search domains are
// appended: the name is asked as given. Only the answer section's TXT records count (a CNAME
// chain the server followed is skipped over).
//
// Blocking: a call waits up to timeout × attempts (rounded up to whole seconds, which is glibc's
// resolution). Run it on a worker thread, never on an I/O thread.
//
// Thread safety: ResolveTxt and IsValidDnsServer may be called from any number of threads at once.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace orgd::jobs {

struct DnsOptions {
  // The server to ask: "ip:port", "ip" (port 53), "[ipv6]:port" or "[ipv6]".
  // Default: empty, the name servers of /etc/resolv.conf (their own port 53).
  std::string server;
  // How long one attempt waits for the answer. glibc counts whole seconds: a part of a second
  // is rounded up, and at least one second is waited.
  // Default: 3000 ms.
  std::chrono::milliseconds timeout{3000};
  // How many times the query is sent before giving up (clamped to 1..5, glibc's RES_MAXRETRY).
  // Default: 2.
  int attempts = 2;
};

// Whether `server` is a DnsOptions::server ResolveTxt accepts (an empty string is: the system's
// resolvers). For checking --dns-server at startup.
bool IsValidDnsServer(std::string_view server);

// The TXT records of `name`, one string per record: a record's character-strings (RFC 1035
// §3.3.14) are concatenated without separators, as SPF and domain verification read them.
// Records come in the server's order; bytes are returned as sent (not necessarily UTF-8).
//
// `name` is a hostname with an optional trailing dot: at most 253 characters, labels of 1 to
// 63 letters, digits, '-' and '_' (for names like "_orgd-verification"), no label beginning or
// ending with '-'. Compared case-insensitively by DNS.
//
// Outcomes:
//   - the records (at least one) on success;
//   - an empty vector when the name does not exist (NXDOMAIN) or has no TXT records (NODATA);
//     these are answers, not errors;
//   - kInvalidArgument (errors::ParamInvalid("name", …)) when `name` is not a valid hostname;
//     nothing is sent;
//   - kUnavailable (errors::Unavailable) when no answer came within timeout × attempts, the
//     server is unreachable, answered SERVFAIL, REFUSED or another failure code, or sent an
//     answer that cannot be parsed; `detail` names the name, the server and the reason;
//   - kInternal when options.server is not a valid address (see IsValidDnsServer; a
//     configuration bug caught at startup) or the resolver cannot be initialised.
Result<std::vector<std::string>> ResolveTxt(std::string_view name, const DnsOptions& options);

}  // namespace orgd::jobs
