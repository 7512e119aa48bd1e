#include "jobs/dns_txt_resolver.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "domain/errors.h"

namespace orgd::jobs {
namespace {

constexpr size_t kMaxNameLength = 253;  // RFC 1035 §2.3.4: 255 octets on the wire
constexpr size_t kMaxLabelLength = 63;
constexpr int kMaxAttempts = 5;  // glibc's RES_MAXRETRY

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Empty when `name` is a valid hostname, else the sentence that says why not.
std::string CheckName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return "The name must not be empty.";
  if (name.size() > kMaxNameLength) return "The name must be at most 253 characters long.";
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty()) return "The name must not contain an empty label.";
    if (label.size() > kMaxLabelLength) return "A label of the name must be at most 63 characters.";
    if (!std::all_of(label.begin(), label.end(), IsLabelChar)) {
      return "The name may contain only letters, digits, '-', '_' and dots.";
    }
    if (label.front() == '-' || label.back() == '-') {
      return "A label of the name must not begin or end with '-'.";
    }
    start = end + 1;
  }
  return {};
}

struct ServerAddress {
  int family = AF_UNSPEC;
  sockaddr_in v4{};
  sockaddr_in6 v6{};
};

std::optional<uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

// "ip", "ip:port", "[ipv6]" or "[ipv6]:port".
std::optional<ServerAddress> ParseServer(std::string_view server) {
  std::string host;
  uint16_t port = 53;
  bool bracketed = false;
  if (!server.empty() && server.front() == '[') {
    const size_t close = server.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = server.substr(1, close - 1);
    const std::string_view rest = server.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      const auto p = ParsePort(rest.substr(1));
      if (!p) return std::nullopt;
      port = *p;
    }
    bracketed = true;
  } else {
    const size_t colon = server.rfind(':');
    host = server.substr(0, colon);
    if (colon != std::string_view::npos) {
      const auto p = ParsePort(server.substr(colon + 1));
      if (!p) return std::nullopt;
      port = *p;
    }
  }
  ServerAddress address;
  if (!bracketed && inet_pton(AF_INET, host.c_str(), &address.v4.sin_addr) == 1) {
    address.family = AF_INET;
    address.v4.sin_family = AF_INET;
    address.v4.sin_port = htons(port);
    return address;
  }
  if (bracketed && inet_pton(AF_INET6, host.c_str(), &address.v6.sin6_addr) == 1) {
    address.family = AF_INET6;
    address.v6.sin6_family = AF_INET6;
    address.v6.sin6_port = htons(port);
    return address;
  }
  return std::nullopt;
}

// Points `state`, fresh from res_ninit, at `address` only. glibc keeps IPv4 servers in
// nsaddr_list and IPv6 ones in _u._ext.nsaddrs (malloc'd, freed by res_nclose); res_send copies
// nsaddr_list into _ext.nsaddrs whenever _ext.nscount is 0, skipping entries whose family is 0.
// Returns false when memory runs out.
bool UseServer(struct __res_state& state, const ServerAddress& address) {
  for (int i = 0; i < MAXNS; ++i) {
    std::free(state._u._ext.nsaddrs[i]);  // IPv6 servers of resolv.conf; res_nclose frees
    state._u._ext.nsaddrs[i] = nullptr;   // only the first nscount
    state._u._ext.nssocks[i] = -1;
    state.nsaddr_list[i] = sockaddr_in{};
  }
  state._u._ext.nscount = 0;
  state.nscount = 1;
  if (address.family == AF_INET) {
    state.nsaddr_list[0] = address.v4;
    return true;
  }
  auto* v6 = static_cast<sockaddr_in6*>(std::malloc(sizeof(sockaddr_in6)));
  if (v6 == nullptr) return false;
  *v6 = address.v6;
  state.nsaddr_list[0].sin_family = 0;  // "see _ext.nsaddrs[0]"
  state._u._ext.nsaddrs[0] = v6;
  return true;
}

// Owns one resolver state from res_ninit to res_nclose.
class ResolverState {
 public:
  ResolverState() { std::memset(&state_, 0, sizeof(state_)); }
  ResolverState(const ResolverState&) = delete;
  ResolverState& operator=(const ResolverState&) = delete;
  ~ResolverState() {
    // Only an initialised state may be closed: a zeroed one names fd 0 as its TCP socket.
    if (initialised_) res_nclose(&state_);
  }
  bool Init() {
    initialised_ = res_ninit(&state_) == 0;
    return initialised_;
  }
  struct __res_state& get() {
    return state_;
  }

 private:
  struct __res_state state_;
  bool initialised_ = false;
};

// Appends the TXT records of the answer section of `answer` to `records`. False when the
// message cannot be parsed.
bool ParseTxtAnswers(const unsigned char* answer, int length, std::vector<std::string>& records) {
  ns_msg message;
  if (ns_initparse(answer, length, &message) != 0) return false;
  const int count = ns_msg_count(message, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr rr;
    if (ns_parserr(&message, ns_s_an, i, &rr) != 0) return false;
    if (ns_rr_type(rr) != ns_t_txt || ns_rr_class(rr) != ns_c_in) continue;
    const unsigned char* data = ns_rr_rdata(rr);
    const size_t size = ns_rr_rdlen(rr);
    std::string record;
    size_t pos = 0;
    while (pos < size) {  // <character-string>+: a length octet, then that many octets
      const size_t n = data[pos];
      if (pos + 1 + n > size) return false;
      record.append(reinterpret_cast<const char*>(data + pos + 1), n);
      pos += 1 + n;
    }
    records.push_back(std::move(record));
  }
  return true;
}

std::string RcodeName(int rcode) {
  switch (rcode) {
    case ns_r_formerr:
      return "FORMERR";
    case ns_r_servfail:
      return "SERVFAIL";
    case ns_r_notimpl:
      return "NOTIMP";
    case ns_r_refused:
      return "REFUSED";
    default:
      return "rcode " + std::to_string(rcode);
  }
}

}  // namespace

bool IsValidDnsServer(std::string_view server) {
  return server.empty() || ParseServer(server).has_value();
}

Result<std::vector<std::string>> ResolveTxt(std::string_view name, const DnsOptions& options) {
  if (std::string why = CheckName(name); !why.empty()) {
    return errors::ParamInvalid("name", std::move(why));
  }
  std::optional<ServerAddress> address;
  if (!options.server.empty()) {
    address = ParseServer(options.server);
    if (!address) return errors::Internal("invalid DNS server address: " + options.server);
  }
  const std::string server_text = options.server.empty() ? "the system resolver" : options.server;
  const std::string query_name(name);

  ResolverState resolver;
  if (!resolver.Init()) return errors::Internal("res_ninit failed for the DNS TXT lookup");
  struct __res_state& state = resolver.get();
  if (address && !UseServer(state, *address)) {
    return errors::Internal("out of memory setting the DNS server");
  }
  const auto timeout_ms = std::max<int64_t>(options.timeout.count(), 1);
  state.retrans = static_cast<int>(std::min<int64_t>((timeout_ms + 999) / 1000, 60));
  state.retry = std::clamp(options.attempts, 1, kMaxAttempts);
  state.options &= ~static_cast<unsigned long>(RES_ROTATE);

  std::vector<unsigned char> answer(65536);
  std::memset(answer.data(), 0, HFIXEDSZ);  // a set QR bit afterwards: a response was received
  errno = 0;
  const int length = res_nquery(&state, query_name.c_str(), ns_c_in, ns_t_txt, answer.data(),
                                static_cast<int>(answer.size()));
  const int saved_errno = errno;
  if (length < 0) {
    switch (state.res_h_errno) {
      case HOST_NOT_FOUND:  // NXDOMAIN
      case NO_DATA:         // NOERROR without answers
        return std::vector<std::string>{};
      default:
        break;
    }
    const auto* header = reinterpret_cast<const HEADER*>(answer.data());
    std::string reason;
    if (header->qr) {
      reason = "the server answered " + RcodeName(header->rcode);
    } else if (saved_errno == ECONNREFUSED) {
      reason = "the server is unreachable";
    } else if (saved_errno == ETIMEDOUT || saved_errno == 0 || saved_errno == EAGAIN) {
      reason = "no answer within " + std::to_string(state.retrans) + " s × " +
               std::to_string(state.retry) + " attempts";
    } else {
      reason = std::string("the query failed: ") + std::strerror(saved_errno);
    }
    return errors::Unavailable("DNS TXT lookup of " + query_name + " at " + server_text + ": " +
                               reason);
  }
  std::vector<std::string> records;
  if (!ParseTxtAnswers(answer.data(), std::min<int>(length, static_cast<int>(answer.size())),
                       records)) {
    return errors::Unavailable("DNS TXT lookup of " + query_name + " at " + server_text +
                               ": the answer cannot be parsed");
  }
  return records;
}

}  // namespace orgd::jobs
