// RateLimits: which requests of each API are counted, against what, and the 429 past a limit.
//
// The Frontend API is public, so its limits are on by default (`--frontend-rate-limit clerk`),
// modelled on the limits Clerk documents for it ("rate-limited per user and identified by their IP
// address"): per client address, 5 sign-ins and 5 sign-ups per 10 s, 3 per 10 s on each endpoint
// that checks or sends a code (the domain affiliation and ownership verifications); beyond Clerk,
// orgd's own ceilings of 1000 requests per 10 s per address and 100 per 10 s per session keep one
// browser or one script from taking the server. The Backend API's callers hold the secret key, so
// its limits are off unless `--bapi-rate-limit` asks: `clerk` is BEHAVIOR.md §1.9 (the whole API
// 100 per 10 s for sk_test_ keys, 1000 for sk_live_, and the per-organization, -membership and
// -user rows), `N/DURATION` is one limit on the whole API. GET /v1/jwks is never limited.
//
// A refused request is answered 429 too_many_requests with Retry-After (whole seconds until the
// window that refused it ends) and reaches no service, so it changes nothing. Behind a reverse
// proxy the client address is the one --trusted-proxy lets X-Forwarded-For name (http/server.h).
//
// Thread safety: immutable after Create; the handlers it wraps may run on any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_handler.h"
#include "api/backend/secret_key_auth.h"
#include "common/clock.h"
#include "common/rate_limiter.h"
#include "http/request.h"

namespace orgd::api {

struct RateRule {
  enum class Scope {
    kClientIp,      // the client's address
    kSession,       // the caller's session (requests without one are not counted)
    kInstance,      // the whole instance: every secret key together
    kOrganization,  // the path's {organization_id}
    kMembership,    // the path's {organization_id} and {user_id}
    kUser,          // the path's {user_id}
  };
  std::string bucket;  // requests of rules with the same bucket and scope value share a count
  Scope scope;
  int64_t limit;       // requests per window (for kInstance, with an sk_test_ key)
  int64_t live_limit;  // the same with an sk_live_ key
  std::chrono::milliseconds window;
};

// What --frontend-rate-limit and --bapi-rate-limit asked for (server/config.h parses them).
struct RateLimitConfig {
  bool frontend = true;  // clerk (true) or off
  enum class Backend { kOff, kClerk, kCustom } backend = Backend::kOff;
  int64_t backend_limit = 0;  // kCustom: requests per backend_window on the whole API
  std::chrono::milliseconds backend_window{0};
};

class RateLimits {
 public:
  // REQUIRES: `clock` and `auth` outlive the limits and every handler they wrap.
  RateLimits(RateLimitConfig config, const Clock& clock, const SecretKeyAuth& auth)
      : config_(config), limiter_(clock), auth_(auth) {}

  // The rules a route is counted against (empty: not limited). `path` is the route's template,
  // e.g. "/v1/organizations/{organization_id}".
  std::vector<RateRule> FrontendRules(http::Method method, std::string_view path) const;
  std::vector<RateRule> BackendRules(http::Method method, std::string_view path) const;

  // `handler` behind the route's rules; `handler` itself when none applies.
  ApiHandler WrapFrontend(http::Method method, std::string_view path, ApiHandler handler) const;
  ApiHandler WrapBackend(http::Method method, std::string_view path, ApiHandler handler) const;

 private:
  ApiHandler Wrap(std::vector<RateRule> rules, ApiHandler handler) const;

  const RateLimitConfig config_;
  mutable RateLimiter limiter_;
  const SecretKeyAuth& auth_;
};

}  // namespace orgd::api
