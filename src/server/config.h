// Config: everything `orgd serve` can be told, from flags or environment variables.
//
//   flag             env var             default                  meaning
//   --listen         ORGD_LISTEN         127.0.0.1:8080           host:port to serve HTTP on
//   --database       ORGD_DATABASE       sqlite:./data/orgd.db    the store: sqlite:<path> or
//                                                                 postgres://user:pass@host/db
//   --db-pool        ORGD_DB_POOL        8                        PostgreSQL connections
//   --secret-key     ORGD_SECRET_KEY     (required: this or the   Backend API keys, repeatable;
//                                         file below)             comma-separated in the env var
//   --secret-key-file ORGD_SECRET_KEY_FILE  —                     a file of keys, one per line;
//                                                                 keeps them out of `ps` output
//   --public-url     ORGD_PUBLIC_URL     http://<listen address>  base of image URLs
//   --invitation-url ORGD_INVITATION_URL —                       accept page of invitations that
//                                                                 name no redirect_url
//   --smtp-url       ORGD_SMTP_URL       —                        smtp://host:port or smtps://…;
//                                                                 without it emails stay queued
//   --smtp-user      ORGD_SMTP_USER      —                        AUTH user
//   --smtp-password-file ORGD_SMTP_PASSWORD_FILE —                 its password (first line)
//   --smtp-starttls  ORGD_SMTP_STARTTLS  opportunistic            required | opportunistic | off
//   --email-from     ORGD_EMAIL_FROM     orgd <no-reply@localhost> the From of every email
//   --email-templates ORGD_EMAIL_TEMPLATES —                      a directory of templates
//   --frontend-listen ORGD_FRONTEND_LISTEN 127.0.0.1:8081         host:port of the Frontend API
//                                                                 (clerk-js's proxyUrl points here)
//   --frontend-url   ORGD_FRONTEND_URL   http://<frontend listen address>  its public URL: the
//                                                                 `iss` of session tokens and the
//                                                                 host of the publishable key
//   --dns-server     ORGD_DNS_SERVER     — (the system's)         ip[:port] asked for domains'
//                                                                 TXT ownership records
//   --cookie-domain  ORGD_COOKIE_DOMAIN  — (host-only)            Domain of __client and
//                                                                 __client_uat (e.g. example.com
//                                                                 when the API is
//                                                                 clerk.example.com)
//   --allowed-origin ORGD_ALLOWED_ORIGINS —                       origins of the app (repeatable;
//                                                                 comma-separated in the env var):
//                                                                 the only ones the Frontend API
//                                                                 answers with CORS and takes
//                                                                 changes from; a token's `azp`
//   --token-lifetime ORGD_TOKEN_LIFETIME 60s                      session token lifetime
//   --session-lifetime ORGD_SESSION_LIFETIME 7d                   a session's maximum lifetime
//   --session-inactivity-timeout ORGD_SESSION_INACTIVITY_TIMEOUT 0 (off)  a session unused this
//                                                                 long is abandoned
//   --signing-workers ORGD_SIGNING_WORKERS 0 (one per core)        threads that sign tokens
//   --webhook-endpoint ORGD_WEBHOOK_ENDPOINT —                    a webhook endpoint configured
//                                                                 here rather than through the API
//   --webhook-secret-file ORGD_WEBHOOK_SECRET_FILE —              its whsec_ secret (first line)
//   --webhook-allow-private ORGD_WEBHOOK_ALLOW_PRIVATE false       let endpoints be private or
//                                                                 loopback addresses
//   --webhook-retry-schedule ORGD_WEBHOOK_RETRY_SCHEDULE 5s,5m,30m,2h,5h,10h,10h  delays before
//                                                                 each retry (Svix's)
//   --webhook-workers ORGD_WEBHOOK_WORKERS 4                       threads that deliver webhooks
//   --log-level      ORGD_LOG_LEVEL      info                     trace…critical, off
//   --log-format     ORGD_LOG_FORMAT     text                     text | json (one object per
//                                                                 line: server/logging.h)
//   --metrics-listen ORGD_METRICS_LISTEN — (off)                  host:port of the operator
//                                                                 listener: GET /metrics
//                                                                 (Prometheus), /healthz, /readyz
//   --ready-max-outbox-age ORGD_READY_MAX_OUTBOX_AGE 5m            /readyz fails when an event has
//                                                                 waited longer for dispatch
//                                                                 (0: not checked)
//   --audit-retention ORGD_AUDIT_RETENTION 365d                   audit entries older than this
//                                                                 are purged (0: kept forever)
//   --threads        ORGD_THREADS        0 (one per core)         HTTP I/O threads
//   --image-workers  ORGD_IMAGE_WORKERS  1                        threads that decode logos
//   --max-connections ORGD_MAX_CONNECTIONS 10000                  open connections, all listeners
//                                                                 (past it: 503 and closed)
//   --max-connections-per-ip ORGD_MAX_CONNECTIONS_PER_IP 256       from one address (429; a
//                                                                 trusted proxy has no cap)
//   --header-timeout ORGD_HEADER_TIMEOUT 10s                      a request's head, from its
//                                                                 first byte (slowloris)
//   --idle-timeout   ORGD_IDLE_TIMEOUT   30s                      a connection without a request
//   --keepalive-requests ORGD_KEEPALIVE_REQUESTS 1000              requests per connection
//   --trusted-proxy  ORGD_TRUSTED_PROXIES —                       reverse proxies (CIDR,
//                                                                 repeatable): X-Forwarded-For
//                                                                 is believed from them only
//   --frontend-rate-limit ORGD_FRONTEND_RATE_LIMIT clerk          clerk | off (api/rate_limits.h)
//   --bapi-rate-limit ORGD_BAPI_RATE_LIMIT off                    off | clerk | N/DURATION
//
// Durations are whole seconds, or a number with a unit: 90s, 15m, 12h, 7d.
//
// Thread safety: a plain value; App keeps an immutable copy.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/rate_limits.h"
#include "common/result.h"
#include "http/server.h"

namespace orgd::server {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string database = "sqlite:./data/orgd.db";
  int db_pool = 8;
  std::vector<std::string> secret_keys;
  std::string secret_key_file;  // empty: none; its keys are added to secret_keys at start
  std::string public_url;       // empty: derived from the bound address
  std::string invitation_url;   // empty: invitations without redirect_url have no url
  std::string smtp_url;         // empty: no SMTP; emails stay queued
  std::string smtp_user;
  std::string smtp_password_file;
  std::string smtp_starttls = "opportunistic";
  std::string email_from = "orgd <no-reply@localhost>";
  std::string email_templates;  // empty: the built-in templates
  std::string frontend_listen = "127.0.0.1:8081";
  std::string frontend_url;   // empty: derived from the bound frontend address
  std::string cookie_domain;  // empty: host-only cookies
  std::string dns_server;     // empty: the system resolver
  std::vector<std::string> allowed_origins;
  std::string token_lifetime = "60s";
  std::string session_lifetime = "7d";
  std::string session_inactivity_timeout = "0";
  int signing_workers = 0;
  std::string webhook_endpoint;     // a static endpoint (with webhook_secret_file)
  std::string webhook_secret_file;  // its whsec_ secret, first line
  bool webhook_allow_private = false;
  std::string webhook_retry_schedule = "5s,5m,30m,2h,5h,10h,10h";
  int webhook_workers = 4;
  std::string log_level = "info";
  std::string log_format = "text";
  std::string metrics_listen;  // empty: no operator listener
  std::string ready_max_outbox_age = "5m";
  std::string audit_retention = "365d";  // 0: keep every audit entry
  int threads = 0;
  int image_workers = 1;
  int max_connections = 10'000;
  int max_connections_per_ip = 256;
  std::string header_timeout = "10s";
  std::string idle_timeout = "30s";
  int keepalive_requests = 1'000;
  std::vector<std::string> trusted_proxies;
  std::string frontend_rate_limit = "clerk";
  std::string bapi_rate_limit = "off";
};

// The parsed --database value.
struct DatabaseUrl {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string path;  // kSqlite: the file; kPostgres: the whole postgres:// URL, for libpq
};

// Accepts `sqlite:<path>` (also `sqlite://<path>`) and `postgres://…` or `postgresql://…`
// (libpq's URI form). Returns kInvalidArgument with a sentence for people otherwise; the sentence
// shows the URL as RedactUrl does.
Result<DatabaseUrl> ParseDatabaseUrl(const std::string& url);

// `url` as it may be printed or logged: the password of scheme://user:password@host… replaced by
// "***", and, in a text with an '@' but no "://" (a mistyped URL), everything before the last '@'.
std::string RedactUrl(std::string_view url);

// Reads a secret key file: one key per line; blank lines, lines starting with '#' and the
// whitespace around a key are ignored. Returns kInvalidArgument when the file cannot be read or
// holds no key. The error names the file, never a line of it.
Result<std::vector<std::string>> ReadSecretKeyFile(const std::string& path);

// Reads a password file (--smtp-password-file): its first line as it is (but for the line end;
// a password may start with '#' or hold spaces). kInvalidArgument naming the file, never its
// content, when it cannot be read or its first line is empty.
Result<std::string> ReadPasswordFile(const std::string& path);

// A duration flag's value in seconds: digits, optionally followed by s, m, h or d.
// kInvalidArgument naming `flag` otherwise, or when it exceeds ten years.
Result<int64_t> ParseDurationSeconds(const std::string& value, std::string_view flag);

// The connection limits and trusted proxies of `config` as the HTTP server takes them
// (--max-connections, --max-connections-per-ip, --header-timeout, --idle-timeout,
// --keepalive-requests, --trusted-proxy). kInvalidArgument naming the flag.
Result<http::ServerOptions> ParseServerLimits(const Config& config);

// --frontend-rate-limit (clerk | off) and --bapi-rate-limit (off | clerk | N/DURATION, e.g.
// 500/10s). kInvalidArgument naming the flag.
Result<api::RateLimitConfig> ParseRateLimits(const Config& config);

// Checks what `orgd serve` needs: at least one well-formed secret key, a known log level,
// a usable database URL, http(s) public, invitation and frontend URLs, origins that are
// scheme://host[:port], durations that parse (a token lifetime of at least 1 s, an inactivity
// timeout shorter than the session lifetime).
Result<void> ValidateServeConfig(const Config& config);

}  // namespace orgd::server
