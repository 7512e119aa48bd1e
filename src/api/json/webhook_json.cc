#include "api/json/webhook_json.h"

#include <boost/json/parse.hpp>

#include "service/webhook_delivery.h"

namespace orgd::api::json {
namespace {

boost::json::value OrNull(const std::optional<int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}
boost::json::value OrNull(const std::optional<std::string>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object WebhookEndpointJson(const service::WebhookEndpointView& view) {
  boost::json::object o;
  o["object"] = "webhook_endpoint";
  for (auto& field : domain::ToJson(view.endpoint)) o.insert(std::move(field));
  if (view.show_secret) o["secret"] = view.endpoint.secret;
  return o;
}

boost::json::object WebhookEndpointListJson(const std::vector<service::WebhookEndpointView>& all) {
  boost::json::array data;
  for (const auto& view : all) data.push_back(WebhookEndpointJson(view));
  return {{"data", std::move(data)}, {"total_count", static_cast<int64_t>(all.size())}};
}

boost::json::object WebhookMessageJson(const service::WebhookMessageView& view) {
  const auto& m = view.message;
  boost::json::object o;
  o["object"] = "webhook_message";
  o["id"] = m.id;
  o["endpoint_id"] = m.endpoint_id;
  o["event_id"] = view.event_id;
  o["event_type"] = view.event_type;
  o["status"] = m.status;
  o["attempts"] = m.attempts;
  o["last_response_code"] = OrNull(m.last_response_code);
  o["last_error"] = OrNull(m.last_error);
  o["next_attempt_at"] = m.status == domain::kMessagePending ? boost::json::value(m.next_attempt_at)
                                                             : boost::json::value(nullptr);
  o["delivered_at"] = OrNull(m.delivered_at);
  o["created_at"] = m.created_at;
  o["updated_at"] = m.updated_at;
  return o;
}

boost::json::object WebhookMessageListJson(const store::Page<service::WebhookMessageView>& page) {
  boost::json::array data;
  for (const auto& view : page.data) data.push_back(WebhookMessageJson(view));
  return {{"data", std::move(data)}, {"total_count", page.total_count}};
}

boost::json::object EventFeedJson(const service::EventFeedPage& page,
                                  std::string_view instance_id) {
  boost::json::array data;
  for (const auto& entry : page.events) {
    boost::system::error_code ec;
    auto event = boost::json::parse(service::EventEnvelope(entry, instance_id), ec);
    if (ec || !event.is_object()) continue;  // stored by orgd itself: always JSON
    event.as_object()["id"] = entry.id;
    event.as_object()["cursor"] = std::to_string(*entry.position);
    data.push_back(std::move(event));
  }
  return {{"data", std::move(data)}, {"next_cursor", std::to_string(page.next_cursor)}};
}

}  // namespace orgd::api::json
