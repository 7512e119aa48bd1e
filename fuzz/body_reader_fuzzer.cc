// Fuzzes the Backend API's JSON body reader (api/body_reader.h): ParseJsonObjectBody,
// ParseJsonArrayOfObjectsBody and BodyReader's typed getters.
//
// Input: the request body. When it starts with a line `Content-Type: <value>`, that line is the
// header and the rest the body; otherwise the Content-Type is application/json.
//
// Invariants: both parsers agree with Boost.JSON's own reading of the body (an empty body is {}
// or []; an object or array of objects is returned as parsed unless it holds a number beyond a
// double's range); what they return serializes and parses back to itself; every error is a 4xx
// whose envelope is valid JSON; the getters return exactly the values of the right type, and
// Finish() reports the first wrong type, else the first field no getter asked for.
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "api/body_reader.h"
#include "common/json_finite.h"
#include "fuzz_check.h"
#include "reference.h"

namespace orgd::fuzz {
namespace {

namespace json = boost::json;

// Equal, but for doubles a few ULPs apart: Boost.JSON 1.81 does not round every decimal correctly
// when it parses (its `number_precision::precise` came in 1.83), so a double can read one ULP off
// the decimal, and the text written for it another one off on the way back (fuzz/README.md).
bool SameValue(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double(), y = b.get_double();
    if (x == y) return true;
    if (std::signbit(x) != std::signbit(y) || !std::isfinite(x) || !std::isfinite(y)) return false;
    int64_t i = 0, j = 0;  // same sign: the bit patterns are ordered as the values are
    std::memcpy(&i, &x, sizeof x);
    std::memcpy(&j, &y, sizeof y);
    return (i > j ? i - j : j - i) <= 4;
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      if (!SameValue(p[i], q[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto& [key, value] : p) {
      const json::value* other = q.if_contains(key);
      if (other == nullptr || !SameValue(value, *other)) return false;
    }
    return true;
  }
  return a == b;
}

void CheckRoundTrip(const json::value& v) {
  boost::system::error_code ec;
  json::value back = json::parse(json::serialize(v), ec);
  ORGD_FUZZ_CHECK(!ec);
  ORGD_FUZZ_CHECK(SameValue(back, v));
}

// The top-level field of `object` that holds a non-finite number, if any.
std::optional<std::string_view> NonFiniteField(const json::object& object) {
  for (const auto& [key, field] : object) {
    if (!AllNumbersFinite(field)) return std::string_view(key);
  }
  return std::nullopt;
}

// Asks for each field of `body` with a getter chosen by its key's length, and checks what it
// returns and what Finish() then says against the value's JSON kind.
void CheckGetters(const json::object& body) {
  api::BodyReader in(body);
  std::optional<std::string> first_error;    // the field the first wrong type was in
  std::optional<std::string> first_unasked;  // the first field no getter asked for
  constexpr size_t kMaxItems = 3;
  for (const auto& [key_ref, v] : body) {
    const std::string key(key_ref);
    const bool present = !v.is_null();
    auto wrong = [&] {
      if (!first_error) first_error = key;
    };
    switch (key.size() % 7) {
      case 0: {
        auto got = in.String(key);
        ORGD_FUZZ_CHECK(got.has_value() == v.is_string());
        if (got) ORGD_FUZZ_CHECK(*got == v.get_string());
        if (present && !v.is_string()) wrong();
        break;
      }
      case 1: {
        auto got = in.Int(key);
        const bool integer =
            v.is_int64() || (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX));
        ORGD_FUZZ_CHECK(got.has_value() == integer);
        if (got) ORGD_FUZZ_CHECK(v.is_int64() ? *got == v.get_int64() : *got >= 0);
        if (present && !integer) wrong();
        break;
      }
      case 2: {
        auto got = in.Bool(key);
        ORGD_FUZZ_CHECK(got.has_value() == v.is_bool());
        if (got) ORGD_FUZZ_CHECK(*got == v.get_bool());
        if (present && !v.is_bool()) wrong();
        break;
      }
      case 3: {
        auto got = in.StringArray(key, kMaxItems);
        bool all_strings = v.is_array();
        if (v.is_array()) {
          for (const auto& item : v.get_array()) all_strings = all_strings && item.is_string();
        }
        ORGD_FUZZ_CHECK(got.has_value() == (v.is_string() || all_strings));
        if (got && v.is_string()) ORGD_FUZZ_CHECK(got->size() == 1 && (*got)[0] == v.get_string());
        if (got && v.is_array()) {
          ORGD_FUZZ_CHECK(got->size() == v.get_array().size());
          for (size_t i = 0; i < got->size(); ++i) {
            ORGD_FUZZ_CHECK((*got)[i] == v.get_array()[i].get_string());
          }
          if (got->size() > kMaxItems) wrong();
        }
        if (present && !got) wrong();
        break;
      }
      case 4: {
        auto got = in.Value(key);
        ORGD_FUZZ_CHECK(got.has_value() && *got == v);  // null included
        break;
      }
      case 5:
        in.Allow(key);
        break;
      default:
        if (!first_unasked) first_unasked = key;
        break;
    }
  }
  // A field the body does not have reads as absent and is no error.
  if (!body.contains("\x01missing")) ORGD_FUZZ_CHECK(!in.String("\x01missing"));
  Result<void> done = in.Finish();
  if (first_error) {
    ORGD_FUZZ_CHECK(!done);
    ORGD_FUZZ_CHECK(done.error().param_name == *first_error);
    ORGD_FUZZ_CHECK(done.error().clerk_code == "form_param_value_invalid" ||
                    done.error().clerk_code == "form_param_array_size_exceeded");
    CheckClientError(done.error());
  } else if (first_unasked) {
    ORGD_FUZZ_CHECK(!done);
    ORGD_FUZZ_CHECK(done.error().clerk_code == "form_param_unknown");
    ORGD_FUZZ_CHECK(done.error().param_name == *first_unasked);
    CheckClientError(done.error());
  } else {
    ORGD_FUZZ_CHECK(done.has_value());
  }
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  std::string_view in = AsText(data, size);
  http::Request request;
  std::string_view type = "application/json";
  if (in.starts_with("Content-Type: ")) {
    type = TakeLine(in).substr(14);
    request.headers.push_back({"content-type", std::string(type)});
  } else {
    request.headers.push_back({"content-type", "application/json"});
  }
  request.body = std::string(in);

  auto object = api::ParseJsonObjectBody(request);
  auto array = api::ParseJsonArrayOfObjectsBody(request);
  if (!object) CheckClientError(object.error());
  if (!array) CheckClientError(array.error());

  // The oracle: the media type's essence, then Boost.JSON itself.
  std::string_view essence = type.substr(0, type.find(';'));
  while (!essence.empty() && (essence.back() == ' ' || essence.back() == '\t')) {
    essence.remove_suffix(1);
  }
  // Media types compare case-insensitively (RFC 9110 §8.3.1).
  if (!essence.empty() && !http::EqualsIgnoreCase(essence, "application/json")) {
    ORGD_FUZZ_CHECK(!object && object.error().code == ErrorCode::kUnsupportedMediaType);
    ORGD_FUZZ_CHECK(!array && array.error().code == ErrorCode::kUnsupportedMediaType);
    return 0;
  }
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    ORGD_FUZZ_CHECK(object && object->empty());
    ORGD_FUZZ_CHECK(array && array->empty());
    return 0;
  }
  boost::system::error_code ec;
  const json::value direct = json::parse(request.body, ec);
  if (ec) {
    ORGD_FUZZ_CHECK(!object && object.error().clerk_code == "request_body_invalid");
    ORGD_FUZZ_CHECK(!array && array.error().clerk_code == "request_body_invalid");
    return 0;
  }

  if (!direct.is_object()) {
    ORGD_FUZZ_CHECK(!object && object.error().clerk_code == "request_body_invalid");
  } else if (auto field = NonFiniteField(direct.get_object())) {
    ORGD_FUZZ_CHECK(!object && object.error().clerk_code == "form_param_value_invalid");
    ORGD_FUZZ_CHECK(object.error().param_name == *field);
  } else {
    ORGD_FUZZ_CHECK(object && *object == direct.get_object());
    ORGD_FUZZ_CHECK(AllTextUtf8(*object));
    CheckRoundTrip(*object);
    CheckGetters(*object);
  }

  if (!direct.is_array()) {
    ORGD_FUZZ_CHECK(!array && array.error().clerk_code == "request_body_invalid");
  } else {
    bool objects = true, finite = true;
    for (const auto& item : direct.get_array()) {
      objects = objects && item.is_object();
      finite = finite && AllNumbersFinite(item);
    }
    ORGD_FUZZ_CHECK(array.has_value() == (objects && finite));
    if (array) {
      ORGD_FUZZ_CHECK(array->size() == direct.get_array().size());
      for (size_t i = 0; i < array->size(); ++i) {
        ORGD_FUZZ_CHECK((*array)[i] == direct.get_array()[i].get_object());
        CheckRoundTrip((*array)[i]);
      }
    }
  }
  return 0;
}
