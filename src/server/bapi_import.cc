#include "server/bapi_import.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "common/base64.h"
#include "common/clock.h"
#include "common/ids.h"

namespace orgd::server {
namespace {

namespace json = boost::json;

constexpr size_t kMaxListBytes = 64 << 20;  // one page of a list
constexpr size_t kMaxLogoBytes = 10 << 20;  // BEHAVIOR.md: logos up to 10 MB
constexpr int kMaxRetries = 6;              // per request, on 429 and 5xx
constexpr int64_t kMaxItems = 10'000'000;   // per list: a source that never ends is refused

Error Failed(std::string detail) {
  return Error(ErrorCode::kUnavailable, "", "", "", "", std::move(detail));
}

struct Response {
  long status = 0;
  std::string content_type;
  std::string body;
  int64_t retry_after_s = -1;
};

size_t Append(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::pair<std::string*, size_t>*>(out);
  if (body->first->size() + size * n > body->second) return 0;  // over the cap: abort
  body->first->append(data, size * n);
  return size * n;
}

// One GET. `bearer` (the secret key) is sent only when given: never to another host.
Result<Response> Get(const std::string& url, const std::string& bearer, size_t max_bytes) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Failed("cannot start an HTTP client");
  CURL* c = curl.get();
  Response response;
  std::pair<std::string*, size_t> sink{&response.body, max_bytes};
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  if (!bearer.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + bearer).c_str());
  char reason[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  // Redirects would carry the key elsewhere; a logo's host may redirect (there is no key then).
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, bearer.empty() ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 120'000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, reason);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "orgd-import/" ORGD_VERSION);
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc == CURLE_WRITE_ERROR) {
    return Failed(fmt::format("GET {}: the answer is over {} bytes", url, max_bytes));
  }
  if (rc != CURLE_OK) {
    return Failed(fmt::format("GET {}: {}", url, reason[0] ? reason : curl_easy_strerror(rc)));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  char* type = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) {
    response.content_type = type;
  }
  curl_off_t retry = -1;
  if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK) {
    response.retry_after_s = static_cast<int64_t>(retry);
  }
  return response;
}

// GET with retries on 429 (after its Retry-After) and 5xx (backing off), bounded.
Result<Response> GetRetrying(const std::string& url, const std::string& bearer, size_t max_bytes) {
  for (int attempt = 0;; ++attempt) {
    auto r = Get(url, bearer, max_bytes);
    if (!r) return r;
    const bool again = r->status == 429 || r->status >= 500;
    if (!again || attempt == kMaxRetries) return r;
    const int64_t wait_s = r->retry_after_s > 0 ? std::min<int64_t>(r->retry_after_s, 60)
                                                : int64_t{1} << std::min(attempt, 5);
    std::this_thread::sleep_for(std::chrono::seconds(wait_s));
  }
}

std::string Text(const json::value* v) {
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Metadata as stored: the JSON text of an object ({} when absent).
std::string MetadataText(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? json::serialize(*v) : std::string("{}");
}

json::value OrNull(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v == nullptr ? json::value(nullptr) : *v;
}

int64_t Millis(const json::object& o, std::string_view key, int64_t fallback = 0) {
  const json::value* v = o.if_contains(key);
  if (v != nullptr && v->is_int64()) return v->get_int64();
  if (v != nullptr && v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return fallback;
}

int64_t Flag(const json::object& o, std::string_view key, bool fallback) {
  const json::value* v = o.if_contains(key);
  return (v != nullptr && v->is_bool() ? v->get_bool() : fallback) ? 1 : 0;
}

class BapiReader {
 public:
  BapiReader(std::string api_url, std::string key, int page_size)
      : base_(std::move(api_url)), key_(std::move(key)), page_size_(page_size) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }

  // Every item of a paged list at `path` (`query` already holds any filters). Lists come as
  // {"data": […], "total_count": n} or, for users, as a bare array.
  Result<std::vector<json::object>> List(const std::string& path, const std::string& query = "") {
    std::vector<json::object> items;
    json::value first_of_last_page;
    for (int64_t offset = 0; offset < kMaxItems; offset += page_size_) {
      const std::string url =
          fmt::format("{}{}?limit={}&offset={}{}", base_, path, page_size_, offset, query);
      auto r = GetRetrying(url, key_, kMaxListBytes);
      if (!r) return r.error();
      if (r->status != 200) {
        return Failed(
            fmt::format("GET {}{}: HTTP {}: {}", base_, path, r->status, r->body.substr(0, 300)));
      }
      boost::system::error_code ec;
      json::value page = json::parse(r->body, ec);
      const json::array* data = nullptr;
      if (!ec && page.is_array()) data = &page.get_array();
      if (!ec && page.is_object()) {
        if (const json::value* d = page.get_object().if_contains("data"); d && d->is_array()) {
          data = &d->get_array();
        }
      }
      if (data == nullptr) return Failed(fmt::format("GET {}{}: not a list", base_, path));
      // A source that ignores offset would send its first page forever.
      if (offset > 0 && !data->empty() && data->front() == first_of_last_page) {
        return Failed(
            fmt::format("GET {}{}: offset {} answers the page before again", base_, path, offset));
      }
      if (!data->empty()) first_of_last_page = data->front();
      for (const json::value& item : *data) {
        if (!item.is_object())
          return Failed(fmt::format("GET {}{}: an item is not an object", base_, path));
        items.push_back(item.get_object());
      }
      if (static_cast<int>(data->size()) < page_size_) return items;
    }
    return Failed(fmt::format("GET {}{}: more than {} items", base_, path, kMaxItems));
  }

  // A logo's bytes and media type; the key only when the logo is on the API's own host.
  Result<std::pair<std::string, std::string>> Image(const std::string& url) {
    const bool own = url.starts_with(base_ + "/");
    auto r = GetRetrying(url, own ? key_ : std::string(), kMaxLogoBytes);
    if (!r) return r.error();
    if (r->status != 200 || !r->content_type.starts_with("image/")) {
      return Failed(fmt::format("GET {}: HTTP {} {}", url, r->status, r->content_type));
    }
    return std::pair{std::move(r->body), r->content_type.substr(0, r->content_type.find(';'))};
  }

 private:
  std::string base_;
  std::string key_;
  int page_size_;
};

// https, or http to this machine only: the secret key goes with every request.
bool IsSafeApiUrl(std::string_view url) {
  if (url.starts_with("https://")) return url.size() > 8;
  if (!url.starts_with("http://")) return false;
  std::string_view rest = url.substr(7);
  std::string_view host = rest.starts_with('[') ? rest.substr(0, rest.find(']') + 1)
                                                : rest.substr(0, rest.find_first_of(":/"));
  return host == "localhost" || host == "[::1]" ||
         (host.starts_with("127.") &&
          host.find_first_not_of("0123456789.") == std::string_view::npos);
}

struct Row {
  std::string_view table;
  json::object values;
};

// The rows of `users`: the user, its email addresses and phone numbers.
void UserRows(const json::object& u, std::vector<Row>& rows) {
  const int64_t created = Millis(u, "created_at");
  const int64_t updated = Millis(u, "updated_at", created);
  const json::value* limit = u.if_contains("create_organizations_limit");
  rows.push_back(
      {"users",
       {{"id", Text(u.if_contains("id"))},
        {"external_id", OrNull(u, "external_id")},
        {"username", OrNull(u, "username")},
        {"first_name", OrNull(u, "first_name")},
        {"last_name", OrNull(u, "last_name")},
        {"image_id", nullptr},
        {"primary_email_address_id", OrNull(u, "primary_email_address_id")},
        {"primary_phone_number_id", OrNull(u, "primary_phone_number_id")},
        {"public_metadata", MetadataText(u, "public_metadata")},
        {"private_metadata", MetadataText(u, "private_metadata")},
        {"unsafe_metadata", MetadataText(u, "unsafe_metadata")},
        {"create_organization_enabled", Flag(u, "create_organization_enabled", true)},
        {"create_organizations_limit",
         limit != nullptr && limit->is_int64() ? json::value(limit->get_int64()) : nullptr},
        {"delete_self_enabled", Flag(u, "delete_self_enabled", true)},
        {"created_at", created},
        {"updated_at", updated}}});
  for (auto [list, table, field] :
       {std::tuple{"email_addresses", "email_addresses", "email_address"},
        std::tuple{"phone_numbers", "phone_numbers", "phone_number"}}) {
    const json::value* items = u.if_contains(list);
    if (items == nullptr || !items->is_array()) continue;
    int64_t position = 0;
    for (const json::value& item : items->get_array()) {
      if (!item.is_object()) continue;
      const json::object& e = item.get_object();
      rows.push_back({table,
                      {{"id", Text(e.if_contains("id"))},
                       {"user_id", Text(u.if_contains("id"))},
                       {field, Text(e.if_contains(field))},
                       {"position", position++},
                       {"created_at", Millis(e, "created_at", created)},
                       {"updated_at", Millis(e, "updated_at", updated)}}});
    }
  }
}

}  // namespace

Result<TransferReport> ImportFromBapi(const BapiImportOptions& options) {
  std::ifstream file(options.secret_key_file);
  std::string key;
  if (!file || !std::getline(file, key)) {
    return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                 "cannot read a secret key from " + options.secret_key_file);
  }
  while (!key.empty() && (key.back() == '\r' || key.back() == ' ' || key.back() == '\t')) {
    key.pop_back();
  }
  if (!key.starts_with("sk_")) {
    return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                 options.secret_key_file + " does not hold a secret key (sk_…)");
  }
  if (!IsSafeApiUrl(options.api_url)) {
    return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                 "--from-bapi must be an https:// URL (http:// only to a loopback address): the "
                 "secret key goes with every request");
  }
  BapiReader api(options.api_url, key, options.page_size);
  SystemClock clock;
  RandomIdGenerator ids(clock);

  // Everything is read first, parents before children.
  std::vector<Row> rows;
  auto permissions = api.List("/v1/organization_permissions");
  if (!permissions) return permissions.error();
  std::set<std::string> permission_ids;
  for (const json::object& p : *permissions) {
    permission_ids.insert(Text(p.if_contains("id")));
    rows.push_back({"permissions",
                    {{"id", Text(p.if_contains("id"))},
                     {"key", Text(p.if_contains("key"))},
                     {"name", Text(p.if_contains("name"))},
                     {"description", Text(p.if_contains("description"))},
                     {"type", Text(p.if_contains("type")) == "system" ? "system" : "user"},
                     {"created_at", Millis(p, "created_at")},
                     {"updated_at", Millis(p, "updated_at")}}});
  }
  auto roles = api.List("/v1/organization_roles");
  if (!roles) return roles.error();
  std::vector<Row> grants;
  for (const json::object& r : *roles) {
    rows.push_back({"roles",
                    {{"id", Text(r.if_contains("id"))},
                     {"key", Text(r.if_contains("key"))},
                     {"name", Text(r.if_contains("name"))},
                     {"description", OrNull(r, "description")},
                     {"created_at", Millis(r, "created_at")},
                     {"updated_at", Millis(r, "updated_at")}}});
    const json::value* granted = r.if_contains("permissions");
    if (granted == nullptr || !granted->is_array()) continue;
    for (const json::value& p : granted->get_array()) {
      std::string id = p.is_object() ? Text(p.get_object().if_contains("id")) : std::string();
      if (!permission_ids.contains(id)) continue;  // not listed: nothing to point at
      grants.push_back(
          {"role_permissions", {{"role_id", Text(r.if_contains("id"))}, {"permission_id", id}}});
    }
  }
  std::move(grants.begin(), grants.end(), std::back_inserter(rows));

  auto users = api.List("/v1/users", "&order_by=%2Bcreated_at");
  if (!users) return users.error();
  for (const json::object& u : *users) UserRows(u, rows);

  auto organizations = api.List("/v1/organizations", "&order_by=%2Bcreated_at");
  if (!organizations) return organizations.error();
  std::vector<Row> children;
  for (const json::object& o : *organizations) {
    const std::string id = Text(o.if_contains("id"));
    const int64_t created = Millis(o, "created_at");
    json::value image_id = nullptr;
    const json::value* has_image = o.if_contains("has_image");
    if (has_image != nullptr && has_image->is_bool() && has_image->get_bool()) {
      auto logo = api.Image(Text(o.if_contains("image_url")));
      if (!logo) return logo.error();
      std::string image = ids.New(id_prefix::kImage);
      rows.push_back({"images",
                      {{"id", image},
                       {"owner_id", id},
                       {"content_type", logo->second},
                       {"bytes", json::object{{"base64", Base64Encode(logo->first)}}},
                       {"created_at", Millis(o, "updated_at", created)}}});
      image_id = image;
    }
    const json::value* max = o.if_contains("max_allowed_memberships");
    rows.push_back({"organizations",
                    {{"id", id},
                     {"name", Text(o.if_contains("name"))},
                     {"slug", Text(o.if_contains("slug"))},
                     {"image_id", image_id},
                     {"max_allowed_memberships",
                      max != nullptr && max->is_int64() ? max->get_int64() : int64_t{0}},
                     {"admin_delete_enabled", Flag(o, "admin_delete_enabled", true)},
                     {"public_metadata", MetadataText(o, "public_metadata")},
                     {"private_metadata", MetadataText(o, "private_metadata")},
                     {"created_by", OrNull(o, "created_by")},
                     {"role_set_key", OrNull(o, "role_set_key")},
                     {"members_count", 0},  // counted by the import
                     {"created_at", created},
                     {"updated_at", Millis(o, "updated_at", created)}}});
    auto memberships = api.List(fmt::format("/v1/organizations/{}/memberships", id));
    if (!memberships) return memberships.error();
    for (const json::object& m : *memberships) {
      const json::value* user = m.if_contains("public_user_data");
      const int64_t m_created = Millis(m, "created_at");
      children.push_back({"organization_memberships",
                          {{"id", Text(m.if_contains("id"))},
                           {"organization_id", id},
                           {"user_id", user != nullptr && user->is_object()
                                           ? Text(user->get_object().if_contains("user_id"))
                                           : std::string()},
                           {"role", Text(m.if_contains("role"))},
                           {"public_metadata", MetadataText(m, "public_metadata")},
                           {"private_metadata", MetadataText(m, "private_metadata")},
                           {"created_at", m_created},
                           {"updated_at", Millis(m, "updated_at", m_created)}}});
    }
    auto invitations = api.List(fmt::format("/v1/organizations/{}/invitations", id));
    if (!invitations) return invitations.error();
    for (const json::object& i : *invitations) {
      const int64_t i_created = Millis(i, "created_at");
      children.push_back({"organization_invitations",
                          {{"id", Text(i.if_contains("id"))},
                           {"organization_id", id},
                           {"email_address", Text(i.if_contains("email_address"))},
                           {"role", Text(i.if_contains("role"))},
                           {"status", Text(i.if_contains("status"))},
                           {"inviter_user_id", OrNull(i, "inviter_id")},
                           {"public_metadata", MetadataText(i, "public_metadata")},
                           {"private_metadata", MetadataText(i, "private_metadata")},
                           {"redirect_url", nullptr},
                           {"url", OrNull(i, "url")},
                           {"notify", 0},  // sent by the source already
                           {"expires_at", Millis(i, "expires_at", i_created)},
                           {"accepted_user_id", nullptr},
                           {"created_at", i_created},
                           {"updated_at", Millis(i, "updated_at", i_created)}}});
    }
  }
  std::move(children.begin(), children.end(), std::back_inserter(rows));

  // What a source left out is refused here rather than stored as a row later reads cannot serve.
  for (const Row& row : rows) {
    for (std::string_view key : {"id", "user_id", "organization_id", "role_id", "permission_id",
                                 "key", "slug", "role", "email_address", "phone_number"}) {
      const json::value* v = row.values.if_contains(key);
      if (v != nullptr && v->is_string() && v->get_string().empty()) {
        return Failed(fmt::format("the source gave a {} row without {} (item {})", row.table, key,
                                  Text(row.values.if_contains("id"))));
      }
    }
  }
  return ImportRows(options.database_url, [&rows](RowImporter& importer) -> Result<void> {
    for (const Row& row : rows) {
      if (auto r = importer.Add(row.table, row.values); !r) {
        Error e = r.error();
        e.detail =
            fmt::format("{} {}: {}", row.table, Text(row.values.if_contains("id")), e.detail);
        return e;
      }
    }
    return {};
  });
}

}  // namespace orgd::server
