#include "api/frontend/frontend_body.h"

#include <boost/json/array.hpp>

#include "api/body_reader.h"
#include "api/query_params.h"
#include "domain/errors.h"

namespace orgd::api {

Result<boost::json::object> ParseFrontendBody(const http::Request& request) {
  std::string_view type = request.Header("content-type");
  if (auto semi = type.find(';'); semi != std::string_view::npos) type = type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  boost::json::object body;
  if (http::EqualsIgnoreCase(type, "application/json")) {
    auto parsed = ParseJsonObjectBody(request);
    if (!parsed) return parsed.error();
    body = std::move(*parsed);
  } else if (type.empty() || http::EqualsIgnoreCase(type, "application/x-www-form-urlencoded")) {
    if (type.empty() && !request.body.empty()) {
      return errors::UnsupportedContentType("", "application/x-www-form-urlencoded");
    }
    auto form = QueryParams::Parse(request.body);
    if (!form) return errors::RequestBodyInvalid("The form body has a malformed escape.");
    for (const auto& [key, value] : form->entries()) {
      auto it = body.find(key);
      if (it == body.end()) {
        body[key] = value;
      } else if (auto* list = it->value().if_array()) {
        list->emplace_back(value);
      } else {
        boost::json::array both;
        both.push_back(std::move(it->value()));
        both.emplace_back(value);
        it->value() = std::move(both);
      }
    }
  } else {
    return errors::UnsupportedContentType(type, "application/x-www-form-urlencoded");
  }
  for (const char* metadata : {"public_metadata", "private_metadata", "unsafe_metadata"}) {
    if (body.contains(metadata)) return errors::ParamUnknown(metadata);
  }
  return body;
}

}  // namespace orgd::api
