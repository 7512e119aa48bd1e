#include "service/webhook_delivery.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/base64.h"
#include "common/random.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::WebhookEndpoint;
using domain::WebhookMessage;

// Each delay between 80% and 120% of the schedule's, so messages that failed together (an
// endpoint down for a minute) do not all come back at once.
int64_t Jittered(std::chrono::milliseconds delay) {
  const int64_t ms = delay.count();
  if (ms <= 0) return 0;
  uint8_t r[2];
  FillRandom(r);
  const double f = 0.8 + 0.4 * ((r[0] << 8 | r[1]) / 65535.0);
  return static_cast<int64_t>(ms * f);
}

}  // namespace

std::string SvixSignature(std::string_view secret, std::string_view id, int64_t timestamp_s,
                          std::string_view body) {
  if (secret.starts_with("whsec_")) secret.remove_prefix(6);
  const std::string key = Base64Decode(secret).value_or("");
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id);
  content.push_back('.');
  content += std::to_string(timestamp_s);
  content.push_back('.');
  content.append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &n);
  return "v1," + Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), n));
}

std::string EventEnvelope(const store::OutboxEntry& entry, std::string_view instance_id) {
  // `data` is spliced in as stored (JSON text, written by the service that recorded it), so the
  // body is the same bytes on every attempt and in the feed.
  std::string body = "{\"data\":";
  body += entry.payload;
  if (!entry.remote_ip.empty() || !entry.user_agent.empty()) {
    boost::json::object attributes{
        {"http_request",
         boost::json::object{{"client_ip", entry.remote_ip}, {"user_agent", entry.user_agent}}}};
    body += ",\"event_attributes\":";
    body += boost::json::serialize(attributes);
  }
  body += ",\"instance_id\":";
  body += boost::json::serialize(boost::json::value(instance_id));
  body += ",\"object\":\"event\",\"timestamp\":";
  body += std::to_string(entry.created_at);
  body += ",\"type\":";
  body += boost::json::serialize(boost::json::value(entry.type));
  body += "}";
  return body;
}

WebhookDelivery::WebhookDelivery(store::Database& db, const Clock& clock, IdGenerator& ids,
                                 WebhookSender& sender, WebhookDeliveryOptions options)
    : db_(db), clock_(clock), ids_(ids), sender_(sender), options_(std::move(options)) {}

WebhookDelivery::~WebhookDelivery() { Stop(); }

Result<void> WebhookDelivery::Start(bool sole_process) {
  if (sole_process) {
    std::promise<Result<bool>> done;
    store::WriteAsync<bool>(
        db_,
        [](store::WriteTransaction& tx) -> Result<bool> {
          if (auto r = tx.webhooks().ReleaseLeases(); !r) return r.error();
          return true;
        },
        [&done](Result<bool> r) { done.set_value(std::move(r)); });
    if (auto r = done.get_future().get(); !r) return r.error();
  }
  threads_.emplace_back([this] { DispatchLoop(); });
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { WorkerLoop(); });
  return {};
}

void WebhookDelivery::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_dispatcher_.notify_all();
  wake_workers_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WebhookDelivery::EffectsCommitted() {
  {
    std::lock_guard lock(mu_);
    events_pending_ = true;
  }
  wake_dispatcher_.notify_one();
}

Result<int> WebhookDelivery::DispatchOnce() {
  const int64_t now = clock_.NowMillis();
  // A read first: an idle node's polls cost no write transaction.
  auto waiting = store::ReadBlocking<bool>(
      db_, [](store::ReadTransaction& tx) { return tx.outbox().HasUndispatched(); });
  if (!waiting) return waiting.error();
  if (!*waiting) return 0;
  std::promise<Result<int>> done;
  store::WriteAsync<int>(
      db_,
      [this, now](store::WriteTransaction& tx) -> Result<int> {
        auto rows = tx.outbox().ListUndispatched(options_.dispatch_batch);
        if (!rows) return rows.error();
        if (rows->empty()) return 0;
        auto endpoints = tx.webhooks().ListEndpoints();
        if (!endpoints) return endpoints.error();
        auto first = tx.outbox().TakePositions(static_cast<int64_t>(rows->size()));
        if (!first) return first.error();
        int64_t position = *first;
        for (const auto& row : *rows) {
          if (auto r = tx.outbox().SetPosition(row.seq, position++); !r) return r.error();
          for (const WebhookEndpoint& endpoint : *endpoints) {
            if (endpoint.disabled || !endpoint.Wants(row.type)) continue;
            WebhookMessage m;
            m.id = ids_.New("msg");
            m.endpoint_id = endpoint.id;
            m.event_seq = row.seq;
            m.stream = row.stream;
            m.next_attempt_at = now;
            m.created_at = m.updated_at = now;
            if (auto r = tx.webhooks().InsertMessage(m); !r) return r.error();
          }
        }
        return static_cast<int>(rows->size());
      },
      [&done](Result<int> r) { done.set_value(std::move(r)); });
  auto dispatched = done.get_future().get();
  if (dispatched && *dispatched > 0) wake_workers_.notify_all();
  return dispatched;
}

Result<int> WebhookDelivery::DeliverOnce() {
  const int64_t now = clock_.NowMillis();
  auto due = store::ReadBlocking<bool>(
      db_, [now](store::ReadTransaction& tx) { return tx.webhooks().HasDue(now); });
  if (!due) return due.error();
  if (!*due) return 0;
  std::promise<Result<std::vector<WebhookMessage>>> claimed;
  store::WriteAsync<std::vector<WebhookMessage>>(
      db_,
      [this, now](store::WriteTransaction& tx) {
        return tx.webhooks().Claim(options_.node_id, now, now + options_.lease.count(),
                                   options_.claim_batch);
      },
      [&claimed](Result<std::vector<WebhookMessage>> r) { claimed.set_value(std::move(r)); });
  auto messages = claimed.get_future().get();
  if (!messages) return messages.error();
  if (messages->empty()) return 0;

  // One read for the batch's endpoints and events, one write for its outcomes: a delivery costs
  // the store a fraction of a transaction, not three.
  struct Targets {
    std::map<std::string, WebhookEndpoint> endpoints;
    std::map<int64_t, store::OutboxEntry> events;
  };
  auto targets =
      store::ReadBlocking<Targets>(db_, [&messages](store::ReadTransaction& tx) -> Result<Targets> {
        Targets t;
        for (const WebhookMessage& m : *messages) {
          if (!t.endpoints.contains(m.endpoint_id)) {
            auto e = tx.webhooks().GetEndpoint(m.endpoint_id);
            if (!e) return e.error();
            t.endpoints.emplace(m.endpoint_id, std::move(*e));
          }
          auto event = tx.outbox().Get(m.event_seq);
          if (!event) return event.error();
          t.events.emplace(m.event_seq, std::move(*event));
        }
        return t;
      });
  if (!targets) return targets.error();

  std::vector<WebhookMessage> outcomes;
  const int64_t stop_sending_at = now + options_.send_window.count();
  int attempts = 0;
  for (const WebhookMessage& m : *messages) {
    if (clock_.NowMillis() >= stop_sending_at) {
      outcomes.push_back(m);  // not tried: its lease is given back, nothing else changes
      continue;
    }
    outcomes.push_back(
        Attempt(m, targets->endpoints.at(m.endpoint_id), targets->events.at(m.event_seq)));
    ++attempts;
  }
  if (auto r = Record(*messages, outcomes); !r) {
    spdlog::warn("webhook delivery: recording {} attempts failed: {}", attempts, r.error().detail);
  }
  return attempts;
}

WebhookMessage WebhookDelivery::Attempt(const WebhookMessage& message,
                                        const WebhookEndpoint& endpoint,
                                        const store::OutboxEntry& event) {
  const int64_t sent_at = clock_.NowMillis();
  WebhookRequest request;
  request.url = endpoint.url;
  request.body = EventEnvelope(event, options_.instance_id);
  const int64_t ts = sent_at / 1000;
  std::string signature = SvixSignature(endpoint.secret, message.id, ts, request.body);
  // During a rotation the previous secret signs too: receivers on either verify.
  if (endpoint.previous_secret && endpoint.previous_secret_expires_at &&
      *endpoint.previous_secret_expires_at > sent_at) {
    signature += " " + SvixSignature(*endpoint.previous_secret, message.id, ts, request.body);
  }
  request.headers = {{"content-type", "application/json"},
                     {"svix-id", message.id},
                     {"svix-timestamp", std::to_string(ts)},
                     {"svix-signature", std::move(signature)},
                     {"user-agent", "orgd-webhooks"}};
  const WebhookResponse response = sender_.Post(request);
  const bool delivered = response.status >= 200 && response.status < 300;

  const int64_t now = clock_.NowMillis();
  WebhookMessage outcome = message;
  outcome.attempts += 1;
  outcome.updated_at = now;
  outcome.last_response_code =
      response.status > 0 ? std::optional<int64_t>(response.status) : std::nullopt;
  outcome.last_error = delivered ? std::nullopt
                       : response.error.empty()
                           ? std::optional<std::string>("HTTP " + std::to_string(response.status))
                           : std::optional<std::string>(response.error);
  if (delivered) {
    outcome.status = std::string(domain::kMessageDelivered);
    outcome.delivered_at = now;
  } else if (outcome.attempts > static_cast<int64_t>(options_.retry_schedule.size())) {
    outcome.status = std::string(domain::kMessageFailed);
  } else {
    outcome.next_attempt_at =
        now + Jittered(options_.retry_schedule[static_cast<size_t>(outcome.attempts - 1)]);
  }
  return outcome;
}

Result<void> WebhookDelivery::Record(const std::vector<WebhookMessage>& claimed,
                                     const std::vector<WebhookMessage>& outcomes) {
  std::promise<Result<void>> finished;
  store::WriteAsync<bool>(
      db_,
      [this, &claimed, &outcomes,
       now = clock_.NowMillis()](store::WriteTransaction& tx) -> Result<bool> {
        // Per endpoint: did an attempt succeed, did one fail (untried messages say nothing).
        std::map<std::string, std::pair<bool, bool>> results;
        for (size_t i = 0; i < outcomes.size(); ++i) {
          const WebhookMessage& outcome = outcomes[i];
          if (auto r = tx.webhooks().FinishAttempt(outcome, options_.node_id); !r) {
            if (r.error().store_reason == StoreReason::kLeaseLost) continue;  // another node's
            return r.error();
          }
          if (outcome.attempts == claimed[i].attempts) continue;
          auto& [succeeded, failed] = results[outcome.endpoint_id];
          (outcome.status == domain::kMessageDelivered ? succeeded : failed) = true;
        }
        for (const auto& [endpoint_id, result] : results) {
          auto endpoint = tx.webhooks().GetEndpoint(endpoint_id);
          if (!endpoint) {
            if (endpoint.error().store_reason == StoreReason::kNotFound) continue;  // deleted
            return endpoint.error();
          }
          WebhookEndpoint e = std::move(*endpoint);
          const auto [succeeded, failed] = result;
          bool changed = false;
          if (succeeded && e.failing_since) {
            e.failing_since.reset();
            changed = true;
          } else if (!succeeded && failed && !e.failing_since) {
            e.failing_since = now;
            changed = true;
          } else if (!succeeded && failed && !e.disabled &&
                     now - *e.failing_since >= options_.disable_after.count()) {
            e.disabled = true;
            e.disabled_reason = "every attempt failed for 5 days";
            changed = true;
            spdlog::warn("webhook endpoint {} disabled: every attempt failed since {}", e.id,
                         *e.failing_since);
          }
          if (changed) {
            e.updated_at = now;
            if (auto r = tx.webhooks().UpdateEndpoint(e); !r) return r.error();
          }
        }
        return true;
      },
      [&finished](Result<bool> r) {
        finished.set_value(r ? Result<void>() : Result<void>(r.error()));
      });
  return finished.get_future().get();
}

void WebhookDelivery::DispatchLoop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_dispatcher_.wait_for(lock, options_.poll_interval,
                                [this] { return stopping_ || events_pending_; });
      if (stopping_) return;
      // Let a burst gather for a moment: one dispatch transaction for many writes' events, not
      // one each, on the writer the API's writes share.
      if (options_.dispatch_delay.count() > 0) {
        wake_dispatcher_.wait_for(lock, options_.dispatch_delay, [this] { return stopping_; });
        if (stopping_) return;
      }
      events_pending_ = false;
    }
    for (;;) {
      auto n = DispatchOnce();
      if (!n) {
        spdlog::warn("webhook dispatch failed: {}", n.error().detail);
        break;
      }
      if (*n < options_.dispatch_batch) break;
    }
  }
}

void WebhookDelivery::WorkerLoop() {
  // Deliveries take what CPU the API leaves: under a burst the API keeps its pace and the backlog
  // waits (it is durable), then drains. Linux gives each thread its own nice value.
  if (options_.worker_nice != 0) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), options_.worker_nice);
  }
  for (;;) {
    {
      // Every worker wakes on news (notify_all); one that misses it polls.
      std::unique_lock lock(mu_);
      if (stopping_) return;
      wake_workers_.wait_for(lock, options_.poll_interval);
      if (stopping_) return;
    }
    for (;;) {
      auto n = DeliverOnce();
      if (!n) {
        spdlog::warn("webhook delivery failed: {}", n.error().detail);
        break;
      }
      if (*n == 0) break;
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
  }
}

}  // namespace orgd::service
