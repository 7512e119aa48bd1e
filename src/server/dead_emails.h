// `orgd emails --dead`: the invitation emails that gave up (retried for 24 h without the mail
// server taking them), as an operator reads them.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace orgd::server {

struct DeadEmail {
  std::string job_id;
  std::string invitation_id;
  int64_t attempts = 0;
  int64_t dead_at = 0;  // ms
  std::string last_error;
};

// At most `limit`, newest first. Errors: the store's (OpenStore).
Result<std::vector<DeadEmail>> ListDeadEmails(const std::string& database_url, int64_t limit);

}  // namespace orgd::server
