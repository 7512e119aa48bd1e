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
  Result<void> Append(const OutboxEntry& entry) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
