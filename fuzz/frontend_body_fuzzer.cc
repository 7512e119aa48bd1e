// Fuzzes the Frontend API's request bodies (api/frontend/frontend_body.h): ParseFrontendBody on
// form-urlencoded and JSON bodies, and the field readers FormString, FormText, StrictFormText and
// FormValues.
//
// Input: the body. When it starts with a line `Content-Type: <value>`, that line is the header
// (an empty value: no Content-Type) and the rest the body; otherwise the Content-Type is
// application/x-www-form-urlencoded, as clerk-js sends.
//
// Invariants: a form body becomes one string per key sent once and an array of the values, in
// order, per key sent more than once; a JSON body reads as the Backend API's reader reads it;
// every key and value is UTF-8 (form text that is not is refused, as JSON that is not is);
// media types compare case-insensitively (RFC 9110 §8.3.1); metadata fields are refused; any other
// type is 415; every error is a 4xx whose envelope is valid JSON; the readers return what their
// contracts say for each JSON kind.
#include <map>
#include <string>
#include <vector>

#include "api/body_reader.h"
#include "api/frontend/frontend_body.h"
#include "api/query_params.h"
#include "fuzz_check.h"
#include "reference.h"

namespace orgd::fuzz {
namespace {

namespace json = boost::json;

bool IsMetadata(std::string_view key) {
  return key == "public_metadata" || key == "private_metadata" || key == "unsafe_metadata";
}

void CheckReaders(const json::object& body, std::string_view key) {
  const json::value* v = body.if_contains(key);
  auto text = api::FormString(body, key);
  if (v == nullptr || (!v->is_string() && !v->is_null())) {
    ORGD_FUZZ_CHECK(!text);
  } else {
    ORGD_FUZZ_CHECK(text && *text == (v->is_null() ? std::string_view() : v->get_string()));
  }
  auto non_empty = api::FormText(body, key);
  ORGD_FUZZ_CHECK(!non_empty || !non_empty->empty());
  ORGD_FUZZ_CHECK(non_empty == (text && !text->empty() ? text : std::nullopt));
  auto strict = api::StrictFormText(body, key);
  if (v != nullptr && !v->is_string() && !v->is_null()) {
    ORGD_FUZZ_CHECK(!strict && strict.error().param_name == key);
    CheckClientError(strict.error());
  } else {
    ORGD_FUZZ_CHECK(strict && *strict == non_empty);
  }
  std::vector<std::string> expected;
  if (v != nullptr && v->is_string()) expected.emplace_back(v->get_string());
  if (v != nullptr && v->is_array()) {
    for (const auto& item : v->get_array()) {
      if (item.is_string()) expected.emplace_back(item.get_string());
    }
  }
  ORGD_FUZZ_CHECK(api::FormValues(body, key) == expected);
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  std::string_view in = AsText(data, size);
  std::string_view type = "application/x-www-form-urlencoded";
  if (in.starts_with("Content-Type: ")) type = TakeLine(in).substr(14);
  http::Request request;
  request.method = http::Method::kPost;
  if (!type.empty()) request.headers.push_back({"content-type", std::string(type)});
  request.body = std::string(in);

  auto body = api::ParseFrontendBody(request);
  if (!body) CheckClientError(body.error());

  std::string_view essence = type.substr(0, type.find(';'));
  while (!essence.empty() && (essence.back() == ' ' || essence.back() == '\t')) {
    essence.remove_suffix(1);
  }
  std::optional<json::object> expected;  // nullopt: the body must be refused
  if (http::EqualsIgnoreCase(essence, "application/json")) {
    // The Backend API's reader, given the type in its canonical spelling (body_reader_fuzzer
    // checks that reader against Boost.JSON).
    http::Request canonical = request;
    canonical.headers = {{"content-type", "application/json"}};
    auto parsed = api::ParseJsonObjectBody(canonical);
    if (!parsed) {
      ORGD_FUZZ_CHECK(!body && body.error().clerk_code == parsed.error().clerk_code);
      ORGD_FUZZ_CHECK(body.error().param_name == parsed.error().param_name);
      return 0;
    }
    expected = std::move(*parsed);
  } else if (http::EqualsIgnoreCase(essence, "application/x-www-form-urlencoded") ||
             (essence.empty() && request.body.empty())) {
    auto form = api::QueryParams::Parse(request.body);
    if (!form) {
      ORGD_FUZZ_CHECK(!body && body.error().clerk_code == "request_body_invalid");
      return 0;
    }
    // Each key's values, in order.
    std::map<std::string, std::vector<std::string>> values;
    for (const auto& [key, value] : form->entries()) values[key].push_back(value);
    expected.emplace();
    for (const auto& [key, list] : values) {
      if (list.size() == 1) {
        (*expected)[key] = list[0];
      } else {
        json::array array;
        for (const auto& v : list) array.emplace_back(v);
        (*expected)[key] = std::move(array);
      }
    }
  } else {
    ORGD_FUZZ_CHECK(!body && body.error().code == ErrorCode::kUnsupportedMediaType);
    return 0;
  }

  for (const auto& [key, value] : *expected) {
    if (IsMetadata(key)) {
      ORGD_FUZZ_CHECK(!body && body.error().clerk_code == "form_param_unknown");
      ORGD_FUZZ_CHECK(IsMetadata(body.error().param_name));
      return 0;
    }
  }
  ORGD_FUZZ_CHECK(body && *body == *expected);
  ORGD_FUZZ_CHECK(AllTextUtf8(*body));
  for (const auto& [key, value] : *body) CheckReaders(*body, key);
  for (std::string_view key : {"name", "slug", "ticket", "strategy"}) CheckReaders(*body, key);
  return 0;
}
