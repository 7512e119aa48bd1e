#include "common/json_redact.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/digest.h"

namespace orgd {
namespace {

std::string HashOf(std::string_view text) { return "sha256:" + Sha256Hex(text); }

void Redact(boost::json::value& v) {
  if (auto* object = v.if_object()) {
    for (auto& member : *object) {
      if (member.key() == "private_metadata") {
        if (!member.value().is_null()) {
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
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec) return boost::json::serialize(boost::json::value(HashOf(json)));
  Redact(v);
  return boost::json::serialize(v);
}

}  // namespace orgd
