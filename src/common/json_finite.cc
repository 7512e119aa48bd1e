#include "common/json_finite.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>

namespace orgd {

bool AllNumbersFinite(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      return std::isfinite(value.get_double());
    case boost::json::kind::array:
      for (const auto& item : value.get_array()) {
        if (!AllNumbersFinite(item)) return false;
      }
      return true;
    case boost::json::kind::object:
      for (const auto& [key, item] : value.get_object()) {
        if (!AllNumbersFinite(item)) return false;
      }
      return true;
    default:
      return true;
  }
}

int NullNonFiniteNumbers(boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      if (std::isfinite(value.get_double())) return 0;
      value = nullptr;
      return 1;
    case boost::json::kind::array: {
      int n = 0;
      for (auto& item : value.get_array()) n += NullNonFiniteNumbers(item);
      return n;
    }
    case boost::json::kind::object: {
      int n = 0;
      for (auto& [key, item] : value.get_object()) n += NullNonFiniteNumbers(item);
      return n;
    }
    default:
      return 0;
  }
}

std::optional<std::string> SerializeFinite(const boost::json::value& value) {
  if (!AllNumbersFinite(value)) return std::nullopt;
  return boost::json::serialize(value);
}

std::string SerializeNonFiniteAsNull(const boost::json::value& value, int* replaced) {
  if (replaced != nullptr) *replaced = 0;
  std::string out = boost::json::serialize(value);
  // Boost.JSON writes a non-finite double as Infinity, -Infinity or NaN; without either word
  // anywhere in the output (strings included) there is none, and the tree walk is skipped.
  if (out.find("Infinity") == std::string::npos && out.find("NaN") == std::string::npos) {
    return out;
  }
  if (AllNumbersFinite(value)) return out;
  boost::json::value copy = value;
  int n = NullNonFiniteNumbers(copy);
  if (replaced != nullptr) *replaced = n;
  return boost::json::serialize(copy);
}

std::optional<std::string> NullNonFiniteTokens(std::string_view text) {
  std::string out;
  bool changed = false;
  bool in_string = false;
  size_t copied = 0;  // text[0, copied) is already in `out`
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is, cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    size_t length = 0;
    for (std::string_view token : {"-Infinity", "Infinity", "NaN", "-NaN"}) {
      if (text.substr(i, token.size()) == token) {
        length = token.size();
        break;
      }
    }
    if (length == 0) continue;
    out.append(text.substr(copied, i - copied)).append("null");
    i += length - 1;
    copied = i + 1;
    changed = true;
  }
  if (!changed) return std::nullopt;
  out.append(text.substr(copied));
  return out;
}

}  // namespace orgd
