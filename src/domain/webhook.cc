#include "domain/webhook.h"

#include <boost/json/value.hpp>

namespace orgd::domain {

boost::json::object ToJson(const WebhookEndpoint& e) {
  boost::json::object o;
  o["id"] = e.id;
  o["url"] = e.url;
  o["description"] = e.description;
  boost::json::array events;
  for (const auto& t : e.event_types) events.emplace_back(t);
  o["events"] = std::move(events);
  o["disabled"] = e.disabled;
  o["disabled_reason"] =
      e.disabled_reason ? boost::json::value(*e.disabled_reason) : boost::json::value(nullptr);
  o["static"] = e.is_static;
  o["created_at"] = e.created_at;
  o["updated_at"] = e.updated_at;
  return o;
}

}  // namespace orgd::domain
