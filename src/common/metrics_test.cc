#include "common/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace orgd::metrics {
namespace {

TEST(MetricsTest, CounterAndGaugeRenderWithHelpTypeAndLabels) {
  Registry r;
  r.GetCounter("orgd_things_total", "Things done.", {{"outcome", "ok"}}).Add(3);
  r.GetCounter("orgd_things_total", "Things done.", {{"outcome", "failed"}}).Add();
  r.GetGauge("orgd_in_flight", "Now.").Set(2);
  EXPECT_EQ(r.Render(),
            "# HELP orgd_things_total Things done.\n"
            "# TYPE orgd_things_total counter\n"
            "orgd_things_total{outcome=\"ok\"} 3\n"
            "orgd_things_total{outcome=\"failed\"} 1\n"
            "# HELP orgd_in_flight Now.\n"
            "# TYPE orgd_in_flight gauge\n"
            "orgd_in_flight 2\n");
}

TEST(MetricsTest, SameNameAndLabelsIsTheSameChild) {
  Registry r;
  Counter& a = r.GetCounter("orgd_x_total", "X.", {{"a", "1"}});
  Counter& b = r.GetCounter("orgd_x_total", "X.", {{"a", "1"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &r.GetCounter("orgd_x_total", "X.", {{"a", "2"}}));
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry r;
  static constexpr double kBounds[] = {0.1, 1};
  Histogram& h = r.GetHistogram("orgd_wait_seconds", "Wait.", kBounds, {{"kind", "read"}});
  h.Observe(0.05);
  h.Observe(0.1);  // on a bound: counted in it (le is "less than or equal")
  h.Observe(0.5);
  h.Observe(7);
  EXPECT_EQ(r.Render(),
            "# HELP orgd_wait_seconds Wait.\n"
            "# TYPE orgd_wait_seconds histogram\n"
            "orgd_wait_seconds_bucket{kind=\"read\",le=\"0.1\"} 2\n"
            "orgd_wait_seconds_bucket{kind=\"read\",le=\"1\"} 3\n"
            "orgd_wait_seconds_bucket{kind=\"read\",le=\"+Inf\"} 4\n"
            "orgd_wait_seconds_sum{kind=\"read\"} 7.65\n"
            "orgd_wait_seconds_count{kind=\"read\"} 4\n");
}

TEST(MetricsTest, GaugeFunctionIsReadAtRender) {
  Registry r;
  double backlog = 1;
  r.AddGaugeFunction("orgd_backlog", "Queued.", {}, [&] { return backlog; });
  backlog = 42;
  EXPECT_NE(r.Render().find("\norgd_backlog 42\n"), std::string::npos);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Registry r;
  r.GetCounter("orgd_y_total", "Help with a \\ and a\nnewline.", {{"path", "x\"y"}}).Add();
  EXPECT_EQ(r.Render(),
            "# HELP orgd_y_total Help with a \\\\ and a\\nnewline.\n"
            "# TYPE orgd_y_total counter\n"
            "orgd_y_total{path=\"x\\\"y\"} 1\n");
}

// Updates from many threads are all counted (TSan runs this: no lock, no race).
TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  Registry r;
  Counter& c = r.GetCounter("orgd_n_total", "N.");
  Histogram& h = r.GetHistogram("orgd_d_seconds", "D.", kLatencyBuckets);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.Add();
        h.Observe(0.003);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 40000u);
  const auto s = h.Read();
  EXPECT_EQ(s.cumulative.back(), 40000u);
  EXPECT_EQ(s.cumulative[2], 0u);      // le 0.0025
  EXPECT_EQ(s.cumulative[3], 40000u);  // le 0.005
  EXPECT_NEAR(s.sum, 120.0, 1e-6);
}

}  // namespace
}  // namespace orgd::metrics
