// `orgd import --from-bapi URL --secret-key-file F`: the way off Clerk (or off another orgd).
// Pages through a Clerk-compatible Backend API with its secret key — organization permissions and
// roles, users with their email addresses and phone numbers, organizations with their logos, and
// each organization's memberships and invitations — and imports what it read into an empty store
// with every ID and timestamp as the source gave them (server/export_command.h's ImportRows).
//
// Everything is read before the store is written, so the import is one transaction and a failed
// read writes nothing. Lists are paged by offset, as Clerk's are: take the import while the source
// is quiet (writes during it may be missed or seen twice, and a duplicate is refused). Not carried,
// because no Backend API lists them: sessions, signing keys, webhook endpoints (Clerk's live in
// Svix), instance settings, users' profile images, organization domains.
//
// The secret key goes to the API's own host only: logos are fetched without it, at most 10 MB each.
#pragma once

#include <string>

#include "common/result.h"
#include "server/export_command.h"

namespace orgd::server {

struct BapiImportOptions {
  std::string api_url;          // e.g. https://api.clerk.com (the /v1 paths are appended)
  std::string secret_key_file;  // holds the sk_… key, one line
  std::string database_url;     // the empty store
  int page_size = 100;
};

Result<TransferReport> ImportFromBapi(const BapiImportOptions& options);

}  // namespace orgd::server
