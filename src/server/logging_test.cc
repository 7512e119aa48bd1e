#include "server/logging.h"

#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>

#include <boost/json.hpp>

#include "common/json_log.h"

namespace orgd::server {
namespace {

boost::json::object Format(std::string_view payload, spdlog::level::level_enum level) {
  auto formatter = MakeJsonFormatter();
  spdlog::details::log_msg msg("orgd", level,
                               spdlog::string_view_t(payload.data(), payload.size()));
  spdlog::memory_buf_t out;
  formatter->format(msg, out);
  std::string line(out.data(), out.size());
  EXPECT_TRUE(line.ends_with("}\n")) << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  EXPECT_FALSE(ec) << line;
  return v.is_object() ? v.as_object() : boost::json::object{};
}

TEST(LoggingTest, PlainLinesBecomeAMessageWithTimeAndLevel) {
  auto o = Format("no --smtp-url: emails \"queued\"\nsecond line", spdlog::level::warn);
  EXPECT_EQ(o["level"], "warning");
  EXPECT_EQ(o["message"], "no --smtp-url: emails \"queued\"\nsecond line");
  const std::string time(o["time"].as_string());
  ASSERT_EQ(time.size(), 24u) << time;  // 2026-12-01T12:00:00.123Z
  EXPECT_EQ(time[10], 'T');
  EXPECT_EQ(time.back(), 'Z');
}

TEST(LoggingTest, LinesWithFieldsKeepThem) {
  std::string payload(1, kLogFieldsMarker);
  AppendJsonField(payload, "message", "http request");
  AppendJsonField(payload, "status", int64_t{201});
  AppendJsonField(payload, "path", std::string_view("/v1/\xff", 5));
  auto o = Format(payload, spdlog::level::info);
  EXPECT_EQ(o["level"], "info");
  EXPECT_EQ(o["message"], "http request");
  EXPECT_EQ(o["status"], 201);
  EXPECT_EQ(o["path"], "/v1/\xEF\xBF\xBD");
}

TEST(LoggingTest, ParsesTheFormatFlag) {
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(*ParseLogFormat("text"), LogFormat::kText);
  EXPECT_FALSE(ParseLogFormat("xml"));
}

}  // namespace
}  // namespace orgd::server
