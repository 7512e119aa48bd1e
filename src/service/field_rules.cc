#include "service/field_rules.h"

#include <fmt/format.h>

#include "common/ids.h"
#include "common/rfc3339.h"
#include "domain/errors.h"
#include "domain/metadata.h"

namespace orgd::service {

Result<void> ValidateUserId(const std::optional<std::string>& id, std::string_view param) {
  if (id && !LooksLikeId(*id, id_prefix::kUser)) {
    return errors::ParamFormatInvalid(
        param,
        fmt::format("{} must be a user ID such as user_2g7np7Hrk0SN6kj5EDMLDaKNL0S.", param));
  }
  return {};
}

Result<std::optional<int64_t>> ParseCreatedAt(const std::optional<std::string>& text) {
  if (!text) return std::optional<int64_t>();
  auto millis = ParseRfc3339Millis(*text);
  if (!millis) return errors::ParamInvalidTime("created_at");
  return std::optional<int64_t>(*millis);
}

Result<boost::json::value> InitialMetadata(const std::optional<boost::json::value>& value,
                                           std::string_view param) {
  if (!value || value->is_null()) return boost::json::value(boost::json::object());
  if (auto r = domain::RequireMetadataObject(*value, param); !r) return r.error();
  if (auto r = domain::CheckMetadataSize(*value, param); !r) return r.error();
  return *value;
}

Result<void> ReplaceField(boost::json::value& field, const std::optional<boost::json::value>& value,
                          std::string_view param) {
  if (!value) return {};
  if (!value->is_null()) {
    if (auto r = domain::RequireMetadataObject(*value, param); !r) return r;
    if (auto r = domain::CheckMetadataSize(*value, param); !r) return r;
  }
  field = *value;
  return {};
}

Result<void> MergeField(boost::json::value& field, const std::optional<boost::json::value>& value,
                        std::string_view param) {
  if (!value) return {};
  if (auto r = domain::RequireMetadataObject(*value, param); !r) return r;
  domain::DeepMergeMetadata(field, value->get_object());
  return domain::CheckMetadataSize(field, param);
}

}  // namespace orgd::service
