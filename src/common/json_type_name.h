// The JSON type name of a value, as orgd's error messages say it ("string", "object", …).
#pragma once

#include <boost/json/kind.hpp>
#include <string_view>

namespace orgd {

constexpr std::string_view JsonTypeName(boost::json::kind kind) {
  switch (kind) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "number";
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::array:
      return "array";
    case boost::json::kind::object:
      return "object";
  }
  return "unknown";
}

}  // namespace orgd
