// Logging set-up for `orgd serve`: every line goes to stderr through spdlog's background thread
// (a slow terminal or pipe never stalls an I/O thread; when its queue is full the oldest lines
// are dropped rather than blocking), as text or as one JSON object per line.
//
//   text  2026-12-01T12:00:00.123Z info http method=GET path=/v1/organizations status=200 …
//   json  {"time":"2026-12-01T12:00:00.123Z","level":"info","message":"http request",
//          "request_id":"…","route":"/v1/organizations","status":200,"duration_ms":0.412,…}
//
// A JSON line's fields beyond time, level and message come from the line itself
// (common/json_log.h); no line carries a secret or a token, in either format (the access log
// names callers by key id or user id).
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>

#include "common/result.h"

namespace orgd::server {

enum class LogFormat { kText, kJson };

// "text" or "json"; kInvalidArgument otherwise.
Result<LogFormat> ParseLogFormat(const std::string& name);

// The formatter of --log-format json.
std::unique_ptr<spdlog::formatter> MakeJsonFormatter();

// One line as `format` writes it at info level, now, ending in '\n': for the lines orgd prints
// whatever the log level (the listening lines scripts wait for).
std::string FormatInfoLine(LogFormat format, std::string_view message);

// Makes the process's default logger: `level` as spdlog names levels, lines in `format`.
void SetUpLogging(const std::string& level, LogFormat format);

}  // namespace orgd::server
