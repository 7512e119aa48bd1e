#include "server/config.h"

#include <spdlog/common.h>

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
    return Invalid(
        "--database must look like sqlite:<path> or postgres://user:pass@host/db (got '" + url +
        "')");
  }
  if (rest.empty())
    return Invalid("--database sqlite: needs a file path, e.g. sqlite:./data/orgd.db");
  return DatabaseUrl{DatabaseUrl::Kind::kSqlite, std::string(rest)};
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
  return {};
}

}  // namespace orgd::server
