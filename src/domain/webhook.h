// Webhook endpoints and the messages sent to them (BEHAVIOR.md §6). An endpoint is an orgd
// extension of the Backend API (Clerk keeps them in its dashboard, through Svix); a message is one
// event on its way to one endpoint, with the attempts made so far.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orgd::domain {

struct WebhookEndpoint {
  std::string id;  // whe_…
  std::string url;
  std::string description;
  std::vector<std::string> event_types;  // empty: every event
  bool disabled = false;
  std::optional<std::string> disabled_reason;  // e.g. failing for 5 days
  std::string secret;                          // whsec_<base64>
  std::optional<std::string> previous_secret;  // still signs until previous_secret_expires_at
  std::optional<int64_t> previous_secret_expires_at;
  bool is_static = false;                // configured by --webhook-endpoint, not through the API
  std::optional<int64_t> failing_since;  // the first failed attempt since the last success
  int64_t created_at = 0;
  int64_t updated_at = 0;

  bool Wants(std::string_view type) const {
    if (event_types.empty()) return true;
    for (const auto& t : event_types) {
      if (t == type) return true;
    }
    return false;
  }
};

// Every field of `endpoint` but its secrets, under its Backend API name (id, url, description,
// events, disabled, disabled_reason, static, created_at, updated_at): the API's answer without
// `object` and `secret` (api/json/webhook_json.h), and what the audit log keeps of an endpoint.
boost::json::object ToJson(const WebhookEndpoint& endpoint);

inline constexpr std::string_view kMessagePending = "pending";
inline constexpr std::string_view kMessageDelivered = "delivered";
inline constexpr std::string_view kMessageFailed = "failed";

struct WebhookMessage {
  std::string id;  // msg_…: the svix-id
  std::string endpoint_id;
  int64_t event_seq = 0;  // the outbox row
  std::string stream;
  std::string status = std::string(kMessagePending);
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;
  std::optional<std::string> lease_owner;
  std::optional<int64_t> lease_until;
  std::optional<int64_t> last_response_code;
  std::optional<std::string> last_error;
  std::optional<int64_t> delivered_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

}  // namespace orgd::domain
