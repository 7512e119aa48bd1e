#include "api/frontend/frontend_body.h"

#include <boost/json/array.hpp>

#include "api/body_reader.h"
#include "api/query_params.h"
#include "domain/errors.h"

namespace orgd::api {

Result<boost::json::object> ParseFrontendBody(const http::Request& request) {
  std::string_view type = request.Header("content-type");
  if (auto semi = type.find(';'); semi != std::string_view::npos) type = type.substr(0, semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
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
    if (!form) {
      return errors::RequestBodyInvalid(
          "The form body has a malformed escape, a NUL or text that is not UTF-8.");
    }
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

std::optional<std::string> FormString(const boost::json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end()) return std::nullopt;
  if (const auto* s = it->value().if_string()) return std::string(*s);
  if (it->value().is_null()) return std::string();
  return std::nullopt;
}

std::optional<std::string> FormText(const boost::json::object& body, std::string_view key) {
  auto value = FormString(body, key);
  if (value && value->empty()) return std::nullopt;
  return value;
}

Result<std::optional<std::string>> StrictFormText(const boost::json::object& body,
                                                  std::string_view key) {
  auto it = body.find(key);
  if (it != body.end() && !it->value().is_string() && !it->value().is_null()) {
    return errors::ParamInvalid(key, std::string(key) + " must be a single string.");
  }
  return FormText(body, key);
}

std::vector<std::string> FormValues(const boost::json::object& body, std::string_view key) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end()) return out;
  if (const auto* s = it->value().if_string()) {
    out.emplace_back(*s);
  } else if (const auto* a = it->value().if_array()) {
    for (const auto& v : *a) {
      if (const auto* s = v.if_string()) out.emplace_back(*s);
    }
  }
  return out;
}

}  // namespace orgd::api
