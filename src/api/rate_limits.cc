#include "api/rate_limits.h"

#include <fmt/format.h>

#include "api/error_response.h"
#include "domain/errors.h"
#include "http/client_address.h"

namespace orgd::api {
namespace {

using http::Method;
using Scope = RateRule::Scope;
using std::chrono::hours;
using std::chrono::seconds;

constexpr std::chrono::milliseconds kTenSeconds = seconds(10);

RateRule Rule(std::string bucket, Scope scope, int64_t limit, std::chrono::milliseconds window) {
  return RateRule{std::move(bucket), scope, limit, limit, window};
}

// Whether the route checks or sends a code: Clerk's "attempt" class, 3 per 10 s.
bool ChecksACode(std::string_view path) {
  return path.find("/prepare_") != std::string_view::npos ||
         path.find("/attempt_") != std::string_view::npos;
}

bool IsMetadataChange(Method method, std::string_view path, std::string_view base) {
  return (method == Method::kPatch || method == Method::kPut) && path.starts_with(base) &&
         path.substr(base.size()) == "/metadata";
}

// The count a request adds to under `rule`, or "" when the rule does not count it.
std::string KeyFor(const RateRule& rule, const service::RequestContext& ctx,
                   const http::Request& request) {
  switch (rule.scope) {
    case Scope::kClientIp:
      return fmt::format("{}|ip|{}", rule.bucket, http::LimitKey(request.remote_ip));
    case Scope::kSession:
      if (ctx.caller.session_id.empty()) return {};
      return fmt::format("{}|sess|{}", rule.bucket, ctx.caller.session_id);
    case Scope::kInstance:
      return fmt::format("{}|instance", rule.bucket);
    case Scope::kOrganization:
      return fmt::format("{}|org|{}", rule.bucket, request.PathParam("organization_id"));
    case Scope::kMembership:
      return fmt::format("{}|mem|{}|{}", rule.bucket, request.PathParam("organization_id"),
                         request.PathParam("user_id"));
    case Scope::kUser:
      return fmt::format("{}|user|{}", rule.bucket, request.PathParam("user_id"));
  }
  return {};
}

}  // namespace

std::vector<RateRule> RateLimits::FrontendRules(Method method, std::string_view path) const {
  std::vector<RateRule> rules;
  if (!config_.frontend) return rules;
  if (method == Method::kPost && path == "/v1/client/sign_ins") {
    rules.push_back(Rule("sign_ins", Scope::kClientIp, 5, kTenSeconds));
  }
  if (method == Method::kPost && path == "/v1/client/sign_ups") {
    rules.push_back(Rule("sign_ups", Scope::kClientIp, 5, kTenSeconds));
  }
  if (method == Method::kPost && ChecksACode(path)) {
    rules.push_back(Rule(fmt::format("POST {}", path), Scope::kClientIp, 3, kTenSeconds));
  }
  rules.push_back(Rule("frontend", Scope::kClientIp, 1000, kTenSeconds));
  rules.push_back(Rule("frontend", Scope::kSession, 100, kTenSeconds));
  return rules;
}

std::vector<RateRule> RateLimits::BackendRules(Method method, std::string_view path) const {
  std::vector<RateRule> rules;
  if (config_.backend == RateLimitConfig::Backend::kOff) return rules;
  // The SDK fetches the keys that verify tokens whenever it meets a new kid: never refused.
  if (path == "/v1/jwks") return rules;
  if (config_.backend == RateLimitConfig::Backend::kCustom) {
    rules.push_back(
        Rule("backend", Scope::kInstance, config_.backend_limit, config_.backend_window));
    return rules;
  }
  rules.push_back(RateRule{"backend", Scope::kInstance, 100, 1000, kTenSeconds});
  if (method == Method::kPost && path == "/v1/users") {
    rules.push_back(RateRule{"users.create", Scope::kInstance, 100, 1000, kTenSeconds});
  }
  if (method == Method::kPost && path == "/v1/organizations/{organization_id}/invitations") {
    rules.push_back(Rule("invitations.create", Scope::kInstance, 250, hours(1)));
  }
  if (method == Method::kPost && path == "/v1/organizations/{organization_id}/invitations/bulk") {
    rules.push_back(Rule("invitations.bulk", Scope::kInstance, 50, hours(1)));
  }
  constexpr std::string_view kOrg = "/v1/organizations/{organization_id}";
  if ((method == Method::kPatch && path == kOrg) || IsMetadataChange(method, path, kOrg)) {
    rules.push_back(Rule("organization.update", Scope::kOrganization, 10, kTenSeconds));
  }
  constexpr std::string_view kMember = "/v1/organizations/{organization_id}/memberships/{user_id}";
  if ((method == Method::kPatch && path == kMember) || IsMetadataChange(method, path, kMember)) {
    rules.push_back(Rule("membership.update", Scope::kMembership, 10, kTenSeconds));
  }
  constexpr std::string_view kUser = "/v1/users/{user_id}";
  if ((method == Method::kPatch && path == kUser) || IsMetadataChange(method, path, kUser)) {
    rules.push_back(Rule("user.update", Scope::kUser, 10, kTenSeconds));
  }
  return rules;
}

ApiHandler RateLimits::WrapFrontend(Method method, std::string_view path,
                                    ApiHandler handler) const {
  return Wrap(FrontendRules(method, path), std::move(handler));
}

ApiHandler RateLimits::WrapBackend(Method method, std::string_view path, ApiHandler handler) const {
  return Wrap(BackendRules(method, path), std::move(handler));
}

ApiHandler RateLimits::Wrap(std::vector<RateRule> rules, ApiHandler handler) const {
  if (rules.empty()) return handler;
  return [this, rules = std::move(rules), handler = std::move(handler)](
             const service::RequestContext& ctx, const http::Request& request,
             http::Responder respond) {
    for (const RateRule& rule : rules) {
      const std::string key = KeyFor(rule, ctx, request);
      if (key.empty()) continue;
      const bool live =
          ctx.caller.kind == service::Caller::Kind::kSecretKey && auth_.IsLive(ctx.caller.id);
      const int64_t retry_after =
          limiter_.Take(key, live ? rule.live_limit : rule.limit, rule.window);
      if (retry_after == 0) continue;
      http::Response response = ErrorResponse(errors::TooManyRequests(), request.request_id);
      for (auto& h : response.headers) {
        if (h.name == "Retry-After") h.value = std::to_string(retry_after);
      }
      return respond.Send(std::move(response));
    }
    handler(ctx, request, std::move(respond));
  };
}

}  // namespace orgd::api
