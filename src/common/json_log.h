// JSON log lines (`--log-format json`, server/logging.h): how a line is escaped, and how a line
// that carries fields of its own (the access log's route, status, duration, caller) reaches the
// formatter without being parsed again.
//
// A message that starts with kFieldsMarker is the members of a JSON object without its braces
// (`"message":"http request","status":200`); the JSON formatter puts them after the time and the
// level. Any other message is plain text and becomes the object's "message". Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace orgd {

inline constexpr char kLogFieldsMarker = '\x1f';

// Appends `s` as a JSON string, quoted: control characters escaped, ill-formed UTF-8 replaced by
// U+FFFD (a log line is valid JSON whatever bytes a client sent).
void AppendJsonString(std::string& out, std::string_view s);

// Appends `"key":` and the value: a string (as AppendJsonString) or a number.
void AppendJsonField(std::string& out, std::string_view key, std::string_view value);
void AppendJsonField(std::string& out, std::string_view key, int64_t value);

}  // namespace orgd
