// SqlJobStore: background jobs in the `jobs` table.
//
// Thread safety: as the Connection it wraps (one thread at a time).
#pragma once

#include "store/job_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlJobStore final : public JobWriter {
 public:
  explicit SqlJobStore(Connection& conn) : conn_(conn) {}
  Result<Job> Get(std::string_view id) override;
  Result<std::vector<Job>> ListDead(std::string_view kind, int64_t limit) override;
  Result<Backlog> DueBacklog(int64_t now) override;
  Result<bool> Insert(const Job& job) override;
  Result<std::vector<Job>> Claim(std::string_view owner, int64_t now, int64_t lease_until,
                                 int64_t limit, const std::vector<std::string>& kinds) override;
  Result<void> Complete(std::string_view id, std::string_view owner, int64_t now) override;
  Result<void> Retry(std::string_view id, std::string_view owner, int64_t run_at,
                     std::string_view error) override;
  Result<void> Bury(std::string_view id, std::string_view owner, int64_t now,
                    std::string_view error) override;
  Result<int64_t> PurgeCompleted(int64_t before) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
