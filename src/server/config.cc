#include "server/config.h"

#include <spdlog/common.h>

#include <algorithm>
#include <fstream>

#include "api/backend/secret_key_auth.h"
#include "jobs/dns_txt_resolver.h"

namespace orgd::server {
namespace {

Error Invalid(std::string sentence) {
  return Error(ErrorCode::kInvalidArgument, "", "", "", "", std::move(sentence));
}

}  // namespace

Result<DatabaseUrl> ParseDatabaseUrl(const std::string& url) {
  std::string_view rest = url;
  if (rest.starts_with("postgres://") || rest.starts_with("postgresql://")) {
    return DatabaseUrl{DatabaseUrl::Kind::kPostgres, url};
  }
  if (rest.starts_with("sqlite://")) {
    rest.remove_prefix(9);
  } else if (rest.starts_with("sqlite:")) {
    rest.remove_prefix(7);
  } else {
    // Not the URL as given: it may hold the database password.
    return Invalid(
        "--database must look like sqlite:<path> or postgres://user:pass@host/db (got '" +
        RedactUrl(url) + "')");
  }
  if (rest.empty())
    return Invalid("--database sqlite: needs a file path, e.g. sqlite:./data/orgd.db");
  return DatabaseUrl{DatabaseUrl::Kind::kSqlite, std::string(rest)};
}

std::string RedactUrl(std::string_view url) {
  std::string out;
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    const size_t at = url.rfind('@');
    out = at == std::string_view::npos ? std::string(url) : "***" + std::string(url.substr(at));
  } else {
    // The user info is what precedes the authority's last '@'.
    const size_t authority = scheme_end + 3;
    const size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
    const size_t at = url.substr(0, authority_end).rfind('@');
    const size_t colon = at == std::string_view::npos || at < authority
                             ? std::string_view::npos
                             : url.substr(0, at).find(':', authority);
    out = colon == std::string_view::npos
              ? std::string(url)
              : std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
  }
  // libpq also takes the password as a query parameter (…?password=…).
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p)) {
    p += 9;
    const size_t end = std::min(out.find_first_of("&#", p), out.size());
    out.replace(p, end - p, "***");
  }
  return out;
}

Result<std::vector<std::string>> ReadSecretKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Invalid("cannot read --secret-key-file " + path);
  std::vector<std::string> keys;
  for (std::string line; std::getline(in, line);) {
    size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line[begin] == '#') continue;
    size_t end = line.find_last_not_of(" \t\r");
    keys.push_back(line.substr(begin, end - begin + 1));
  }
  if (in.bad()) return Invalid("cannot read --secret-key-file " + path);
  if (keys.empty()) return Invalid("--secret-key-file " + path + " holds no key");
  return keys;
}

Result<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return Invalid("cannot read " + path);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Invalid(path + " holds no password on its first line");
  return line;
}

Result<int64_t> ParseDurationSeconds(const std::string& value, std::string_view flag) {
  constexpr int64_t kMax = 315360000;  // ten years
  size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
  const std::string_view unit = std::string_view(value).substr(digits);
  int64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "m") scale = 60;
  if (unit == "h") scale = 3600;
  if (unit == "d") scale = 86400;
  if (digits == 0 || digits > 10 || scale == 0) {
    return Invalid(std::string(flag) +
                   " must be a duration: seconds, or a number with s, m, h or d");
  }
  const int64_t seconds = std::stoll(value.substr(0, digits)) * scale;
  if (seconds > kMax) return Invalid(std::string(flag) + " must be at most ten years");
  return seconds;
}

Result<http::ServerOptions> ParseServerLimits(const Config& config) {
  http::ServerOptions options;
  if (config.max_connections < 0 || config.max_connections_per_ip < 0 ||
      config.keepalive_requests < 0) {
    return Invalid(
        "--max-connections, --max-connections-per-ip and --keepalive-requests must be >= 0 (0: "
        "no cap)");
  }
  options.max_connections = static_cast<size_t>(config.max_connections);
  options.max_connections_per_ip = static_cast<size_t>(config.max_connections_per_ip);
  options.keepalive_requests = static_cast<size_t>(config.keepalive_requests);
  auto header = ParseDurationSeconds(config.header_timeout, "--header-timeout");
  if (!header) return header.error();
  auto idle = ParseDurationSeconds(config.idle_timeout, "--idle-timeout");
  if (!idle) return idle.error();
  if (*header < 1 || *idle < 1) return Invalid("--header-timeout and --idle-timeout must be >= 1s");
  options.header_timeout = std::chrono::seconds(*header);
  options.idle_timeout = std::chrono::seconds(*idle);
  for (const auto& cidr : config.trusted_proxies) {
    auto range = AddressRange::Parse(cidr);
    if (!range) {
      return Invalid("--trusted-proxy must be an address or a CIDR range, e.g. 10.0.0.0/8 or ::1");
    }
    options.trusted_proxies.push_back(*range);
  }
  return options;
}

Result<api::RateLimitConfig> ParseRateLimits(const Config& config) {
  api::RateLimitConfig limits;
  if (config.frontend_rate_limit == "clerk") {
    limits.frontend = true;
  } else if (config.frontend_rate_limit == "off") {
    limits.frontend = false;
  } else {
    return Invalid("--frontend-rate-limit must be clerk or off");
  }
  const std::string& bapi = config.bapi_rate_limit;
  if (bapi == "off") return limits;
  if (bapi == "clerk") {
    limits.backend = api::RateLimitConfig::Backend::kClerk;
    return limits;
  }
  const std::string kForm = "--bapi-rate-limit must be off, clerk or N/DURATION, e.g. 500/10s";
  const size_t slash = bapi.find('/');
  if (slash == std::string::npos || slash == 0 || slash > 9) return Invalid(kForm);
  for (size_t i = 0; i < slash; ++i) {
    if (bapi[i] < '0' || bapi[i] > '9') return Invalid(kForm);
  }
  auto window = ParseDurationSeconds(bapi.substr(slash + 1), "--bapi-rate-limit's DURATION");
  if (!window) return window.error();
  const int64_t limit = std::stoll(bapi.substr(0, slash));
  if (limit < 1 || *window < 1) return Invalid(kForm + " (N and DURATION at least 1)");
  limits.backend = api::RateLimitConfig::Backend::kCustom;
  limits.backend_limit = limit;
  limits.backend_window = std::chrono::seconds(*window);
  return limits;
}

Result<void> ValidateServeConfig(const Config& config) {
  if (config.secret_keys.empty()) {
    return Invalid(
        "no secret key: pass --secret-key-file FILE or --secret-key sk_test_…, or set "
        "ORGD_SECRET_KEY "
        "(`orgd gen-secret-key` makes one; `make run` keeps one in ./data/secret-key)");
  }
  for (const auto& key : config.secret_keys) {
    if (!api::IsWellFormedSecretKey(key)) {
      return Invalid(
          "a secret key must look like sk_test_<at least 16 letters or digits> or sk_live_<…>");
    }
  }
  if (spdlog::level::from_str(config.log_level) == spdlog::level::off &&
      config.log_level != "off") {
    return Invalid("--log-level must be one of trace, debug, info, warn, error, critical, off");
  }
  if (config.log_format != "text" && config.log_format != "json") {
    return Invalid("--log-format must be text or json");
  }
  if (auto age = ParseDurationSeconds(config.ready_max_outbox_age, "--ready-max-outbox-age");
      !age) {
    return age.error();
  }
  if (auto age = ParseDurationSeconds(config.audit_retention, "--audit-retention"); !age) {
    return age.error();
  }
  // (Port 0 asks for a free port: never the same as another listener's.)
  if (!config.metrics_listen.empty() && !config.metrics_listen.ends_with(":0") &&
      (config.metrics_listen == config.listen || config.metrics_listen == config.frontend_listen)) {
    return Invalid(
        "--metrics-listen must be an address of its own, not --listen's or --frontend-listen's");
  }
  if (!config.public_url.empty() && !config.public_url.starts_with("http://") &&
      !config.public_url.starts_with("https://")) {
    return Invalid("--public-url must start with http:// or https://");
  }
  if (!config.invitation_url.empty() && !config.invitation_url.starts_with("http://") &&
      !config.invitation_url.starts_with("https://")) {
    return Invalid("--invitation-url must start with http:// or https://");
  }
  if (!config.smtp_url.empty() && !config.smtp_url.starts_with("smtp://") &&
      !config.smtp_url.starts_with("smtps://")) {
    return Invalid("--smtp-url must start with smtp:// or smtps://");
  }
  if (config.smtp_starttls != "required" && config.smtp_starttls != "opportunistic" &&
      config.smtp_starttls != "off") {
    return Invalid("--smtp-starttls must be required, opportunistic or off");
  }
  if (config.email_from.find_first_of("\r\n") != std::string::npos ||
      config.email_from.find('@') == std::string::npos) {
    return Invalid("--email-from must be an address, e.g. 'Acme <no-reply@acme.com>'");
  }
  if (config.threads < 0 || config.image_workers < 1) {
    return Invalid("--threads must be >= 0 and --image-workers >= 1");
  }
  if (!config.frontend_url.empty() && !config.frontend_url.starts_with("http://") &&
      !config.frontend_url.starts_with("https://")) {
    return Invalid("--frontend-url must start with http:// or https://");
  }
  if (!config.dns_server.empty() && !jobs::IsValidDnsServer(config.dns_server)) {
    return Invalid("--dns-server must be ip[:port] or [ipv6][:port], e.g. 127.0.0.1:5353");
  }
  if (config.cookie_domain.find_first_of(" \t\r\n;,=") != std::string::npos) {
    return Invalid("--cookie-domain must be a domain name, e.g. example.com");
  }
  for (const auto& origin : config.allowed_origins) {
    const bool web = origin.starts_with("http://") || origin.starts_with("https://");
    const size_t host = origin.find("://") + 3;
    if (!web || origin.size() <= host || origin.find_first_of("/?#", host) != std::string::npos ||
        origin.find_first_of(" \t\r\n") != std::string::npos) {
      return Invalid(
          "--allowed-origin must be an origin: scheme://host[:port], e.g. "
          "https://app.example.com");
    }
  }
  auto token = ParseDurationSeconds(config.token_lifetime, "--token-lifetime");
  if (!token) return token.error();
  if (*token < 1) return Invalid("--token-lifetime must be at least 1s");
  auto lifetime = ParseDurationSeconds(config.session_lifetime, "--session-lifetime");
  if (!lifetime) return lifetime.error();
  if (*lifetime < 1) return Invalid("--session-lifetime must be at least 1s");
  auto inactivity =
      ParseDurationSeconds(config.session_inactivity_timeout, "--session-inactivity-timeout");
  if (!inactivity) return inactivity.error();
  if (*inactivity >= *lifetime) {
    return Invalid("--session-inactivity-timeout must be shorter than --session-lifetime");
  }
  if (config.signing_workers < 0) return Invalid("--signing-workers must be >= 0");
  if (!config.webhook_endpoint.empty() && config.webhook_secret_file.empty()) {
    return Invalid("--webhook-endpoint needs --webhook-secret-file (a file holding whsec_…)");
  }
  if (config.webhook_workers < 1 || config.webhook_workers > 64) {
    return Invalid("--webhook-workers must be between 1 and 64");
  }
  if (config.webhook_retry_schedule.empty()) {
    return Invalid("--webhook-retry-schedule must list at least one delay (e.g. 5s,5m)");
  }
  if (auto db = ParseDatabaseUrl(config.database); !db) return db.error();
  if (auto limits = ParseServerLimits(config); !limits) return limits.error();
  if (auto limits = ParseRateLimits(config); !limits) return limits.error();
  return {};
}

}  // namespace orgd::server
