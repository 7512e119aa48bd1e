// Webhook delivery (BEHAVIOR.md §6): the dispatcher that turns outbox rows into messages, and the
// workers that send them, signed as Svix signs them, to the endpoints.
//
//   dispatcher  one thread per node. Takes the outbox rows that have no feed position yet (oldest
//               first), gives each the next position of the event feed and one message per
//               enabled endpoint that wants its type, in one transaction (a node that dies midway
//               leaves nothing half done). Woken when a write that recorded events commits
//               (EffectsCommitted), else it polls.
//   workers     --webhook-workers threads per node. Each claims due messages under a lease (one
//               node at a time holds a message; a dead node's lease runs out and another node
//               sends it again: at least once), posts each with libcurl (WebhookSender), and
//               records the attempt. Within an endpoint and a stream (an organization, a user, the
//               roles) only the oldest pending message is sent, so a stream arrives in commit
//               order and a message being retried holds back only its own stream.
//
// A 2xx answer delivers; anything else is retried after the next delay of the schedule (Svix's
// by default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first, immediate attempt; each
// delay between 80% and 120% of its value), then the message fails. An endpoint whose
// attempts all failed for 5 days is disabled, as Svix does.
//
// Thread safety: Start/Stop from the owner; EffectsCommitted from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "common/result.h"
#include "domain/webhook.h"
#include "store/database.h"
#include "store/outbox_store.h"
#include "service/transaction.h"

namespace orgd::service {

// One HTTP POST, as WebhookSender makes it.
struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct WebhookResponse {
  int status = 0;     // 0 when no HTTP answer came (refused, timed out, address not allowed)
  std::string error;  // why, without any secret
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // Blocks for at most the sender's timeout.
  virtual WebhookResponse Post(const WebhookRequest& request) = 0;
};

struct WebhookDeliveryOptions {
  std::string node_id;      // the lease owner
  std::string instance_id;  // instance_id of every event (ins_…)
  // Delays before the second, third… attempt; the first is immediate.
  std::vector<std::chrono::milliseconds> retry_schedule = {
      std::chrono::seconds(5), std::chrono::minutes(5), std::chrono::minutes(30),
      std::chrono::hours(2),   std::chrono::hours(5),   std::chrono::hours(10),
      std::chrono::hours(10)};
  std::chrono::milliseconds disable_after{5LL * 24 * 60 * 60 * 1000};
  // How long a claimed batch is this node's. A node that dies leaves its batch to the others
  // after this; a batch stops starting attempts `send_window` after the claim, so the last one
  // (bounded by the sender's 15 s timeout) ends before the lease does.
  std::chrono::milliseconds lease{40'000};
  std::chrono::milliseconds send_window{20'000};
  std::chrono::milliseconds poll_interval{250};
  std::chrono::milliseconds dispatch_delay{5};  // after a wake-up, before dispatching
  int workers = 4;
  // The workers' nice value: above 0, a saturated machine serves the API first and delivers with
  // what is left (CFS gives nice 10 about a tenth of a core's share).
  int worker_nice = 10;
  int claim_batch = 16;  // sent one after another; what the lease's first half cannot send
                         // goes back untried
  int dispatch_batch = 256;
};

// The Svix signature of `body` for message `id` at `timestamp_s` under `secret` (whsec_<base64>):
// "v1,<base64 HMAC-SHA256 over '<id>.<timestamp>.<body>'>".
std::string SvixSignature(std::string_view secret, std::string_view id, int64_t timestamp_s,
                          std::string_view body);

// The body of an event as endpoints and the feed receive it: Clerk's envelope around the stored
// `data` (BEHAVIOR.md §6.2), with event_attributes.http_request when it came from a request.
std::string EventEnvelope(const store::OutboxEntry& entry, std::string_view instance_id);

class WebhookDelivery final : public EffectsListener {
 public:
  // REQUIRES: every argument outlives the object.
  WebhookDelivery(store::Database& db, const Clock& clock, IdGenerator& ids,
                  WebhookSender& sender, WebhookDeliveryOptions options);
  ~WebhookDelivery();

  // `sole_process`: no other process shares the store (SQLite), so leases left by an earlier run
  // are freed at once instead of running out.
  Result<void> Start(bool sole_process);
  // Finishes the attempts under way (each bounded by the sender's timeout) and joins.
  void Stop();

  // Dispatches what is there (blocking). Returns how many events got a position.
  Result<int> DispatchOnce();
  // One worker's turn: claims and sends (blocking). Returns how many attempts it made.
  Result<int> DeliverOnce();

  // Wakes the dispatcher: a write that recorded events has committed.
  void EffectsCommitted() override;

 private:
  void DispatchLoop();
  void WorkerLoop();
  // Sends one message; returns it as the attempt leaves it (not yet stored).
  domain::WebhookMessage Attempt(const domain::WebhookMessage& message,
                                 const domain::WebhookEndpoint& endpoint,
                                 const store::OutboxEntry& event);
  // Stores the outcomes of a claimed batch (freeing their leases) and the endpoints' failure
  // state, in one transaction.
  Result<void> Record(const std::vector<domain::WebhookMessage>& claimed,
                      const std::vector<domain::WebhookMessage>& outcomes);

  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  WebhookSender& sender_;
  const WebhookDeliveryOptions options_;

  std::mutex mu_;
  std::condition_variable wake_dispatcher_;
  std::condition_variable wake_workers_;
  bool events_pending_ = false;    // GUARDED_BY(mu_)
  bool stopping_ = false;          // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

}  // namespace orgd::service
