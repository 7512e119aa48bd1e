#include "api/backend/openapi_document.h"

#include <boost/json/parse.hpp>
#include <cctype>
#include <map>
#include <set>

namespace orgd::api {
namespace {

namespace json = boost::json;

// "/v1/organizations/{organization_id}" → "/v1/organizations/{}".
std::string Shape(std::string_view path) {
  std::string out;
  bool in_placeholder = false;
  for (char c : path) {
    if (c == '{') {
      in_placeholder = true;
      out += "{}";
    } else if (c == '}') {
      in_placeholder = false;
    } else if (!in_placeholder) {
      out += c;
    }
  }
  return out;
}

std::string LowerMethod(http::Method m) {
  std::string name(http::MethodName(m));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// One contract's paths by shape: shape → its path as the contract spells it (with "/v1").
std::map<std::string, std::string> PathsByShape(const json::object& doc) {
  std::map<std::string, std::string> out;
  if (const json::value* paths = doc.if_contains("paths"); paths && paths->is_object()) {
    for (const auto& [path, item] : paths->as_object()) {
      const std::string full = "/v1" + std::string(path);
      out.emplace(Shape(full), full);
    }
  }
  return out;
}

// Every "$ref" string under `v`.
void CollectRefs(const json::value& v, std::set<std::string>& refs) {
  if (v.is_object()) {
    for (const auto& [key, child] : v.as_object()) {
      if (key == "$ref" && child.is_string()) {
        refs.emplace(child.as_string());
      } else {
        CollectRefs(child, refs);
      }
    }
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) CollectRefs(child, refs);
  }
}

// The operation orgd describes itself, for a route no contract has.
json::object OwnOperation(const RouteKey& route) {
  std::string id = std::string(http::MethodName(route.method));
  for (size_t i = 0; i < id.size(); ++i) {
    id[i] = static_cast<char>(i == 0 ? id[i] : std::tolower(static_cast<unsigned char>(id[i])));
  }
  json::array parameters;
  bool upper = true;
  for (size_t i = 0; i < route.path.size(); ++i) {
    const char c = route.path[i];
    if (c == '{') {
      const size_t close = route.path.find('}', i);
      const std::string name = route.path.substr(i + 1, close - i - 1);
      parameters.push_back(json::object{{"name", name},
                                        {"in", "path"},
                                        {"required", true},
                                        {"schema", json::object{{"type", "string"}}}});
      id += "By";
      upper = true;
      for (char n : name) {
        if (n == '_') {
          upper = true;
        } else {
          id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(n))) : n;
          upper = false;
        }
      }
      i = close;
    } else if (std::isalnum(static_cast<unsigned char>(c))) {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  json::object op{
      {"operationId", id},
      {"summary", "orgd: " + std::string(http::MethodName(route.method)) + " " + route.path},
      {"x-orgd-extension", true},
      {"responses", json::object{{"200", json::object{{"description", "OK"}}}}}};
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  if (!route.requires_key) op["security"] = json::array{};
  return op;
}

}  // namespace

Result<json::object> BuildOpenApiDocument(const std::vector<RouteKey>& routes,
                                          std::string_view clerk_text,
                                          std::string_view extensions_text,
                                          std::string_view server_url, std::string_view version) {
  boost::system::error_code ec;
  json::value clerk = json::parse(clerk_text, ec);
  if (ec || !clerk.is_object())
    return Error(ErrorCode::kInternal, "", "", "", "", "clerk contract");
  json::value extensions = json::parse(extensions_text, ec);
  if (ec || !extensions.is_object()) {
    return Error(ErrorCode::kInternal, "", "", "", "", "extensions contract");
  }
  const json::object& c = clerk.as_object();
  const json::object& x = extensions.as_object();
  const auto clerk_paths = PathsByShape(c);
  const auto extension_paths = PathsByShape(x);

  json::object paths;
  std::set<std::string> clerk_refs, extension_refs;
  for (const RouteKey& route : routes) {
    const std::string method = LowerMethod(route.method);
    const std::string shape = Shape(route.path);
    const json::object* contract = nullptr;
    std::string spelled;
    std::set<std::string>* refs = nullptr;
    for (const auto& [doc, by_shape, into] : {std::tuple{&c, &clerk_paths, &clerk_refs},
                                              std::tuple{&x, &extension_paths, &extension_refs}}) {
      auto it = by_shape->find(shape);
      if (it == by_shape->end()) continue;
      const json::value& item = doc->at("paths").as_object().at(it->second.substr(3));
      if (item.as_object().contains(method)) {
        contract = &item.as_object();
        spelled = it->second;
        refs = into;
        break;
      }
    }
    if (contract == nullptr) {
      json::value& item = paths[route.path];
      if (!item.is_object()) item = json::object{};
      item.as_object()[method] = OwnOperation(route);
      continue;
    }
    json::value& item = paths[spelled];
    if (!item.is_object()) item = json::object{};
    const json::value& operation = contract->at(method);
    item.as_object()[method] = operation;
    CollectRefs(operation, *refs);
    if (const json::value* shared = contract->if_contains("parameters")) {
      item.as_object()["parameters"] = *shared;
      CollectRefs(*shared, *refs);
    }
  }

  // The components the operations reach, transitively, from the contract each ref belongs to.
  json::object components;
  for (const auto& [doc, seeds] : {std::pair{&c, &clerk_refs}, std::pair{&x, &extension_refs}}) {
    std::set<std::string> done;
    std::vector<std::string> todo(seeds->begin(), seeds->end());
    while (!todo.empty()) {
      const std::string ref = todo.back();
      todo.pop_back();
      if (!done.insert(ref).second || !ref.starts_with("#/components/")) continue;
      const std::string rest = ref.substr(13);
      const size_t slash = rest.find('/');
      if (slash == std::string::npos) continue;
      const std::string kind = rest.substr(0, slash), name = rest.substr(slash + 1);
      const json::value* section = doc->contains("components")
                                       ? doc->at("components").as_object().if_contains(kind)
                                       : nullptr;
      const json::value* found =
          section && section->is_object() ? section->as_object().if_contains(name) : nullptr;
      if (found == nullptr) continue;
      json::value& out = components[kind];
      if (!out.is_object()) out = json::object{};
      if (!out.as_object().contains(name)) out.as_object()[name] = *found;
      std::set<std::string> more;
      CollectRefs(*found, more);
      todo.insert(todo.end(), more.begin(), more.end());
    }
  }
  if (const json::value* schemes =
          c.contains("components") ? c.at("components").as_object().if_contains("securitySchemes")
                                   : nullptr) {
    components["securitySchemes"] = *schemes;
  }

  json::object info{{"title", "orgd Backend API"},
                    {"version", version},
                    {"description",
                     "The Clerk-compatible Backend API of this orgd build: Clerk's operations for "
                     "the routes orgd implements, and orgd's own (x-orgd-extension)."}};
  json::object doc{{"openapi", c.contains("openapi") ? c.at("openapi") : json::value("3.0.3")},
                   {"info", std::move(info)},
                   {"servers", json::array{json::object{{"url", server_url}}}},
                   {"security", c.contains("security") ? c.at("security") : json::array{}},
                   {"paths", std::move(paths)},
                   {"components", std::move(components)}};
  return doc;
}

}  // namespace orgd::api
