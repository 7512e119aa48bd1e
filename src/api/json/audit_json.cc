#include "api/json/audit_json.h"

#include <boost/json/parse.hpp>
#include <string>

namespace orgd::api::json {
namespace {

// A stored snapshot as JSON; one that does not parse (never written so) is kept as its text.
boost::json::value Snapshot(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*text, ec);
  if (ec) return boost::json::value(*text);
  return v;
}

boost::json::value OptionalString(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::value(*s);
}

}  // namespace

boost::json::object AuditEntryJson(const store::AuditEntry& e) {
  boost::json::object o;
  o["object"] = "audit_log_entry";
  o["id"] = e.id;
  o["action"] = e.action;
  o["resource_type"] = e.resource_type;
  o["resource_id"] = e.resource_id;
  o["organization_id"] = OptionalString(e.organization_id);
  boost::json::object actor;
  actor["type"] = e.actor_kind;
  actor["id"] = e.actor_id.empty() ? boost::json::value(nullptr) : boost::json::value(e.actor_id);
  o["actor"] = std::move(actor);
  o["request_id"] = e.request_id;
  o["ip_address"] = e.remote_ip;
  o["user_agent"] = e.user_agent;
  o["before"] = Snapshot(e.before);
  o["after"] = Snapshot(e.after);
  o["created_at"] = e.created_at;
  return o;
}

boost::json::object AuditPageJson(const service::AuditPage& page) {
  boost::json::array data;
  data.reserve(page.data.size());
  for (const auto& e : page.data) data.emplace_back(AuditEntryJson(e));
  boost::json::object o;
  o["data"] = std::move(data);
  o["next_cursor"] = page.next_cursor ? boost::json::value(std::to_string(*page.next_cursor))
                                      : boost::json::value(nullptr);
  return o;
}

}  // namespace orgd::api::json
