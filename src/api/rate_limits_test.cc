#include "api/rate_limits.h"

#include <gtest/gtest.h>

#include <optional>

namespace orgd::api {
namespace {

using http::Method;

constexpr const char* kTestKey = "sk_test_0123456789abcdefABCDEF";
constexpr const char* kLiveKey = "sk_live_ZZZZZZZZZZZZZZZZZZZZ";

struct Answer {
  int status = 0;
  std::string retry_after;
};

class RateLimitsTest : public ::testing::Test {
 protected:
  // Sends one request through `handler`; the inner handler answers 200.
  Answer Call(const ApiHandler& handler, const service::RequestContext& ctx,
              const http::Request& request) {
    std::optional<http::Response> got;
    handler(ctx, request,
            http::Responder([&](std::function<http::Response()> make) { got = make(); }));
    Answer a;
    a.status = got->status;
    for (const auto& h : got->headers) {
      if (h.name == "Retry-After") a.retry_after = h.value;
    }
    return a;
  }

  static ApiHandler Ok() {
    return [](const service::RequestContext&, const http::Request&, http::Responder respond) {
      respond.Send(http::Response{});
    };
  }

  static service::RequestContext KeyCaller(const SecretKeyAuth& auth, const char* key) {
    http::Request r;
    r.headers.push_back({"authorization", std::string("Bearer ") + key});
    service::RequestContext ctx;
    ctx.caller = service::Caller::SecretKey(std::string(*auth.Check(r)));
    return ctx;
  }

  FakeClock clock_{1'700'000'000'000};
  SecretKeyAuth auth_{{kTestKey, kLiveKey}};
};

TEST_F(RateLimitsTest, SignInsArePerClientAddressAndRefusedWithRetryAfter) {
  RateLimits limits(RateLimitConfig{}, clock_, auth_);
  ApiHandler sign_in = limits.WrapFrontend(Method::kPost, "/v1/client/sign_ins", Ok());
  service::RequestContext ctx;
  http::Request from_a;
  from_a.remote_ip = "203.0.113.1";
  http::Request from_b;
  from_b.remote_ip = "203.0.113.2";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Call(sign_in, ctx, from_a).status, 200) << i;
  Answer refused = Call(sign_in, ctx, from_a);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.retry_after, "10");
  EXPECT_EQ(Call(sign_in, ctx, from_b).status, 200);  // another address has its own count
  clock_.Advance(10'000);
  EXPECT_EQ(Call(sign_in, ctx, from_a).status, 200);
}

TEST_F(RateLimitsTest, CodeEndpointsAllowThreePerWindowEach) {
  RateLimits limits(RateLimitConfig{}, clock_, auth_);
  const char* kAttempt =
      "/v1/organizations/{organization_id}/domains/{domain_id}/attempt_affiliation_verification";
  ApiHandler attempt = limits.WrapFrontend(Method::kPost, kAttempt, Ok());
  http::Request r;
  r.remote_ip = "198.51.100.7";
  service::RequestContext ctx;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call(attempt, ctx, r).status, 200);
  EXPECT_EQ(Call(attempt, ctx, r).status, 429);
}

TEST_F(RateLimitsTest, SessionsHaveTheirOwnCeiling) {
  RateLimits limits(RateLimitConfig{}, clock_, auth_);
  ApiHandler get = limits.WrapFrontend(Method::kGet, "/v1/me/organization_memberships", Ok());
  service::RequestContext ctx;
  ctx.caller = service::Caller::Session("user_1", "sess_1");
  for (int i = 0; i < 100; ++i) {
    http::Request r;
    r.remote_ip = "10.0.0." + std::to_string(i % 200);  // many addresses, one session
    ASSERT_EQ(Call(get, ctx, r).status, 200) << i;
  }
  http::Request r;
  r.remote_ip = "10.0.1.1";
  EXPECT_EQ(Call(get, ctx, r).status, 429);
}

TEST_F(RateLimitsTest, OffMeansNoRulesAnywhere) {
  RateLimitConfig off;
  off.frontend = false;
  RateLimits limits(off, clock_, auth_);
  EXPECT_TRUE(limits.FrontendRules(Method::kPost, "/v1/client/sign_ins").empty());
  EXPECT_TRUE(limits.BackendRules(Method::kGet, "/v1/organizations").empty());
}

TEST_F(RateLimitsTest, ClerkBackendLimitsDependOnTheKeyAndSpareTheJwks) {
  RateLimitConfig clerk;
  clerk.backend = RateLimitConfig::Backend::kClerk;
  RateLimits limits(clerk, clock_, auth_);
  EXPECT_TRUE(limits.BackendRules(Method::kGet, "/v1/jwks").empty());
  ApiHandler list = limits.WrapBackend(Method::kGet, "/v1/organizations", Ok());
  http::Request r;
  const auto test_key = KeyCaller(auth_, kTestKey);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(Call(list, test_key, r).status, 200) << i;
  EXPECT_EQ(Call(list, test_key, r).status, 429);

  RateLimits live_limits(clerk, clock_, auth_);
  ApiHandler live_list = live_limits.WrapBackend(Method::kGet, "/v1/organizations", Ok());
  const auto live_key = KeyCaller(auth_, kLiveKey);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(Call(live_list, live_key, r).status, 200) << i;
  EXPECT_EQ(Call(live_list, live_key, r).status, 429);
}

TEST_F(RateLimitsTest, OrganizationUpdatesAreCountedPerOrganization) {
  RateLimitConfig clerk;
  clerk.backend = RateLimitConfig::Backend::kClerk;
  RateLimits limits(clerk, clock_, auth_);
  ApiHandler update =
      limits.WrapBackend(Method::kPatch, "/v1/organizations/{organization_id}", Ok());
  ApiHandler metadata =
      limits.WrapBackend(Method::kPatch, "/v1/organizations/{organization_id}/metadata", Ok());
  const auto key = KeyCaller(auth_, kTestKey);
  http::Request one;
  one.path_params = {{"organization_id", "org_1"}};
  http::Request two;
  two.path_params = {{"organization_id", "org_2"}};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Call(update, key, one).status, 200);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Call(metadata, key, one).status, 200);  // one count
  EXPECT_EQ(Call(update, key, one).status, 429);
  EXPECT_EQ(Call(update, key, two).status, 200);
}

TEST_F(RateLimitsTest, ACustomRateCoversTheWholeApi) {
  RateLimitConfig custom;
  custom.backend = RateLimitConfig::Backend::kCustom;
  custom.backend_limit = 3;
  custom.backend_window = std::chrono::seconds(60);
  RateLimits limits(custom, clock_, auth_);
  ApiHandler a = limits.WrapBackend(Method::kGet, "/v1/organizations", Ok());
  ApiHandler b = limits.WrapBackend(Method::kGet, "/v1/users", Ok());
  const auto key = KeyCaller(auth_, kTestKey);
  http::Request r;
  EXPECT_EQ(Call(a, key, r).status, 200);
  EXPECT_EQ(Call(b, key, r).status, 200);
  EXPECT_EQ(Call(a, key, r).status, 200);
  Answer refused = Call(b, key, r);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.retry_after, "60");
}

}  // namespace
}  // namespace orgd::api
