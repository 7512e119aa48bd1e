#include "http/request_metrics.h"

#include <gtest/gtest.h>

namespace orgd::http {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(RequestMetricsTest, LabelsARequestByItsRoutePatternNeverItsPath) {
  Router router;
  router.Add(Method::kGet, "/v1/organizations/{organization_id}", [](const Request&, Responder) {});
  metrics::Registry registry;
  RequestMetrics m(registry, "backend", router);
  auto found = router.Find(Method::kGet, "/v1/organizations/org_1");
  ASSERT_EQ(found.status, Router::Match::Status::kFound);
  m.Record(found.route, Method::kGet, 200, 0.002);
  m.Record(found.route, Method::kGet, 200, 0.2);
  m.Record(found.route, Method::kHead, 404, 0.001);  // HEAD on the GET route counts as GET
  m.Record(std::nullopt, Method::kPost, 404, 0.0001);
  const std::string text = registry.Render();
  const std::string route =
      "api=\"backend\",method=\"GET\",route=\"/v1/organizations/{organization_id}\"";
  EXPECT_TRUE(Has(text, "orgd_http_requests_total{" + route + ",code=\"200\"} 2")) << text;
  EXPECT_TRUE(Has(text, "orgd_http_requests_total{" + route + ",code=\"404\"} 1")) << text;
  EXPECT_TRUE(Has(text,
                  "orgd_http_requests_total{api=\"backend\",method=\"POST\",route=\"unmatched\","
                  "code=\"404\"} 1"))
      << text;
  EXPECT_TRUE(Has(text, "orgd_http_request_duration_seconds_bucket{" + route +
                            ",code=\"200\",le=\"0.0025\"} 1"))
      << text;
  EXPECT_TRUE(Has(text, "orgd_http_request_duration_seconds_count{" + route + ",code=\"200\"} 2"))
      << text;
  EXPECT_EQ(text.find("org_1"), std::string::npos);
}

TEST(RequestMetricsTest, StatusesOutsideHttpsRangeAreClamped) {
  Router router;
  metrics::Registry registry;
  RequestMetrics m(registry, "frontend", router);
  m.Record(std::nullopt, Method::kGet, 99, 0.001);
  m.Record(std::nullopt, Method::kGet, 1000, 0.001);
  const std::string text = registry.Render();
  EXPECT_NE(text.find("code=\"100\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("code=\"599\"} 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace orgd::http
