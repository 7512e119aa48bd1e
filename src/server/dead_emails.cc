#include "server/dead_emails.h"

#include <boost/json/parse.hpp>

#include "server/open_store.h"
#include "service/invitation_service.h"

namespace orgd::server {

Result<std::vector<DeadEmail>> ListDeadEmails(const std::string& database_url, int64_t limit) {
  auto db = OpenStore(database_url, StoreOptions{.postgres_pool = 1});
  if (!db) return db.error();
  auto jobs =
      store::ReadBlocking<std::vector<store::Job>>(**db, [limit](store::ReadTransaction& tx) {
        return tx.jobs().ListDead(service::kInvitationEmailJob, limit);
      });
  (*db)->Close();
  if (!jobs) return jobs.error();
  std::vector<DeadEmail> out;
  for (const auto& job : *jobs) {
    DeadEmail e;
    e.job_id = job.id;
    boost::system::error_code ec;
    auto payload = boost::json::parse(job.payload, ec);
    if (!ec && payload.is_object() && payload.get_object().contains("invitation_id") &&
        payload.get_object().at("invitation_id").is_string()) {
      e.invitation_id = std::string(payload.get_object().at("invitation_id").get_string());
    }
    e.attempts = job.attempts;
    e.dead_at = job.dead_at.value_or(0);
    e.last_error = job.last_error.value_or("");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace orgd::server
