// The outbox over sql::Connection, for both drivers (store/outbox_store.h).
#pragma once

#include "store/outbox_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlOutboxStore final : public OutboxWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlOutboxStore(Connection& conn) : conn_(conn) {}
  Result<std::vector<OutboxEntry>> ListAfter(int64_t after_seq, int64_t limit) override;
  Result<bool> HasUndispatched() override;
  Result<Backlog> UndispatchedBacklog() override;
  Result<OutboxEntry> Get(int64_t seq) override;
  Result<std::vector<OutboxEntry>> ListFeed(int64_t after_position, int64_t limit) override;
  Result<std::vector<OutboxEntry>> ListSince(int64_t since, int64_t after_seq,
                                             int64_t limit) override;
  Result<void> LockStream(std::string_view stream) override;
  Result<void> Append(const OutboxEntry& entry) override;
  Result<std::vector<OutboxEntry>> ListUndispatched(int64_t limit) override;
  Result<int64_t> TakePositions(int64_t count) override;
  Result<void> SetPosition(int64_t seq, int64_t position) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
