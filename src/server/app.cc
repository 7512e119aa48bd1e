#include "server/app.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <thread>

#include "api/backend/invitations_handler.h"
#include "api/backend/memberships_handler.h"
#include "api/backend/organizations_handler.h"
#include "api/backend/roles_handler.h"
#include "api/backend/secret_key_auth.h"
#include "api/backend/sessions_handler.h"
#include "api/backend/settings_handler.h"
#include "api/backend/sign_in_tokens_handler.h"
#include "api/backend/users_handler.h"
#include "api/backend/webhooks_handler.h"
#include "api/error_response.h"
#include "api/json/webhook_payloads.h"
#include "api/operator/metrics_handler.h"
#include "api/public/health_handler.h"
#include "api/public/images_handler.h"
#include "api/routes.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/worker_pool.h"
#include "http/server.h"
#include "jobs/dns_txt_resolver.h"
#include "jobs/smtp_email_sender.h"
#include "jobs/webhook_sender.h"
#include "media/vips_image_processor.h"
#include "server/instrumented_senders.h"
#include "server/open_store.h"
#include "service/affiliation_email.h"
#include "service/audit_service.h"
#include "service/domain_service.h"
#include "service/health_service.h"
#include "service/image_service.h"
#include "service/invitation_email.h"
#include "service/invitation_service.h"
#include "service/job_runner.h"
#include "service/organization_service.h"
#include "service/session_service.h"
#include "service/sign_in_token_service.h"
#include "service/signing_keys.h"
#include "service/webhook_delivery.h"
#include "service/webhook_service.h"

namespace orgd::server {
namespace {

// The public URL for a bound address: wildcard addresses are not reachable, loopback is.
std::string DefaultPublicUrl(const std::string& address) {
  std::string host_port = address;
  if (host_port.starts_with("0.0.0.0:")) host_port = "127.0.0.1:" + host_port.substr(8);
  if (host_port.starts_with("[::]:")) host_port = "[::1]:" + host_port.substr(5);
  return "http://" + host_port;
}

// The instance's ID (instance_id of every event), made once and kept in the store so every node
// and every restart says the same.
Result<std::string> InstanceId(store::Database& db, IdGenerator& ids) {
  std::promise<Result<std::string>> done;
  store::WriteAsync<std::string>(
      db,
      [candidate = ids.New("ins")](store::WriteTransaction& tx) {
        return tx.settings().Secret("instance_id", candidate);
      },
      [&done](Result<std::string> r) { done.set_value(std::move(r)); });
  return done.get_future().get();
}

// --webhook-retry-schedule: comma-separated durations.
Result<std::vector<std::chrono::milliseconds>> ParseRetrySchedule(const std::string& text) {
  std::vector<std::chrono::milliseconds> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    auto seconds =
        ParseDurationSeconds(text.substr(start, comma - start), "--webhook-retry-schedule");
    if (!seconds) return seconds.error();
    out.emplace_back(*seconds * 1000);
    start = comma + 1;
  }
  return out;
}

}  // namespace

// Everything the app owns, in construction order (destroyed in reverse).
struct App::Parts {
  // The store first: its threads (the PostgreSQL listener calls back into the authority) stop
  // before any part they reach is destroyed, also when Create() gives up half way.
  ~Parts() {
    if (db) db->Close();
  }
  Config config;
  // Before everything that records into it (http/request_metrics.h, store/store_metrics.h,
  // server/instrumented_senders.h); rendered by the operator listener's GET /metrics.
  metrics::Registry metrics;
  SystemClock clock;
  RandomIdGenerator ids{clock};
  std::unique_ptr<store::Database> db;
  std::unique_ptr<media::VipsImageProcessor> image_processor;
  std::unique_ptr<WorkerPool> image_workers;
  // The webhook events' data, rendered by the services' writes (its image URLs: public_url).
  std::unique_ptr<api::json::WebhookPayloads> event_payloads;
  std::unique_ptr<service::OrganizationService> organizations;
  std::unique_ptr<service::UserService> users;
  std::unique_ptr<service::PermissionAuthority> authority;
  std::unique_ptr<service::MembershipService> memberships;
  std::unique_ptr<service::InvitationService> invitations;
  std::unique_ptr<service::RoleService> roles;
  std::unique_ptr<WorkerPool> signing_workers;
  std::unique_ptr<service::SigningKeys> signing_keys;
  std::unique_ptr<service::SessionService> sessions;
  std::unique_ptr<service::SignInTokenService> sign_in_tokens;
  std::unique_ptr<service::SettingsService> settings;
  std::unique_ptr<service::ImageService> images;
  std::unique_ptr<service::HealthService> health;
  std::unique_ptr<service::JobRunner> jobs;
  std::unique_ptr<service::EmailSender> email_sender;
  std::unique_ptr<service::WebhookService> webhooks;
  std::unique_ptr<jobs::CurlWebhookSender> webhook_sender;
  std::unique_ptr<CountingEmailSender> counted_email_sender;
  std::unique_ptr<CountingWebhookSender> counted_webhook_sender;
  std::unique_ptr<service::WebhookDelivery> webhook_delivery;
  std::unique_ptr<api::SecretKeyAuth> auth;
  std::unique_ptr<api::RateLimits> rate_limits;
  std::unique_ptr<api::OrganizationsHandler> organizations_handler;
  std::unique_ptr<api::UsersHandler> users_handler;
  std::unique_ptr<api::MembershipsHandler> memberships_handler;
  std::unique_ptr<api::InvitationsHandler> invitations_handler;
  std::unique_ptr<api::RolesHandler> roles_handler;
  std::unique_ptr<api::SessionsHandler> sessions_handler;
  std::unique_ptr<api::SignInTokensHandler> sign_in_tokens_handler;
  std::unique_ptr<api::WebhooksHandler> webhooks_handler;
  std::unique_ptr<service::AuditService> audit;
  std::unique_ptr<api::AuditLogsHandler> audit_logs_handler;
  std::unique_ptr<api::SettingsHandler> settings_handler;
  std::unique_ptr<api::ImagesHandler> images_handler;
  std::unique_ptr<api::HealthHandler> health_handler;
  std::unique_ptr<api::OpenApiHandler> openapi_handler;
  std::unique_ptr<api::MetricsHandler> metrics_handler;
  // The Frontend API's.
  std::unique_ptr<service::ClientService> clients;
  std::unique_ptr<WorkerPool> dns_workers;
  std::unique_ptr<service::DomainService> domains;
  std::unique_ptr<api::DomainsHandler> domains_handler;
  std::unique_ptr<api::FrontendDomainsHandler> frontend_domains_handler;
  api::FrontendSettings frontend_settings;
  std::unique_ptr<api::FrontendReplies> frontend_replies;
  std::unique_ptr<api::FrontendClientHandler> frontend_client_handler;
  std::unique_ptr<api::FrontendOrganizationsHandler> frontend_organizations_handler;
  http::Router router;
  http::Router frontend_router;
  http::Router operator_router;
  std::unique_ptr<http::Server> server;
  std::string address;
  std::string public_url;
  std::string frontend_address;
  std::string frontend_url;
  std::string metrics_address;
};

App::App(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

App::~App() {
  if (parts_ && parts_->db) parts_->db->Close();
}

Result<std::unique_ptr<App>> App::Create(const Config& given) {
  Config config = given;
  if (!config.secret_key_file.empty()) {
    auto keys = ReadSecretKeyFile(config.secret_key_file);
    if (!keys) return keys.error();
    config.secret_keys.insert(config.secret_keys.end(), keys->begin(), keys->end());
  }
  if (auto r = ValidateServeConfig(config); !r) return r.error();
  auto p = std::make_unique<Parts>();
  p->config = config;

  const auto store_url = ParseDatabaseUrl(config.database);
  p->metrics
      .GetGauge(
          "orgd_build_info", "The running build: always 1, its labels say which.",
          {{"version", ORGD_VERSION},
           {"store",
            store_url && store_url->kind == DatabaseUrl::Kind::kPostgres ? "postgres" : "sqlite"}})
      .Set(1);
  // The request and store series cost a few atomics per request: kept only when someone can read
  // them (bench/instructions.sh measures the difference).
  metrics::Registry* const kept = config.metrics_listen.empty() ? nullptr : &p->metrics;
  auto db =
      OpenStore(config.database, StoreOptions{.postgres_pool = config.db_pool, .metrics = kept});
  if (!db) return db.error();
  p->db = std::move(*db);

  p->image_processor = std::make_unique<media::VipsImageProcessor>(media::ImageLimits{});
  p->image_workers = std::make_unique<WorkerPool>("orgd-images", config.image_workers, 64);
  p->authority = std::make_unique<service::PermissionAuthority>(*p->db);
  if (auto r = p->authority->Load(); !r) return r.error();
  // public_url is set below, before anything serves or runs jobs (WebhookPayloads reads it then).
  p->event_payloads = std::make_unique<api::json::WebhookPayloads>(p->public_url);
  p->organizations = std::make_unique<service::OrganizationService>(
      *p->db, p->clock, p->ids, *p->image_processor, *p->image_workers, *p->authority,
      *p->event_payloads);
  p->users = std::make_unique<service::UserService>(*p->db, p->clock, p->ids, *p->image_processor,
                                                    *p->image_workers, *p->event_payloads);
  // Other nodes on the same database change roles too: reload the table when they do.
  p->db->OnSharedStateChanged([authority = p->authority.get()] {
    if (auto r = authority->RefreshIfStale(); !r) {
      spdlog::warn("could not refresh the role table: {}", r.error().detail);
    }
  });
  p->memberships = std::make_unique<service::MembershipService>(*p->db, p->clock, p->ids,
                                                                *p->authority, *p->event_payloads);
  p->invitations = std::make_unique<service::InvitationService>(
      *p->db, p->clock, p->ids, *p->authority, config.invitation_url, *p->event_payloads);
  p->roles = std::make_unique<service::RoleService>(*p->db, p->clock, p->ids, *p->authority,
                                                    *p->event_payloads);
  // Verified domains: TXT lookups block, so they run on their own small pool.
  p->dns_workers = std::make_unique<WorkerPool>("orgd-dns", 2, 256);
  p->domains = std::make_unique<service::DomainService>(
      *p->db, p->clock, p->ids, *p->authority, *p->event_payloads,
      [options = jobs::DnsOptions{.server = config.dns_server}](const std::string& name) {
        return jobs::ResolveTxt(name, options);
      },
      *p->dns_workers);

  // Both listeners are bound first: the Frontend API's address is the default of its URL, which
  // session tokens carry as iss. Their routes are added below, before Run() serves.
  // The operator listener (metrics and probes) only when asked for, and never on a public port.
  http::ServerOptions server_options = *ParseServerLimits(config);
  server_options.threads = config.threads;
  server_options.metrics = kept;
  server_options.json_logs = config.log_format == "json";
  std::vector<http::Listener> listeners{{"backend", config.listen, &p->router},
                                        {"frontend", config.frontend_listen, &p->frontend_router}};
  if (!config.metrics_listen.empty()) {
    listeners.push_back({"metrics", config.metrics_listen, &p->operator_router});
  }
  p->server = std::make_unique<http::Server>(server_options, std::move(listeners),
                                             api::RenderTransportFailure);
  auto addresses = p->server->BindAll();
  if (!addresses) return addresses.error();
  p->address = (*addresses)[0];
  p->frontend_address = (*addresses)[1];
  if (!config.metrics_listen.empty()) p->metrics_address = (*addresses)[2];
  p->public_url = config.public_url.empty() ? DefaultPublicUrl(p->address) : config.public_url;
  while (p->public_url.ends_with('/')) p->public_url.pop_back();
  p->frontend_url =
      config.frontend_url.empty() ? DefaultPublicUrl(p->frontend_address) : config.frontend_url;
  while (p->frontend_url.ends_with('/')) p->frontend_url.pop_back();

  // Sessions and their tokens: the first start makes the signing key every node shares.
  p->signing_keys = std::make_unique<service::SigningKeys>(*p->db, p->clock);
  if (auto r = p->signing_keys->EnsureCurrent(); !r) return r.error();
  const int signing_threads =
      config.signing_workers > 0
          ? config.signing_workers
          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  p->signing_workers = std::make_unique<WorkerPool>("orgd-sign", signing_threads, 4096);
  service::SessionOptions session_options;
  session_options.lifetime_ms = *ParseDurationSeconds(config.session_lifetime, "") * 1000;
  session_options.inactivity_timeout_ms =
      *ParseDurationSeconds(config.session_inactivity_timeout, "") * 1000;
  session_options.token_lifetime_s = *ParseDurationSeconds(config.token_lifetime, "");
  session_options.issuer = p->frontend_url;
  session_options.allowed_origins = config.allowed_origins;
  p->sessions = std::make_unique<service::SessionService>(
      *p->db, p->clock, p->ids, *p->authority, *p->signing_keys, *p->signing_workers,
      std::move(session_options), *p->event_payloads);
  p->sign_in_tokens = std::make_unique<service::SignInTokenService>(
      *p->db, p->clock, p->ids, p->sessions->options(), *p->event_payloads);
  p->settings = std::make_unique<service::SettingsService>(*p->db, p->clock);
  p->images = std::make_unique<service::ImageService>(*p->db);
  p->health = std::make_unique<service::HealthService>(*p->db, p->clock);
  // Background jobs: whichever node claims one runs it (service/job_runner.h).
  service::JobRunnerOptions job_options;
  job_options.node_id = p->ids.New("node");
  p->jobs = std::make_unique<service::JobRunner>(*p->db, p->clock, p->ids, job_options);
  p->jobs->Register(service::kPurgeCompletedJobs,
                    service::PurgeCompletedJobs(p->clock, std::chrono::hours(24 * 7)));
  p->jobs->Schedule(service::kPurgeCompletedJobs, std::chrono::hours(1));
  if (const int64_t retention = *ParseDurationSeconds(config.audit_retention, ""); retention > 0) {
    p->jobs->Register(service::kPurgeAuditLog,
                      service::PurgeAuditLog(p->clock, std::chrono::seconds(retention), 50'000));
    p->jobs->Schedule(service::kPurgeAuditLog, std::chrono::minutes(10));
  }
  // Invitation emails: sent by the nodes that have SMTP; the others leave them queued.
  if (!config.smtp_url.empty()) {
    jobs::SmtpOptions smtp;
    smtp.url = config.smtp_url;
    smtp.user = config.smtp_user;
    if (!config.smtp_password_file.empty()) {
      auto password = ReadPasswordFile(config.smtp_password_file);
      if (!password) return password.error();
      smtp.password = std::move(*password);
    }
    smtp.starttls = config.smtp_starttls == "required" ? jobs::SmtpOptions::StartTls::kRequired
                    : config.smtp_starttls == "off"    ? jobs::SmtpOptions::StartTls::kOff
                                                    : jobs::SmtpOptions::StartTls::kOpportunistic;
    auto templates = config.email_templates.empty()
                         ? Result<service::EmailTemplates>(service::DefaultInvitationTemplates())
                         : service::LoadInvitationTemplates(config.email_templates);
    if (!templates) return templates.error();
    p->email_sender = std::make_unique<jobs::SmtpEmailSender>(std::move(smtp));
    p->counted_email_sender = std::make_unique<CountingEmailSender>(*p->email_sender, p->metrics);
    p->jobs->RegisterOutside(
        service::kAffiliationCodeJob,
        service::AffiliationCodeJob(*p->counted_email_sender, config.email_from));
    p->jobs->RegisterOutside(
        service::kInvitationEmailJob,
        service::InvitationEmailJob(*p->db, *p->counted_email_sender, *p->authority, p->clock,
                                    std::move(*templates), config.email_from));
  } else {
    spdlog::warn(
        "no --smtp-url: invitation emails are held in the queue (a node with SMTP "
        "sends them)");
  }

  // Webhooks: events are dispatched and delivered by whichever node gets to them first
  // (service/webhook_delivery.h).
  auto instance_id = InstanceId(*p->db, p->ids);
  if (!instance_id) return instance_id.error();
  auto retry_schedule = ParseRetrySchedule(config.webhook_retry_schedule);
  if (!retry_schedule) return retry_schedule.error();
  p->webhooks = std::make_unique<service::WebhookService>(
      *p->db, p->clock, p->ids,
      service::WebhookOptions{config.webhook_allow_private, *instance_id});
  if (!config.webhook_endpoint.empty()) {
    auto secret = ReadPasswordFile(config.webhook_secret_file);
    if (!secret) return secret.error();
    if (auto r = p->webhooks->EnsureStaticEndpoint(config.webhook_endpoint, *secret); !r) {
      return r.error();
    }
  }
  p->webhook_sender = std::make_unique<jobs::CurlWebhookSender>(
      jobs::WebhookSenderOptions{.allow_private = config.webhook_allow_private});
  p->counted_webhook_sender =
      std::make_unique<CountingWebhookSender>(*p->webhook_sender, p->metrics);
  service::WebhookDeliveryOptions delivery;
  delivery.node_id = job_options.node_id;
  delivery.instance_id = *instance_id;
  delivery.retry_schedule = std::move(*retry_schedule);
  delivery.workers = config.webhook_workers;
  p->webhook_delivery = std::make_unique<service::WebhookDelivery>(
      *p->db, p->clock, p->ids, *p->counted_webhook_sender, std::move(delivery));

  p->auth = std::make_unique<api::SecretKeyAuth>(config.secret_keys);
  p->rate_limits = std::make_unique<api::RateLimits>(*ParseRateLimits(config), p->clock, *p->auth);
  p->organizations_handler = std::make_unique<api::OrganizationsHandler>(
      *p->organizations, api::json::ImageUrls{p->public_url});
  p->users_handler =
      std::make_unique<api::UsersHandler>(*p->users, api::json::ImageUrls{p->public_url});
  p->memberships_handler = std::make_unique<api::MembershipsHandler>(
      *p->memberships, api::json::ImageUrls{p->public_url});
  p->invitations_handler = std::make_unique<api::InvitationsHandler>(
      *p->invitations, api::json::ImageUrls{p->public_url});
  p->domains_handler =
      std::make_unique<api::DomainsHandler>(*p->domains, api::json::ImageUrls{p->public_url});
  p->roles_handler = std::make_unique<api::RolesHandler>(*p->roles);
  p->sessions_handler = std::make_unique<api::SessionsHandler>(*p->sessions, *p->signing_keys);
  p->sign_in_tokens_handler = std::make_unique<api::SignInTokensHandler>(*p->sign_in_tokens);
  p->webhooks_handler = std::make_unique<api::WebhooksHandler>(*p->webhooks);
  p->audit = std::make_unique<service::AuditService>(*p->db);
  p->audit_logs_handler = std::make_unique<api::AuditLogsHandler>(*p->audit);
  p->settings_handler = std::make_unique<api::SettingsHandler>(*p->settings);
  p->images_handler = std::make_unique<api::ImagesHandler>(*p->images);
  p->health_handler = std::make_unique<api::HealthHandler>(
      *p->health, *ParseDurationSeconds(config.ready_max_outbox_age, "") * 1000);
  p->metrics_handler = std::make_unique<api::MetricsHandler>(p->metrics, *p->health);
  p->openapi_handler = std::make_unique<api::OpenApiHandler>(p->public_url, ORGD_VERSION);
  api::Mount(p->operator_router, api::OperatorRoutes(*p->metrics_handler, *p->health_handler),
             service::Api::kInternal, *p->auth, *p->rate_limits);
  api::RegisterRoutes(
      p->router,
      api::Handlers{*p->auth, *p->rate_limits, *p->organizations_handler, *p->users_handler,
                    *p->memberships_handler, *p->invitations_handler, *p->domains_handler,
                    *p->sessions_handler, *p->sign_in_tokens_handler, *p->roles_handler,
                    *p->settings_handler, *p->webhooks_handler, *p->audit_logs_handler,
                    *p->images_handler, *p->health_handler, *p->openapi_handler});

  // The Frontend API, on its own listener.
  p->clients = std::make_unique<service::ClientService>(*p->db, p->clock, p->ids, *p->authority,
                                                        *p->sessions, *p->event_payloads);
  api::FrontendSettings& fs = p->frontend_settings;
  fs.allowed_origins = config.allowed_origins;
  fs.frontend_url = p->frontend_url;
  fs.publishable_key = api::PublishableKeyFor(p->frontend_url);
  fs.cookie_suffix = api::CookieSuffix(fs.publishable_key);
  fs.cookie_domain = config.cookie_domain;
  fs.secure_cookies = p->frontend_url.starts_with("https://");
  p->frontend_replies = std::make_unique<api::FrontendReplies>(*p->clients, fs);
  p->frontend_client_handler = std::make_unique<api::FrontendClientHandler>(
      *p->clients, *p->sessions, *p->settings, *p->frontend_replies);
  p->frontend_organizations_handler = std::make_unique<api::FrontendOrganizationsHandler>(
      *p->organizations, *p->memberships, *p->invitations, *p->roles, *p->frontend_replies);
  p->frontend_domains_handler =
      std::make_unique<api::FrontendDomainsHandler>(*p->domains, *p->frontend_replies);
  api::MountFrontend(
      p->frontend_router,
      api::FrontendHandlers{fs, *p->rate_limits, *p->clients, *p->frontend_client_handler,
                            *p->frontend_organizations_handler, *p->frontend_domains_handler,
                            *p->images_handler});
  return std::unique_ptr<App>(new App(std::move(p)));
}

const std::string& App::address() const { return parts_->address; }
const std::string& App::public_url() const { return parts_->public_url; }
const std::string& App::frontend_address() const { return parts_->frontend_address; }
const std::string& App::frontend_url() const { return parts_->frontend_url; }
const std::string& App::metrics_address() const { return parts_->metrics_address; }
const std::string& App::publishable_key() const {
  return parts_->frontend_settings.publishable_key;
}

void App::Run() {
  service::SetEffectsListener(parts_->webhook_delivery.get());
  const auto store_url = ParseDatabaseUrl(parts_->config.database);
  const bool sole_process = store_url && store_url->kind == DatabaseUrl::Kind::kSqlite;
  if (auto r = parts_->webhook_delivery->Start(sole_process); !r) {
    spdlog::error("webhook delivery could not start: {}", r.error().detail);
  }
  parts_->jobs->Start();
  parts_->server->Run();
  // Requests are drained; finish the job under way and the image work already queued, then
  // every queued write.
  parts_->jobs->Stop();
  parts_->webhook_delivery->Stop();
  service::SetEffectsListener(nullptr);
  parts_->image_workers.reset();
  parts_->signing_workers.reset();
  parts_->dns_workers.reset();
  parts_->db->Close();
  spdlog::info("stopped cleanly");
}

void App::Stop() { parts_->server->Stop(); }

}  // namespace orgd::server
