#include "http/router.h"

#include <algorithm>
#include <cstdlib>

#include "common/utf8.h"

namespace orgd::http {
namespace {

bool IsPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::vector<std::string_view>> SplitPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string_view> out;
  if (path == "/") return out;
  size_t pos = 1;
  while (true) {
    size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    if (next == pos) return std::nullopt;  // `//` or a trailing '/'
    out.push_back(path.substr(pos, next - pos));
    if (next == path.size()) return out;
    pos = next + 1;
  }
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  // What is decoded here goes on to services and stores as text: PostgreSQL refuses bytes that
  // are not UTF-8 (the lookup failed with a 500) and libpq cuts a parameter at a NUL (another row
  // than the one SQLite finds), so both are malformed here, escaped or not.
  if (out.find('\0') != std::string::npos || !IsValidUtf8(out)) return std::nullopt;
  return out;
}

void Router::Add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  Route route{method, std::string(pattern), {}, std::move(handler), std::move(options)};
  std::optional<std::vector<std::string_view>> segments = SplitPath(pattern);
  if (!segments) std::abort();  // a programming error: routes are literals in api/routes.cc
  route.segments.assign(segments->begin(), segments->end());
  routes_.push_back(std::move(route));
  // Routes with more literal segments first, so literals win over placeholders.
  std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
    auto literals = [](const Route& r) {
      return std::count_if(r.segments.begin(), r.segments.end(),
                           [](const std::string& s) { return !IsPlaceholder(s); });
    };
    return literals(a) > literals(b);
  });
}

Router::Match Router::Find(Method method, std::string_view path) const {
  Match match;
  std::optional<std::vector<std::string_view>> split = SplitPath(path);
  if (!split) return match;  // kNotFound
  const std::vector<std::string_view>& segments = *split;
  const Route* fallback_get = nullptr;
  std::vector<std::pair<std::string, std::string>> fallback_params;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      const std::string& want = route.segments[i];
      if (IsPlaceholder(want)) {
        auto value = PercentDecode(segments[i]);
        if (!value || value->empty() || *value == "." || *value == "..") {
          ok = false;
        } else {
          params.emplace_back(want.substr(1, want.size() - 2), std::move(*value));
        }
      } else {
        ok = want == segments[i];
      }
    }
    if (!ok) continue;
    if (route.method == method) {
      match.status = Match::Status::kFound;
      match.handler = &route.handler;
      match.options = &route.options;
      match.params = std::move(params);
      match.route = static_cast<size_t>(&route - routes_.data());
      return match;
    }
    if (method == Method::kHead && route.method == Method::kGet && fallback_get == nullptr) {
      fallback_get = &route;
      fallback_params = std::move(params);
    }
    if (std::find(match.allowed.begin(), match.allowed.end(), route.method) ==
        match.allowed.end()) {
      match.allowed.push_back(route.method);
    }
  }
  if (fallback_get != nullptr) {
    match.status = Match::Status::kFound;
    match.handler = &fallback_get->handler;
    match.options = &fallback_get->options;
    match.params = std::move(fallback_params);
    match.route = static_cast<size_t>(fallback_get - routes_.data());
    match.allowed.clear();
    return match;
  }
  match.status =
      match.allowed.empty() ? Match::Status::kNotFound : Match::Status::kMethodNotAllowed;
  return match;
}

}  // namespace orgd::http
