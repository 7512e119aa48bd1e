// The outbox in a store transaction: the side effects of a change (webhook events, audit
// entries), appended in the same transaction as the change itself, so they exist exactly when the
// change does. The webhook dispatcher then gives each entry its position in the event feed, in
// `seq` order (migrations/sqlite/0009_webhooks.sql explains why that order is commit order within
// a stream).
//
// Thread safety: an OutboxReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/backlog.h"

namespace orgd::store {

struct OutboxEntry {
  int64_t seq = 0;   // assigned by the store on Append, increasing
  std::string id;    // evt_…
  std::string type;  // e.g. "organization.created"
  std::optional<std::string> organization_id;
  std::optional<std::string> object_id;
  std::string stream;          // what orders it: its organization, user, or the instance's roles
  std::string payload = "{}";  // JSON text
  std::string caller_kind;     // "secret_key", "session", "system", "anonymous"
  std::string caller_id;
  std::string request_id;
  std::string remote_ip;
  std::string user_agent;
  int64_t created_at = 0;
  std::optional<int64_t> position;  // in the event feed; absent until dispatched
};

class OutboxReader {
 public:
  virtual ~OutboxReader() = default;
  // The entries with seq > after_seq, oldest first, at most `limit`.
  virtual Result<std::vector<OutboxEntry>> ListAfter(int64_t after_seq, int64_t limit) = 0;
  // Whether some entry has no feed position yet.
  virtual Result<bool> HasUndispatched() = 0;
  // The entries without a feed position, and the created_at of the oldest of them.
  virtual Result<Backlog> UndispatchedBacklog() = 0;
  // kNotFound ("event") when no entry has this seq.
  virtual Result<OutboxEntry> Get(int64_t seq) = 0;
  // The dispatched entries with position > after_position, in position order, at most `limit`.
  virtual Result<std::vector<OutboxEntry>> ListFeed(int64_t after_position, int64_t limit) = 0;
  // The dispatched entries created at or after `since` (ms) with seq > after_seq, oldest first.
  virtual Result<std::vector<OutboxEntry>> ListSince(int64_t since, int64_t after_seq,
                                                     int64_t limit) = 0;
};

class OutboxWriter : public OutboxReader {
 public:
  // Takes `stream`'s row for this transaction (creating it): a concurrent write to the same
  // stream waits for this one, so appends within a stream follow commit order. Call before
  // appending the stream's entries.
  virtual Result<void> LockStream(std::string_view stream) = 0;
  // Appends `entry` (its seq and position are ignored). kUniqueViolation (constraint::kOutboxId)
  // when the ID is taken.
  virtual Result<void> Append(const OutboxEntry& entry) = 0;
  // The entries without a position, oldest seq first, at most `limit`.
  virtual Result<std::vector<OutboxEntry>> ListUndispatched(int64_t limit) = 0;
  // Gives the next `count` feed positions: returns the first (the counter is one row, so
  // concurrent dispatchers take turns).
  virtual Result<int64_t> TakePositions(int64_t count) = 0;
  virtual Result<void> SetPosition(int64_t seq, int64_t position) = 0;
};

}  // namespace orgd::store
