// The JSON shapes of orgd's webhook extension of the Backend API: endpoints, messages, the event
// feed (docs: README "Webhooks").
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "service/webhook_service.h"
#include "store/page.h"

namespace orgd::api::json {

// `{object:"webhook_endpoint", id, url, description, events, disabled, disabled_reason, static,
// created_at, updated_at}`, plus `secret` right after create and rotate.
boost::json::object WebhookEndpointJson(const service::WebhookEndpointView& view);
// `{data: [...], total_count}`.
boost::json::object WebhookEndpointListJson(const std::vector<service::WebhookEndpointView>& all);
// `{object:"webhook_message", id, endpoint_id, event_id, event_type, status, attempts,
// last_response_code, last_error, next_attempt_at, delivered_at, created_at, updated_at}`.
boost::json::object WebhookMessageJson(const service::WebhookMessageView& view);
boost::json::object WebhookMessageListJson(const store::Page<service::WebhookMessageView>& page);
// `{data: [event envelope + cursor, …], next_cursor}`; cursors are decimal strings.
boost::json::object EventFeedJson(const service::EventFeedPage& page, std::string_view instance_id);

}  // namespace orgd::api::json
