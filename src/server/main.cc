// orgd: a self-hosted, Clerk-compatible Organizations server.
//
//   orgd serve [flags]        serve the Backend API (see server/config.h for every flag)
//   orgd migrate [--database] apply schema migrations and exit
//   orgd doctor [serve flags] check a configuration and say what is wrong
//   orgd emails --dead        list the invitation emails that gave up
//   orgd keys rotate|list|public-pem   the keys that sign session tokens
//   orgd backup OUT_FILE      a consistent copy of the SQLite store, taken while orgd serves
//   orgd export --out FILE    everything in the store as JSONL, consistent, while orgd serves
//   orgd import FILE | --from-bapi URL   fill an empty store from an export or a Backend API
//   orgd gen-secret-key       print a new random secret key (sk_test_…)
//   orgd seed [flags]         fill a store with generated data, for load and scale measurements
//   orgd --version | --help
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#include "common/random.h"
#include "server/app.h"
#include "server/backup_command.h"
#include "server/bapi_import.h"
#include "server/config.h"
#include "server/dead_emails.h"
#include "server/doctor_command.h"
#include "server/export_command.h"
#include "server/keys_command.h"
#include "server/logging.h"
#include "server/open_store.h"
#include "server/seed.h"

namespace {

// Each connection is a file descriptor, and Linux's default soft limit (1024) is far below
// --max-connections: raise it to the hard limit, as servers do, so the caps are what bound
// connections rather than EMFILE at accept.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("could not raise the open-file limit: {}", std::strerror(errno));
  }
}

int Serve(const orgd::server::Config& config) {
  // (ValidateServeConfig, in Create, refuses other names; text until then.)
  const auto format =
      config.log_format == "json" ? orgd::server::LogFormat::kJson : orgd::server::LogFormat::kText;
  orgd::server::SetUpLogging(config.log_level, format);
  RaiseFileLimit();
  auto app = orgd::server::App::Create(config);
  if (!app) {
    std::fprintf(stderr, "orgd: %s\n", app.error().detail.c_str());
    return 1;
  }
  // Always printed (whatever the log level), in the log's format: scripts and tests wait for
  // these lines.
  std::string lines = orgd::server::FormatInfoLine(
      format, fmt::format("orgd {} listening on http://{} (public URL {})", ORGD_VERSION,
                          (*app)->address(), (*app)->public_url()));
  lines += orgd::server::FormatInfoLine(
      format,
      fmt::format("orgd frontend API listening on http://{} (URL {}, publishable key {})",
                  (*app)->frontend_address(), (*app)->frontend_url(), (*app)->publishable_key()));
  if (!(*app)->metrics_address().empty()) {
    lines += orgd::server::FormatInfoLine(
        format,
        fmt::format("orgd metrics listening on http://{}/metrics", (*app)->metrics_address()));
  }
  std::fputs(lines.c_str(), stderr);
  std::fflush(stderr);
  (*app)->Run();
  spdlog::shutdown();
  return 0;
}

// The flags of `orgd serve` (server/config.h), on `cmd`: serve itself, and doctor, which checks
// what serve would be given.
void AddServeOptions(CLI::App* cmd, orgd::server::Config& config) {
  cmd->add_option("--listen", config.listen, "host:port to listen on")
      ->envname("ORGD_LISTEN")
      ->capture_default_str();
  cmd->add_option("--database", config.database,
                  "Store URL: sqlite:<path> or postgres://user:pass@host:port/db")
      ->envname("ORGD_DATABASE")
      ->capture_default_str();
  cmd->add_option("--db-pool", config.db_pool, "PostgreSQL connections (worker threads)")
      ->envname("ORGD_DB_POOL")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--secret-key", config.secret_keys,
                  "Backend API secret key (repeatable; comma-separated in ORGD_SECRET_KEY)")
      ->envname("ORGD_SECRET_KEY")
      ->delimiter(',');
  cmd->add_option("--secret-key-file", config.secret_key_file,
                  "File of Backend API secret keys, one per line (keeps them out of `ps`)")
      ->envname("ORGD_SECRET_KEY_FILE");
  cmd->add_option("--public-url", config.public_url,
                  "Base URL of image links (default: http://<listen address>)")
      ->envname("ORGD_PUBLIC_URL");
  cmd->add_option("--invitation-url", config.invitation_url,
                  "Accept page for invitations that name no redirect_url (the ticket is appended)")
      ->envname("ORGD_INVITATION_URL");
  cmd->add_option("--smtp-url", config.smtp_url,
                  "SMTP server for emails: smtp://host:port or smtps://")
      ->envname("ORGD_SMTP_URL");
  cmd->add_option("--smtp-user", config.smtp_user, "SMTP AUTH user")->envname("ORGD_SMTP_USER");
  cmd->add_option("--smtp-password-file", config.smtp_password_file,
                  "File holding the SMTP password")
      ->envname("ORGD_SMTP_PASSWORD_FILE");
  cmd->add_option("--smtp-starttls", config.smtp_starttls, "required|opportunistic|off")
      ->envname("ORGD_SMTP_STARTTLS")
      ->capture_default_str();
  cmd->add_option("--email-from", config.email_from, "From address of emails")
      ->envname("ORGD_EMAIL_FROM")
      ->capture_default_str();
  cmd->add_option(
         "--email-templates", config.email_templates,
         "Directory of email templates (invitation.subject.txt, invitation.txt, invitation.html)")
      ->envname("ORGD_EMAIL_TEMPLATES");
  cmd->add_option("--frontend-listen", config.frontend_listen,
                  "host:port of the Frontend API (clerk-js's proxyUrl points at it)")
      ->envname("ORGD_FRONTEND_LISTEN")
      ->capture_default_str();
  cmd->add_option("--frontend-url", config.frontend_url,
                  "Public URL of the Frontend API (the iss of session tokens; default "
                  "http://<frontend listen address>)")
      ->envname("ORGD_FRONTEND_URL");
  cmd->add_option("--dns-server", config.dns_server,
                  "DNS server (ip[:port]) asked for domains' TXT ownership records (default: "
                  "the system's)")
      ->envname("ORGD_DNS_SERVER");
  cmd->add_option("--cookie-domain", config.cookie_domain,
                  "Domain of the __client and __client_uat cookies (default: host-only)")
      ->envname("ORGD_COOKIE_DOMAIN");
  cmd->add_option("--allowed-origin", config.allowed_origins,
                  "An origin of the app (repeatable; comma-separated in ORGD_ALLOWED_ORIGINS)")
      ->envname("ORGD_ALLOWED_ORIGINS")
      ->delimiter(',');
  cmd->add_option("--token-lifetime", config.token_lifetime, "Session token lifetime (e.g. 60s)")
      ->envname("ORGD_TOKEN_LIFETIME")
      ->capture_default_str();
  cmd->add_option("--session-lifetime", config.session_lifetime,
                  "Maximum lifetime of a session (e.g. 7d)")
      ->envname("ORGD_SESSION_LIFETIME")
      ->capture_default_str();
  cmd->add_option("--session-inactivity-timeout", config.session_inactivity_timeout,
                  "A session unused this long is abandoned (0: off)")
      ->envname("ORGD_SESSION_INACTIVITY_TIMEOUT")
      ->capture_default_str();
  cmd->add_option("--signing-workers", config.signing_workers,
                  "Threads that sign session tokens (0: one per core)")
      ->envname("ORGD_SIGNING_WORKERS")
      ->capture_default_str();
  cmd->add_option("--webhook-endpoint", config.webhook_endpoint,
                  "A webhook endpoint URL configured here (with --webhook-secret-file)")
      ->envname("ORGD_WEBHOOK_ENDPOINT");
  cmd->add_option("--webhook-secret-file", config.webhook_secret_file,
                  "File holding that endpoint's whsec_ secret")
      ->envname("ORGD_WEBHOOK_SECRET_FILE");
  cmd->add_flag("--webhook-allow-private", config.webhook_allow_private,
                "Let webhook endpoints be loopback or private addresses")
      ->envname("ORGD_WEBHOOK_ALLOW_PRIVATE");
  cmd->add_option("--webhook-retry-schedule", config.webhook_retry_schedule,
                  "Delays before each webhook retry, comma-separated")
      ->envname("ORGD_WEBHOOK_RETRY_SCHEDULE")
      ->capture_default_str();
  cmd->add_option("--webhook-workers", config.webhook_workers, "Threads that deliver webhooks")
      ->envname("ORGD_WEBHOOK_WORKERS")
      ->capture_default_str();
  cmd->add_option("--log-level", config.log_level, "trace|debug|info|warn|error|critical|off")
      ->envname("ORGD_LOG_LEVEL")
      ->capture_default_str();
  cmd->add_option("--log-format", config.log_format, "text|json (one JSON object per line)")
      ->envname("ORGD_LOG_FORMAT")
      ->capture_default_str();
  cmd->add_option("--metrics-listen", config.metrics_listen,
                  "host:port of the operator listener (GET /metrics, /healthz, /readyz); off "
                  "when not given. Keep it on a private address")
      ->envname("ORGD_METRICS_LISTEN");
  cmd->add_option("--ready-max-outbox-age", config.ready_max_outbox_age,
                  "/readyz fails when an event waited longer than this for dispatch (0: not "
                  "checked)")
      ->envname("ORGD_READY_MAX_OUTBOX_AGE")
      ->capture_default_str();
  cmd->add_option("--audit-retention", config.audit_retention,
                  "audit log entries older than this are purged (0: kept forever)")
      ->envname("ORGD_AUDIT_RETENTION")
      ->capture_default_str();
  cmd->add_option("--threads", config.threads, "HTTP I/O threads (0: one per core)")
      ->envname("ORGD_THREADS")
      ->capture_default_str();
  cmd->add_option("--image-workers", config.image_workers, "Threads that decode logos")
      ->envname("ORGD_IMAGE_WORKERS")
      ->capture_default_str();
  cmd->add_option("--max-connections", config.max_connections,
                  "Most open connections over all listeners (0: no cap)")
      ->envname("ORGD_MAX_CONNECTIONS")
      ->capture_default_str();
  cmd->add_option("--max-connections-per-ip", config.max_connections_per_ip,
                  "Most open connections from one client address (0: no cap; trusted proxies "
                  "have none)")
      ->envname("ORGD_MAX_CONNECTIONS_PER_IP")
      ->capture_default_str();
  cmd->add_option("--header-timeout", config.header_timeout,
                  "Time a request's head may take from its first byte")
      ->envname("ORGD_HEADER_TIMEOUT")
      ->capture_default_str();
  cmd->add_option("--idle-timeout", config.idle_timeout,
                  "Time a connection may wait without a request")
      ->envname("ORGD_IDLE_TIMEOUT")
      ->capture_default_str();
  cmd->add_option("--keepalive-requests", config.keepalive_requests,
                  "Requests one connection may carry (0: no cap)")
      ->envname("ORGD_KEEPALIVE_REQUESTS")
      ->capture_default_str();
  cmd->add_option("--trusted-proxy", config.trusted_proxies,
                  "A reverse proxy (address or CIDR, repeatable; comma-separated in "
                  "ORGD_TRUSTED_PROXIES) whose X-Forwarded-For is believed")
      ->envname("ORGD_TRUSTED_PROXIES")
      ->delimiter(',');
  cmd->add_option("--frontend-rate-limit", config.frontend_rate_limit,
                  "Frontend API rate limits: clerk (Clerk's sign-in limits per address, and "
                  "per session) or off")
      ->envname("ORGD_FRONTEND_RATE_LIMIT")
      ->capture_default_str();
  cmd->add_option("--bapi-rate-limit", config.bapi_rate_limit,
                  "Backend API rate limits: off, clerk (Clerk's, by key: sk_test_ or sk_live_), "
                  "or N/DURATION on the whole API (e.g. 500/10s)")
      ->envname("ORGD_BAPI_RATE_LIMIT")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"orgd: a self-hosted, Clerk-compatible Organizations server"};
  cli.set_version_flag("--version", std::string("orgd ") + ORGD_VERSION);
  cli.require_subcommand(1);

  orgd::server::Config config;
  CLI::App* serve = cli.add_subcommand("serve", "Serve the Backend API");
  AddServeOptions(serve, config);
  CLI::App* doctor = cli.add_subcommand(
      "doctor",
      "Check a configuration (the flags of serve): store, migrations, clocks, SMTP, webhooks");
  AddServeOptions(doctor, config);

  std::string migrate_database = config.database;
  CLI::App* migrate = cli.add_subcommand("migrate", "Apply schema migrations and exit");
  migrate
      ->add_option("--database", migrate_database,
                   "Store URL: sqlite:<path> or postgres://user:pass@host:port/db")
      ->envname("ORGD_DATABASE")
      ->capture_default_str();

  orgd::server::SeedOptions seed_options;
  seed_options.database = config.database;
  CLI::App* seed = cli.add_subcommand(
      "seed", "Fill a store with generated data (for benchmarks; IDs in seed.h)");
  seed->add_option("--database", seed_options.database,
                   "Store URL: sqlite:<path> (a new file) or postgres://… (an empty database)")
      ->envname("ORGD_DATABASE")
      ->capture_default_str();
  seed->add_option("--orgs", seed_options.organizations, "Organizations")->capture_default_str();
  seed->add_option("--users", seed_options.users, "Users in the member pool")
      ->capture_default_str();
  seed->add_option("--members-per-org", seed_options.members_per_org,
                   "Members of every organization but the big one")
      ->capture_default_str();
  seed->add_option("--big-org-members", seed_options.big_org_members,
                   "Members of the big organization")
      ->capture_default_str();
  seed->add_option("--user-orgs", seed_options.user_orgs,
                   "Organizations the 'many' user belongs to")
      ->capture_default_str();
  seed->add_option("--spare-users", seed_options.spare_users, "Users in no organization")
      ->capture_default_str();

  std::string emails_database = config.database;
  bool dead = false;
  CLI::App* emails = cli.add_subcommand("emails", "Inspect the email queue");
  emails->add_option("--database", emails_database, "Store URL")
      ->envname("ORGD_DATABASE")
      ->capture_default_str();
  emails->add_flag("--dead", dead, "List the emails that gave up after 24 h of retries")
      ->required();

  std::string keys_database = config.database;
  std::string keys_kid;
  CLI::App* keys = cli.add_subcommand("keys", "The keys that sign session tokens");
  keys->require_subcommand(1);
  CLI::App* keys_rotate =
      keys->add_subcommand("rotate",
                           "Make a new key current (the old one verifies until its "
                           "tokens expired)");
  CLI::App* keys_list = keys->add_subcommand("list", "List the stored keys");
  CLI::App* keys_pem =
      keys->add_subcommand("public-pem", "Print the current key's public PEM (CLERK_JWT_KEY)");
  keys_pem->add_option("--kid", keys_kid, "Print this key's instead");
  for (CLI::App* sub : {keys_rotate, keys_list, keys_pem}) {
    sub->add_option("--database", keys_database, "Store URL")
        ->envname("ORGD_DATABASE")
        ->capture_default_str();
  }

  std::string backup_database = config.database;
  std::string backup_out;
  CLI::App* backup = cli.add_subcommand(
      "backup", "Copy the SQLite store, consistently, while orgd serves (PostgreSQL: pg_dump)");
  backup->add_option("--database", backup_database, "Store URL: sqlite:<path>")
      ->envname("ORGD_DATABASE")
      ->capture_default_str();
  backup->add_option("out", backup_out, "The new file (created 0600; never overwritten)")
      ->required();

  orgd::server::ExportOptions export_options;
  export_options.database_url = config.database;
  CLI::App* export_cmd = cli.add_subcommand(
      "export", "Write everything in the store to one JSONL file, consistently, while orgd serves");
  export_cmd->add_option("--database", export_options.database_url, "Store URL")
      ->envname("ORGD_DATABASE")
      ->capture_default_str();
  export_cmd
      ->add_option("--out", export_options.out_path,
                   "The new file (created 0600; never overwritten)")
      ->required();
  export_cmd->add_flag("--include-secrets", export_options.include_secrets,
                       "Also export signing keys, sessions, clients, sign-in tokens and webhook "
                       "signing secrets");

  std::string import_database = config.database;
  std::string import_file;
  orgd::server::BapiImportOptions bapi_options;
  CLI::App* import_cmd = cli.add_subcommand(
      "import", "Fill an empty store from an orgd export, or from a Clerk-compatible Backend API");
  import_cmd->add_option("--database", import_database, "Store URL of the empty store")
      ->envname("ORGD_DATABASE")
      ->capture_default_str();
  auto* import_file_option = import_cmd->add_option("file", import_file, "An orgd export");
  auto* from_bapi_option =
      import_cmd->add_option("--from-bapi", bapi_options.api_url,
                             "Backend API to pull from instead (e.g. https://api.clerk.com)");
  import_cmd->add_option("--secret-key-file", bapi_options.secret_key_file,
                         "File holding that API's secret key (with --from-bapi)");
  import_file_option->excludes(from_bapi_option);
  import_cmd->callback([&] {
    if (import_file.empty() && bapi_options.api_url.empty()) {
      throw CLI::ValidationError("import", "name an export FILE or --from-bapi URL");
    }
    if (!bapi_options.api_url.empty() && bapi_options.secret_key_file.empty()) {
      throw CLI::ValidationError("--from-bapi", "needs --secret-key-file");
    }
  });

  bool live = false;
  CLI::App* keygen = cli.add_subcommand("gen-secret-key", "Print a new random secret key");
  keygen->add_flag("--live", live, "Make an sk_live_ key instead of sk_test_");

  CLI11_PARSE(cli, argc, argv);

  try {
    if (*serve) return Serve(config);
    if (*doctor) return orgd::server::PrintDoctor(orgd::server::RunDoctor(config), stdout);
    if (*migrate) {
      auto applied = orgd::server::Migrate(migrate_database);
      if (!applied) {
        std::fprintf(stderr, "orgd migrate: %s\n", applied.error().detail.c_str());
        return 1;
      }
      std::printf("orgd migrate: %d migration(s) applied to %s\n", *applied,
                  orgd::server::RedactUrl(migrate_database).c_str());
      return 0;
    }
    if (*seed) {
      auto report = orgd::server::Seed(seed_options);
      if (!report) {
        std::fprintf(stderr, "orgd seed: %s %s\n", report.error().long_message.c_str(),
                     report.error().detail.c_str());
        return 1;
      }
      std::printf("orgd seed: %lld organizations, %lld users, %lld memberships in %.1f s\n",
                  static_cast<long long>(report->organizations),
                  static_cast<long long>(report->users),
                  static_cast<long long>(report->memberships), report->seconds);
      return 0;
    }
    if (*keys) {
      if (*keys_rotate) {
        auto kid = orgd::server::RotateSigningKey(keys_database);
        if (!kid) {
          std::fprintf(stderr, "orgd keys: %s\n", kid.error().detail.c_str());
          return 1;
        }
        std::printf("orgd keys: %s is current\n", kid->c_str());
        return 0;
      }
      if (*keys_list) {
        auto listed = orgd::server::ListSigningKeys(keys_database);
        if (!listed) {
          std::fprintf(stderr, "orgd keys: %s\n", listed.error().detail.c_str());
          return 1;
        }
        for (const auto& key : *listed) {
          if (key.retired_at) {
            std::printf("%s retired created_at=%lld retired_at=%lld leaves_jwks_at=%lld\n",
                        key.kid.c_str(), static_cast<long long>(key.created_at),
                        static_cast<long long>(*key.retired_at),
                        static_cast<long long>(key.leaves_jwks_at));
          } else {
            std::printf("%s current created_at=%lld\n", key.kid.c_str(),
                        static_cast<long long>(key.created_at));
          }
        }
        return 0;
      }
      if (*keys_pem) {
        auto pem = orgd::server::SigningKeyPublicPem(
            keys_database, keys_kid.empty() ? std::nullopt : std::optional(keys_kid));
        if (!pem) {
          std::fprintf(
              stderr, "orgd keys: %s\n",
              (pem.error().detail.empty() ? pem.error().long_message : pem.error().detail).c_str());
          return 1;
        }
        std::fputs(pem->c_str(), stdout);
        return 0;
      }
    }
    if (*emails) {
      auto listed = orgd::server::ListDeadEmails(emails_database, 1000);
      if (!listed) {
        std::fprintf(stderr, "orgd emails: %s\n", listed.error().detail.c_str());
        return 1;
      }
      std::printf("%zu dead email(s)\n", listed->size());
      for (const auto& e : *listed) {
        std::printf("%s invitation=%s attempts=%lld dead_at=%lld error=%s\n", e.job_id.c_str(),
                    e.invitation_id.c_str(), static_cast<long long>(e.attempts),
                    static_cast<long long>(e.dead_at), e.last_error.c_str());
      }
      return 0;
    }
    if (*backup) {
      auto report = orgd::server::BackupSqlite(backup_database, backup_out);
      if (!report) {
        std::fprintf(stderr, "orgd backup: %s\n", report.error().detail.c_str());
        return 1;
      }
      std::printf("orgd backup: %s copied to %s (%lld pages, %lld bytes) in %.2f s\n",
                  report->source.c_str(), backup_out.c_str(), static_cast<long long>(report->pages),
                  static_cast<long long>(report->bytes), report->seconds);
      return 0;
    }
    if (*export_cmd) {
      auto report = orgd::server::ExportStore(export_options);
      if (!report) {
        std::fprintf(stderr, "orgd export: %s\n", report.error().detail.c_str());
        return 1;
      }
      std::printf("orgd export: %lld rows of %zu tables (%lld bytes%s) written to %s in %.2f s\n",
                  static_cast<long long>(report->total_rows), report->rows.size(),
                  static_cast<long long>(report->bytes),
                  export_options.include_secrets ? ", with secrets" : "",
                  export_options.out_path.c_str(), report->seconds);
      return 0;
    }
    if (*import_cmd) {
      bapi_options.database_url = import_database;
      auto report = import_file.empty() ? orgd::server::ImportFromBapi(bapi_options)
                                        : orgd::server::ImportStore(import_database, import_file);
      if (!report) {
        std::fprintf(stderr, "orgd import: %s; nothing was imported\n",
                     report.error().detail.c_str());
        return 1;
      }
      for (const auto& [table, rows] : report->rows) {
        std::printf("  %-26s %lld\n", table.c_str(), static_cast<long long>(rows));
      }
      std::printf("orgd import: %lld rows imported into %s in %.2f s\n",
                  static_cast<long long>(report->total_rows),
                  orgd::server::RedactUrl(import_database).c_str(), report->seconds);
      if (report->new_webhook_secrets > 0) {
        std::printf(
            "orgd import: %lld webhook endpoint(s) have new signing secrets (the export "
            "had none): rotate each one's (POST "
            "/v1/webhook_endpoints/{id}/rotate_secret) and give the receiver the secret "
            "it returns\n",
            static_cast<long long>(report->new_webhook_secrets));
      }
      return 0;
    }
    if (*keygen) {
      std::printf("%s%s\n", live ? "sk_live_" : "sk_test_", orgd::RandomBase62(48).c_str());
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "orgd: fatal: %s\n", e.what());
    return 2;
  }
  return 0;
}
