#include "server/logging.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "common/json_log.h"

namespace orgd::server {
namespace {

// {"time":"…","level":"…", then the line's fields or its "message", and "}\n".
std::string JsonLine(std::chrono::system_clock::time_point time, std::string_view level,
                     std::string_view payload) {
  std::string line = "{\"time\":\"";
  const auto since_epoch = time.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  const size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  line.append(stamp, n);
  line += fmt::format(".{:03d}Z\",\"level\":", static_cast<int>(millis));
  AppendJsonString(line, level);
  if (!payload.empty() && payload.front() == kLogFieldsMarker) {
    line += ',';
    line.append(payload.substr(1));
  } else {
    line += ",\"message\":";
    AppendJsonString(line, payload);
  }
  line += "}\n";
  return line;
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line = JsonLine(msg.time, std::string_view(level.data(), level.size()),
                                      std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

Result<LogFormat> ParseLogFormat(const std::string& name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return Error(ErrorCode::kInvalidArgument, "", "", "", "",
               "--log-format must be text or json, not " + name);
}

std::unique_ptr<spdlog::formatter> MakeJsonFormatter() { return std::make_unique<JsonFormatter>(); }

std::string FormatInfoLine(LogFormat format, std::string_view message) {
  if (format == LogFormat::kJson) {
    return JsonLine(std::chrono::system_clock::now(), "info", message);
  }
  return std::string(message) + "\n";
}

void SetUpLogging(const std::string& level, LogFormat format) {
  spdlog::init_thread_pool(16384, 1);
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::async_logger>(
      "orgd", sink, spdlog::thread_pool(), spdlog::async_overflow_policy::overrun_oldest);
  if (format == LogFormat::kJson) {
    logger->set_formatter(MakeJsonFormatter());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

}  // namespace orgd::server
