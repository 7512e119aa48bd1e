// Router: maps a method and a path to a handler, by path templates such as
// `/v1/organizations/{organization_id}/logo`. A {placeholder} matches one non-empty segment.
// Only a path spelled exactly as a route matches it: an empty segment (`//`), a trailing slash
// or a dot segment (`.`, `..`, also percent-encoded, as a placeholder's value) matches nothing,
// so a proxy rule on a path prefix sees the same path orgd routes.
// Literal segments win over placeholders when both could match (`/v1/organizations/x` vs
// `/v1/organizations/{id}` — not needed today, but deterministic).
//
// Thread safety: Add() only while setting up; Match() may then be called from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace orgd::http {

struct RouteOptions {
  // Most body bytes the route accepts; larger requests are refused while being read.
  // Default: 1 MiB (JSON bodies).
  size_t body_limit = 1024 * 1024;
  // Answers a request whose body exceeds body_limit; the server's generic 413 when empty.
  Handler on_body_too_large;
};

class Router {
 public:
  struct Match {
    enum class Status { kFound, kNotFound, kMethodNotAllowed };
    Status status = Status::kNotFound;
    const Handler* handler = nullptr;                         // when kFound
    const RouteOptions* options = nullptr;                    // when kFound
    std::vector<std::pair<std::string, std::string>> params;  // decoded, when kFound
    std::vector<Method> allowed;  // when kMethodNotAllowed: the methods the path does take
    // When kFound: the route's index, in [0, size()) (HEAD's GET route when HEAD fell back).
    size_t route = 0;
  };

  // REQUIRES: `pattern` starts with '/'; (method, pattern) was not added before.
  void Add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});

  // HEAD falls back to the GET route of the same path.
  Match Find(Method method, std::string_view path) const;

  // The routes, by the index Find() reports (stable once every route is added): for metrics and
  // logs, which name a route by its pattern, never by the path asked for.
  size_t size() const { return routes_.size(); }
  std::string_view pattern(size_t route) const { return routes_[route].pattern; }
  Method method(size_t route) const { return routes_[route].method; }

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" for placeholders
    Handler handler;
    RouteOptions options;
  };
  std::vector<Route> routes_;
};

// Splits a path on '/': `/a/b` is {a, b} and `/` is {}. nullopt when the path is not in its one
// canonical spelling: not starting with '/', or with an empty segment (`//a`, `/a/`).
std::optional<std::vector<std::string_view>> SplitPath(std::string_view path);
// Decodes %XX escapes; returns nullopt for a malformed escape, or when the result holds a NUL or
// is not UTF-8 (raw or escaped: a path or query value is text for the services and stores).
std::optional<std::string> PercentDecode(std::string_view s);

}  // namespace orgd::http
