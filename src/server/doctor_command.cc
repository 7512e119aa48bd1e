#include "server/doctor_command.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/timex.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>

#include "jobs/smtp_email_sender.h"
#include "jobs/webhook_sender.h"
#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"

namespace orgd::server {
namespace {

using Status = DoctorCheck::Status;

// The first column of the first row of `sql`, or the error.
Result<int64_t> QueryInt(store::sql::Connection& conn, const std::string& sql) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return Error(ErrorCode::kNotFound, "", "", "", "", "no row");
  return stmt->Int(0);
}

std::string Why(const Error& e) { return e.detail.empty() ? e.long_message : e.detail; }

// Whether `listen` (host:port) can be bound now. Port 0 always can.
DoctorCheck CheckListen(const std::string& flag, const std::string& listen) {
  if (listen.ends_with(":0")) {
    return {"listen", Status::kOk, flag + " " + listen + ": a free port is picked at start"};
  }
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return {"listen", Status::kFail, flag + " " + listen + " is not host:port"};
  }
  std::string host = listen.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return {"listen", Status::kFail, flag + " " + listen + " does not name an address here"};
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, freeaddrinfo);
  const int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0) return {"listen", Status::kFail, flag + " " + listen + ": " + std::strerror(errno)};
  const int one = 1;
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const int bound = bind(fd, found->ai_addr, found->ai_addrlen);
  const int error = errno;
  close(fd);
  if (bound == 0) return {"listen", Status::kOk, flag + " " + listen + " can be bound"};
  if (error == EADDRINUSE) {
    return {"listen", Status::kWarn,
            flag + " " + listen + " is in use (by an orgd already running there?)"};
  }
  return {"listen", Status::kFail,
          flag + " " + listen + " cannot be bound: " + std::strerror(error)};
}

}  // namespace

std::vector<DoctorCheck> RunDoctor(const Config& given) {
  std::vector<DoctorCheck> checks;
  Config config = given;

  // config
  bool config_ok = true;
  if (!config.secret_key_file.empty()) {
    auto keys = ReadSecretKeyFile(config.secret_key_file);
    if (!keys) {
      checks.push_back({"config", Status::kFail, Why(keys.error())});
      config_ok = false;
    } else {
      config.secret_keys.insert(config.secret_keys.end(), keys->begin(), keys->end());
    }
  }
  if (config_ok) {
    if (auto r = ValidateServeConfig(config); !r) {
      checks.push_back({"config", Status::kFail, Why(r.error())});
    } else {
      checks.push_back({"config", Status::kOk,
                        "the flags are valid (" + std::to_string(config.secret_keys.size()) +
                            " secret key(s))"});
    }
  }

  // store, migrations, signing key, the database server's clock
  std::unique_ptr<store::sql::Connection> conn;
  auto url = ParseDatabaseUrl(config.database);
  int64_t known = 0;
  if (!url) {
    checks.push_back({"store", Status::kFail, Why(url.error())});
  } else if (url->kind == DatabaseUrl::Kind::kSqlite) {
    known = store::sqlite::SqliteMigrations().back().version;
    if (!std::filesystem::exists(url->path)) {
      checks.push_back(
          {"store", Status::kWarn,
           url->path + " does not exist yet: `orgd serve` creates it with its schema"});
    } else {
      auto opened = store::sqlite::SqliteConnection::Open(
          url->path, store::sqlite::SqliteConnection::Mode::kReadOnly);
      if (!opened) {
        checks.push_back(
            {"store", Status::kFail, "cannot open " + url->path + ": " + Why(opened.error())});
      } else {
        conn = std::move(*opened);
      }
    }
  } else {
    known = store::postgres::PostgresMigrations().back().version;
    auto opened = store::postgres::PostgresConnection::Open(url->path);
    if (!opened) {
      checks.push_back({"store", Status::kFail,
                        "PostgreSQL at " + RedactUrl(config.database) +
                            " does not answer: " + Why(opened.error())});
    } else {
      conn = std::move(*opened);
    }
  }
  if (conn) {
    auto applied = QueryInt(*conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    const std::string where = RedactUrl(config.database);
    if (!applied) {
      checks.push_back({"store", Status::kWarn,
                        where + " answers but has no schema yet: `orgd migrate` (or `orgd "
                                "serve`) applies it"});
    } else if (*applied < known) {
      checks.push_back({"store", Status::kFail,
                        where + " is at migration " + std::to_string(*applied) + " of " +
                            std::to_string(known) +
                            ": run `orgd migrate` (or `orgd serve`, which applies them at start)"});
    } else if (*applied > known) {
      checks.push_back({"store", Status::kFail,
                        where + " was migrated by a newer orgd (migration " +
                            std::to_string(*applied) + "; this build knows " +
                            std::to_string(known) + "): run that version"});
    } else {
      checks.push_back(
          {"store", Status::kOk,
           where + " answers; its " + std::to_string(known) + " migrations are this build's"});
      auto keys = QueryInt(*conn, "SELECT count(*) FROM signing_keys WHERE retired_at IS NULL");
      if (!keys) {
        checks.push_back({"signing key", Status::kFail, Why(keys.error())});
      } else if (*keys == 0) {
        checks.push_back(
            {"signing key", Status::kWarn, "none is current yet: `orgd serve` makes one at start"});
      } else {
        checks.push_back({"signing key", Status::kOk, "one is current"});
      }
    }
    if (url && url->kind == DatabaseUrl::Kind::kPostgres) {
      const int64_t before = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
      auto theirs =
          QueryInt(*conn, "SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000 AS bigint)");
      const int64_t after = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
      if (theirs) {
        const int64_t skew = *theirs - (before + after) / 2;
        const int64_t off = skew < 0 ? -skew : skew;
        checks.push_back(
            {"clock", off > 2000 ? Status::kFail : Status::kOk,
             "this node's clock is " + std::to_string(off) + " ms " +
                 (skew > 0 ? "behind" : "ahead of") + " the database server's" +
                 (off > 2000 ? ": leases and token times need them within 2 s (NTP)" : "")});
      }
    }
  } else {
    checks.push_back({"signing key", Status::kSkip, "needs the store"});
  }
  {
    timex tx{};
    const int state = adjtimex(&tx);
    if (state == TIME_ERROR) {
      checks.push_back({"clock", Status::kWarn,
                        "the kernel says the system clock is not synchronized (no NTP): session "
                        "tokens' times and job leases depend on it"});
    } else if (state >= 0) {
      checks.push_back({"clock", Status::kOk, "the kernel says the system clock is synchronized"});
    }
  }

  // listeners
  checks.push_back(CheckListen("--listen", config.listen));
  checks.push_back(CheckListen("--frontend-listen", config.frontend_listen));
  if (!config.metrics_listen.empty()) {
    checks.push_back(CheckListen("--metrics-listen", config.metrics_listen));
  }

  // smtp
  if (config.smtp_url.empty()) {
    checks.push_back({"smtp", Status::kSkip,
                      "no --smtp-url: invitation emails stay queued until a node with SMTP sends "
                      "them"});
  } else {
    bool password_ok = true;
    if (!config.smtp_password_file.empty()) {
      if (auto password = ReadPasswordFile(config.smtp_password_file); !password) {
        checks.push_back({"smtp", Status::kFail, Why(password.error())});
        password_ok = false;
      }
    }
    if (password_ok) {
      jobs::SmtpOptions smtp;
      smtp.url = config.smtp_url;
      if (auto r = jobs::ProbeSmtp(smtp); !r) {
        checks.push_back(
            {"smtp", Status::kFail, config.smtp_url + " does not answer: " + Why(r.error())});
      } else {
        checks.push_back({"smtp", Status::kOk, config.smtp_url + " accepts connections"});
      }
    }
  }

  // webhook endpoints: the configured one and those in the store
  std::vector<std::string> endpoints;
  if (!config.webhook_endpoint.empty()) endpoints.push_back(config.webhook_endpoint);
  if (conn) {
    auto stmt = conn->Prepare("SELECT url FROM webhook_endpoints WHERE disabled = 0 ORDER BY id");
    if (stmt) {
      for (;;) {
        auto row = stmt->Step();
        if (!row || !*row) break;
        std::string endpoint(stmt->TextView(0));
        if (std::find(endpoints.begin(), endpoints.end(), endpoint) == endpoints.end()) {
          endpoints.push_back(std::move(endpoint));
        }
      }
    }
  }
  if (endpoints.empty()) {
    checks.push_back({"webhooks", Status::kSkip, "no enabled webhook endpoint"});
  }
  jobs::WebhookSenderOptions probe;
  probe.timeout_ms = 10'000;
  probe.allow_private = config.webhook_allow_private;
  for (const std::string& endpoint : endpoints) {
    if (auto r = jobs::ProbeWebhookEndpoint(endpoint, probe); !r) {
      checks.push_back({"webhooks", Status::kFail, endpoint + ": " + Why(r.error())});
    } else {
      checks.push_back({"webhooks", Status::kOk, endpoint + " accepts connections"});
    }
  }
  return checks;
}

int PrintDoctor(const std::vector<DoctorCheck>& checks, std::FILE* out) {
  int failed = 0;
  for (const DoctorCheck& c : checks) {
    const char* status = c.status == Status::kOk     ? "ok"
                         : c.status == Status::kWarn ? "warn"
                         : c.status == Status::kFail ? "FAIL"
                                                     : "skip";
    if (c.status == Status::kFail) ++failed;
    std::fprintf(out, "%-5s %-12s %s\n", status, c.name.c_str(), c.detail.c_str());
  }
  if (failed == 0) {
    std::fprintf(out, "orgd doctor: nothing is wrong\n");
  } else {
    std::fprintf(out, "orgd doctor: %d check(s) failed\n", failed);
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace orgd::server
