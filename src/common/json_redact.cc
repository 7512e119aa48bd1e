#include "common/json_redact.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/digest.h"

namespace orgd {
namespace {

std::string HashOf(std::string_view text) { return "sha256:" + Sha256Hex(text); }

// True when every `"private_metadata":` in the text is followed by null or {}. The pattern can
// only be a member name: inside a JSON string a quote is escaped, so `"private_metadata":` never
// appears in one.
bool NothingToRedact(std::string_view json) {
  constexpr std::string_view kKey = "\"private_metadata\":";
  for (size_t at = json.find(kKey); at != std::string_view::npos; at = json.find(kKey, at)) {
    at += kKey.size();
    const std::string_view rest = json.substr(at);
    if (!rest.starts_with("{}") && !rest.starts_with("null")) return false;
  }
  return true;
}

void Redact(boost::json::value& v) {
  if (auto* object = v.if_object()) {
    for (auto& member : *object) {
      if (member.key() == "private_metadata") {
        const auto* fields = member.value().if_object();
        if (!member.value().is_null() && !(fields && fields->empty())) {
          member.value() = HashOf(boost::json::serialize(member.value()));
        }
      } else {
        Redact(member.value());
      }
    }
  } else if (auto* array = v.if_array()) {
    for (auto& element : *array) Redact(element);
  }
}

}  // namespace

std::string RedactPrivateMetadata(std::string_view json) {
  if (NothingToRedact(json)) return std::string(json);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec) return boost::json::serialize(boost::json::value(HashOf(json)));
  Redact(v);
  return boost::json::serialize(v);
}

}  // namespace orgd
