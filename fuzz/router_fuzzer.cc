// Fuzzes the router (http/router.h) with orgd's real route tables: BackendApiRoutes() as
// api::Mount adds them, and FrontendApiRoutes() as api::MountFrontend does (each non-POST route
// as it is, one POST per path that takes a change, one OPTIONS per path). The (method, path)
// pairs are read out of src/api/routes.cc at configure time (route_tables.inc).
//
// Input: a request path (the target before '?', not decoded). Each input is looked up with every
// method on both routers.
//
// Invariants, checked against a plain matcher written here: a path matches a route only when
// spelled exactly like it (no empty or dot segments, a placeholder's value non-empty UTF-8
// without NUL once decoded); a found route has the method asked (or GET for HEAD) and is the one
// with the most literal segments of those that match, and no other route of that method ties with
// it (an ambiguous table); its params are the decoded segments, named as in the template, and the
// path rebuilt from them finds the same route; 405 lists exactly the methods of the routes that
// match the path, and 404 means none does. SplitPath and PercentDecode round-trip.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "http/router.h"
#include "reference.h"
#include "route_tables.inc"

namespace orgd::fuzz {
namespace {

using http::Router;

std::vector<std::string> Segments(std::string_view pattern);
size_t Literals(const std::vector<std::string>& segments);

struct Added {
  Method method;
  std::string pattern;
  std::vector<std::string> segments;  // of the pattern, "{name}" for placeholders
  size_t literals;                    // how many segments are not placeholders
};

// A router and what was added to it: each handler stores its index in `hit` when called.
struct Table {
  Router router;
  std::vector<Added> added;
  size_t hit = 0;

  void Add(Method method, std::string_view pattern) {
    const size_t id = added.size();
    std::vector<std::string> segments = Segments(pattern);
    const size_t literals = Literals(segments);
    added.push_back({method, std::string(pattern), std::move(segments), literals});
    router.Add(method, pattern, [this, id](const http::Request&, http::Responder) { hit = id; });
  }
};

Table& Backend() {
  static Table* table = [] {
    auto* t = new Table;
    for (const RouteEntry& r : kBackendRoutes) t->Add(r.method, r.path);
    return t;
  }();
  return *table;
}

Table& Frontend() {
  static Table* table = [] {
    auto* t = new Table;
    std::vector<std::string_view> paths;
    std::map<std::string_view, std::vector<Method>> methods;
    for (const RouteEntry& r : kFrontendRoutes) {
      if (methods[r.path].empty()) paths.push_back(r.path);
      methods[r.path].push_back(r.method);
    }
    for (std::string_view path : paths) {
      bool changes = false;
      for (Method m : methods[path]) {
        if (m != Method::kGet) changes = true;
        if (m != Method::kPost) t->Add(m, path);
      }
      if (changes) t->Add(Method::kPost, path);
      t->Add(Method::kOptions, path);
    }
    return t;
  }();
  return *table;
}

// The segments of a path or pattern that starts with '/': "/" has none, "/a//b/" has "a", "", "b"
// and "".
std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  if (path == "/") return out;
  for (size_t pos = 1; pos <= path.size();) {
    const size_t next = std::min(path.find('/', pos), path.size());
    out.emplace_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

bool IsPlaceholder(std::string_view s) {
  return s.size() > 2 && s.front() == '{' && s.back() == '}';
}

std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

using Params = std::vector<std::pair<std::string, std::string>>;

// The params of `route` for a path split into `got` (a path starting with '/'), or nullopt when
// the path does not match it.
std::optional<Params> MatchOne(const Added& route, const std::vector<std::string>& got) {
  if (route.segments.size() != got.size()) return std::nullopt;
  Params params;
  for (size_t i = 0; i < got.size(); ++i) {
    const std::string& want = route.segments[i];
    if (got[i].empty()) return std::nullopt;
    if (!IsPlaceholder(want)) {
      if (want != got[i]) return std::nullopt;
      continue;
    }
    auto value = ReferencePercentDecode(got[i]);
    if (!value || value->empty() || *value == "." || *value == "..") return std::nullopt;
    params.emplace_back(want.substr(1, want.size() - 2), std::move(*value));
  }
  return params;
}

size_t Literals(const std::vector<std::string>& segments) {
  return std::count_if(segments.begin(), segments.end(),
                       [](const std::string& s) { return !IsPlaceholder(s); });
}

// The routes of `t` that match `path` (of any method), with their params.
std::vector<std::pair<size_t, Params>> Candidates(const Table& t, std::string_view path) {
  std::vector<std::pair<size_t, Params>> out;
  if (path.empty() || path.front() != '/') return out;
  const std::vector<std::string> got = Segments(path);
  for (size_t i = 0; i < t.added.size(); ++i) {
    if (auto params = MatchOne(t.added[i], got)) out.emplace_back(i, std::move(*params));
  }
  return out;
}

// The candidate of `method` that should serve the path: the one with the most literal segments
// (REQUIRES, checked: no other of the same method ties with it), or nullptr.
const std::pair<size_t, Params>* Best(const Table& t,
                                      const std::vector<std::pair<size_t, Params>>& candidates,
                                      Method method, std::string_view path) {
  const std::pair<size_t, Params>* best = nullptr;
  bool tie = false;
  for (const auto& c : candidates) {
    if (t.added[c.first].method != method) continue;
    const size_t literals = t.added[c.first].literals;
    if (best == nullptr || literals > t.added[best->first].literals) {
      best = &c;
      tie = false;
    } else if (literals == t.added[best->first].literals) {
      tie = true;
    }
  }
  if (tie) {
    std::fprintf(stderr, "ambiguous routes for %s %.*s\n", std::string(MethodName(method)).c_str(),
                 static_cast<int>(path.size()), path.data());
  }
  ORGD_FUZZ_CHECK(!tie);
  return best;
}

void Check(Table& t, const std::vector<std::pair<size_t, Params>>& candidates, Method method,
           std::string_view path) {
  Router::Match m = t.router.Find(method, path);
  const std::pair<size_t, Params>* want = Best(t, candidates, method, path);
  if (want == nullptr && method == Method::kHead) want = Best(t, candidates, Method::kGet, path);
  std::set<Method> matching;
  for (const auto& c : candidates) matching.insert(t.added[c.first].method);

  switch (m.status) {
    case Router::Match::Status::kFound: {
      ORGD_FUZZ_CHECK(want != nullptr);
      ORGD_FUZZ_CHECK(m.handler != nullptr && m.options != nullptr);
      t.hit = t.added.size();
      (*m.handler)(http::Request(), http::Responder([](auto) {}));
      ORGD_FUZZ_CHECK(t.hit == want->first);
      ORGD_FUZZ_CHECK(m.params == want->second);
      // The path rebuilt from the params, percent-encoded, finds the same route and params.
      std::string rebuilt;
      size_t next_param = 0;
      for (const std::string& s : t.added[want->first].segments) {
        rebuilt += "/";
        rebuilt += IsPlaceholder(s) ? Encode(m.params[next_param++].second) : s;
      }
      if (rebuilt.empty()) rebuilt = "/";
      Router::Match again = t.router.Find(method, rebuilt);
      ORGD_FUZZ_CHECK(again.status == Router::Match::Status::kFound);
      ORGD_FUZZ_CHECK(again.handler == m.handler && again.params == m.params);
      break;
    }
    case Router::Match::Status::kMethodNotAllowed: {
      ORGD_FUZZ_CHECK(want == nullptr);
      ORGD_FUZZ_CHECK(!m.allowed.empty());
      std::set<Method> allowed(m.allowed.begin(), m.allowed.end());
      ORGD_FUZZ_CHECK(allowed.size() == m.allowed.size());  // each method once
      ORGD_FUZZ_CHECK(allowed == matching);
      ORGD_FUZZ_CHECK(!allowed.contains(method));
      break;
    }
    case Router::Match::Status::kNotFound:
      ORGD_FUZZ_CHECK(matching.empty());
      break;
  }
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  const std::string_view path = AsText(data, size);

  if (auto segments = http::SplitPath(path)) {
    std::string joined;
    for (std::string_view s : *segments) {
      ORGD_FUZZ_CHECK(!s.empty() && s.find('/') == std::string_view::npos);
      joined += "/" + std::string(s);
    }
    ORGD_FUZZ_CHECK(joined == path || (joined.empty() && path == "/"));
  }
  auto decoded = http::PercentDecode(path);
  ORGD_FUZZ_CHECK(decoded == ReferencePercentDecode(path));
  if (decoded) ORGD_FUZZ_CHECK(http::PercentDecode(Encode(*decoded)) == decoded);

  for (Table* table : {&Backend(), &Frontend()}) {
    const auto candidates = Candidates(*table, path);
    for (Method method : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                          Method::kDelete, Method::kOptions, Method::kOther}) {
      Check(*table, candidates, method, path);
    }
  }
  return 0;
}
