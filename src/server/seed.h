// `orgd seed`: fills a store with generated organizations, users and memberships, through the
// store's own writes in large transactions, for load and scale measurements. IDs are
// deterministic (`<prefix>_` + a 27-digit number) so load scripts can name them:
//   org_000…000           the "big" organization, with big_org_members members (users 1…B)
//   org_000…001 … N-1     the other organizations, members_per_org members each from the pool
//                         of `users` users (user_000…001 …); the first user_orgs of them also
//                         include the "many" user user_000…000999999999
//   user_<1000000000 + i> spare_users users in no organization (for add-member scenarios)
//   org_<2000000000>      an empty, unlimited organization that add-member scenarios fill
// The file must be new (or empty of these IDs): seeding does not update existing rows.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace orgd::server {

struct SeedOptions {
  std::string database;          // sqlite:<path>
  int64_t organizations = 1000;  // including the big one
  int64_t users = 10'000;        // the member pool (the big organization's members come first)
  int64_t members_per_org = 0;   // for every organization but the big one
  int64_t big_org_members = 10'000;
  int64_t user_orgs = 100;  // organizations the "many" user belongs to
  int64_t spare_users = 0;
};

struct SeedReport {
  int64_t organizations = 0;
  int64_t users = 0;
  int64_t memberships = 0;
  double seconds = 0;
};

// Errors: the store's, or kInvalidArgument for inconsistent options.
Result<SeedReport> Seed(const SeedOptions& options);

}  // namespace orgd::server
