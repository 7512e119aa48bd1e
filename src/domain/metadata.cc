#include "domain/metadata.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/json_type_name.h"
#include "domain/errors.h"

namespace orgd::domain {
namespace {

void MergeObject(boost::json::object& target, const boost::json::object& patch) {
  for (const auto& [key, value] : patch) {
    if (value.is_null()) {
      target.erase(key);
      continue;
    }
    if (value.is_object()) {
      auto it = target.find(key);
      if (it != target.end() && it->value().is_object()) {
        MergeObject(it->value().get_object(), value.get_object());
        continue;
      }
      // A new or non-object key: copy the object, dropping null leaves as a merge into {} would.
      boost::json::object fresh;
      MergeObject(fresh, value.get_object());
      target[key] = std::move(fresh);
      continue;
    }
    target[key] = value;
  }
}

}  // namespace

Result<void> RequireMetadataObject(const boost::json::value& value, std::string_view param) {
  if (value.is_object()) return {};
  return errors::ParamWrongType(param, JsonTypeName(value.kind()), "object");
}

Result<void> CheckMetadataSize(const boost::json::value& value, std::string_view param) {
  if (static_cast<int64_t>(boost::json::serialize(value).size()) > kMaxMetadataBytes) {
    return errors::ParamTooLarge(param, kMaxMetadataBytes);
  }
  return {};
}

void DeepMergeMetadata(boost::json::value& target, const boost::json::object& patch) {
  if (!target.is_object()) target = boost::json::object();
  MergeObject(target.get_object(), patch);
}

}  // namespace orgd::domain
