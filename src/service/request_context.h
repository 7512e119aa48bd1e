// RequestContext: what a service knows of the request it serves, built once per request by the
// API's middleware (api/routes.cc) and passed to every service method. Services never read HTTP:
// this is all they get of it.
//
//   caller       who asks: the secret-key holder (Backend API), a signed-in user (Frontend API,
//                with their session and active organization), or orgd itself (background jobs)
//   api          which API the request came through
//   api_version  the Backend API version, parsed once by the middleware
//   request_id   the clerk_trace_id of the response; ties logs, events and audit entries together
//   remote_ip, user_agent   for event_attributes.http_request and the audit log
//
// Thread safety: a plain value. Its text fields view the request, which stays valid until the
// request is answered (after the service's callback ran); services copy what outlives that into
// their closures (service/transaction.h WriteOrigin, OrganizationAccess below).
#pragma once

#include <string>
#include <string_view>

namespace orgd::service {

// Who a request acts for. The secret-key holder and the system may do anything; a session user
// may do what their membership in the organization concerned grants (service/authorization.h).
struct Caller {
  enum class Kind {
    kSecretKey,  // the Backend API's secret key: the app's own backend
    kSession,    // a signed-in user, through the Frontend API
    kSystem,     // orgd itself: background jobs, start-up repairs
    kAnonymous,  // no credentials: the public endpoints (images, health)
  };
  Kind kind = Kind::kSystem;
  // kSecretKey: the key's public id (never the key); kSession: the user id; kSystem: the job.
  std::string id;
  std::string session_id;              // kSession
  std::string active_organization_id;  // kSession; empty when none is active
  // The Frontend API client the request came from (kSession, and kAnonymous on the Frontend
  // API when the browser has a client but no session); empty otherwise.
  std::string client_id;

  static Caller SecretKey(std::string key_id) {
    return {Kind::kSecretKey, std::move(key_id), {}, {}, {}};
  }
  static Caller Session(std::string user_id, std::string session_id,
                        std::string active_organization_id = {}, std::string client_id = {}) {
    return {Kind::kSession, std::move(user_id), std::move(session_id),
            std::move(active_organization_id), std::move(client_id)};
  }
  static Caller Anonymous(std::string client_id = {}) {
    return {Kind::kAnonymous, {}, {}, {}, std::move(client_id)};
  }
  static Caller System(std::string job) { return {Kind::kSystem, std::move(job), {}, {}, {}}; }

  // True for the callers that every operation trusts (the secret key and the system).
  bool IsTrusted() const { return kind == Kind::kSecretKey || kind == Kind::kSystem; }
};

enum class Api {
  kBackend,   // /v1 with the secret key
  kFrontend,  // the Frontend API clerk-js speaks
  kInternal,  // no API: jobs and tools inside the process
};

struct RequestContext {
  std::string_view request_id;
  Api api = Api::kInternal;
  // One of the versions api/backend/api_version.h knows (a static string); empty off the
  // Backend API.
  std::string_view api_version;
  Caller caller;
  std::string_view remote_ip;
  std::string_view user_agent;

  // The context of work orgd does by itself (a job, a start-up task).
  static RequestContext ForSystem(std::string job) {
    RequestContext ctx;
    ctx.caller = Caller::System(std::move(job));
    return ctx;
  }
};

}  // namespace orgd::service
