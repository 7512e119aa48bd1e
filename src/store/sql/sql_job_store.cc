#include "store/sql/sql_job_store.h"

#include <algorithm>
#include <tuple>

#include "store/sql/sql_where.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

constexpr const char* kColumns =
    "id, kind, payload, dedupe_key, run_at, attempts, lease_owner, lease_expires_at, last_error, "
    "completed_at, created_at, dead_at";

Job ReadRow(const Statement& row) {
  Job job;
  job.id = row.Text(0);
  job.kind = row.Text(1);
  job.payload = row.Text(2);
  job.dedupe_key = row.OptionalText(3);
  job.run_at = row.Int(4);
  job.attempts = row.Int(5);
  job.lease_owner = row.OptionalText(6);
  job.lease_expires_at = row.Int(7);
  job.last_error = row.OptionalText(8);
  job.completed_at = row.OptionalInt(9);
  job.created_at = row.Int(10);
  job.dead_at = row.OptionalInt(11);
  return job;
}

}  // namespace

Result<Job> SqlJobStore::Get(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("job");
  return ReadRow(*stmt);
}

Result<bool> SqlJobStore::Insert(const Job& job) {
  // A taken dedupe_key (the partial unique index over jobs not completed) is not an error: the
  // job is queued already. A taken ID still is.
  auto stmt = conn_.Prepare(
      "INSERT INTO jobs (id, kind, payload, dedupe_key, run_at, attempts, lease_owner, "
      "lease_expires_at, last_error, completed_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, "
      "NULL, 0, NULL, NULL, ?6) ON CONFLICT (dedupe_key) WHERE completed_at IS NULL DO NOTHING");
  if (!stmt) return stmt.error();
  stmt->Bind(1, job.id);
  stmt->Bind(2, job.kind);
  stmt->Bind(3, job.payload);
  stmt->Bind(4, job.dedupe_key);
  stmt->Bind(5, job.run_at);
  stmt->Bind(6, job.created_at);
  if (auto r = stmt->Run(); !r) return r.error();
  return conn_.Changes() > 0;
}

Result<std::vector<Job>> SqlJobStore::Claim(std::string_view owner, int64_t now,
                                            int64_t lease_until, int64_t limit,
                                            const std::vector<std::string>& kinds) {
  const std::string only_kinds =
      kinds.empty() ? "" : " AND kind IN (SELECT value FROM json_each(?5))";
  auto stmt = conn_.Prepare(
      std::string("UPDATE jobs SET lease_owner = ?1, lease_expires_at = ?3, attempts = attempts + "
                  "1 WHERE id IN (SELECT id FROM jobs WHERE completed_at IS NULL AND run_at <= ?2 "
                  "AND lease_expires_at < ?2") +
      only_kinds + " ORDER BY run_at, id LIMIT ?4" + std::string(conn_.SkipLocked()) +
      ") RETURNING " + kColumns);
  if (!stmt) return stmt.error();
  stmt->Bind(1, owner);
  stmt->Bind(2, now);
  stmt->Bind(3, lease_until);
  stmt->Bind(4, limit);
  if (!kinds.empty()) stmt->Bind(5, JsonArray(kinds));
  auto out = ReadAll<Job>(*stmt, ReadRow);
  if (!out) return out.error();
  // RETURNING gives the rows in the order they were updated, not the subquery's.
  std::sort(out->begin(), out->end(), [](const Job& a, const Job& b) {
    return std::tie(a.run_at, a.id) < std::tie(b.run_at, b.id);
  });
  return out;
}

Result<void> SqlJobStore::Complete(std::string_view id, std::string_view owner, int64_t now) {
  auto stmt = conn_.Prepare(
      "UPDATE jobs SET completed_at = ?3, lease_expires_at = 0, last_error = NULL WHERE id = ?1 "
      "AND lease_owner = ?2 AND completed_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  stmt->Bind(2, owner);
  stmt->Bind(3, now);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::LeaseLost();
  return {};
}

Result<void> SqlJobStore::Retry(std::string_view id, std::string_view owner, int64_t run_at,
                                std::string_view error) {
  auto stmt = conn_.Prepare(
      "UPDATE jobs SET run_at = ?3, lease_expires_at = 0, last_error = ?4 WHERE id = ?1 AND "
      "lease_owner = ?2 AND completed_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  stmt->Bind(2, owner);
  stmt->Bind(3, run_at);
  stmt->Bind(4, error);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::LeaseLost();
  return {};
}

Result<std::vector<Job>> SqlJobStore::ListDead(std::string_view kind, int64_t limit) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kColumns +
                            " FROM jobs WHERE kind = ?1 AND dead_at IS NOT NULL ORDER BY dead_at "
                            "DESC, id DESC LIMIT ?2");
  if (!stmt) return stmt.error();
  stmt->Bind(1, kind);
  stmt->Bind(2, limit);
  return ReadAll<Job>(*stmt, ReadRow);
}

Result<Backlog> SqlJobStore::DueBacklog(int64_t now) {
  auto stmt = conn_.Prepare(
      "SELECT count(*), min(run_at) FROM jobs WHERE completed_at IS NULL AND run_at <= ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, now);
  auto row = stmt->Step();
  if (!row) return row.error();
  return Backlog{stmt->Int(0), stmt->OptionalInt(1)};
}

Result<void> SqlJobStore::Bury(std::string_view id, std::string_view owner, int64_t now,
                               std::string_view error) {
  auto stmt = conn_.Prepare(
      "UPDATE jobs SET completed_at = ?3, dead_at = ?3, lease_expires_at = 0, last_error = ?4 "
      "WHERE id = ?1 AND lease_owner = ?2 AND completed_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  stmt->Bind(2, owner);
  stmt->Bind(3, now);
  stmt->Bind(4, error);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::LeaseLost();
  return {};
}

Result<int64_t> SqlJobStore::PurgeCompleted(int64_t before) {
  auto stmt = conn_.Prepare(
      "DELETE FROM jobs WHERE completed_at IS NOT NULL AND completed_at < ?1 AND dead_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->Bind(1, before);
  if (auto r = stmt->Run(); !r) return r.error();
  return conn_.Changes();
}

}  // namespace orgd::store::sql
