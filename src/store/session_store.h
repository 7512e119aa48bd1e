// The session part of a store transaction (implementation: store/sql, on SQLite and
// PostgreSQL). Failures are typed (store/store_errors.h).
//
// Thread safety: a SessionReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/session.h"
#include "store/page.h"

namespace orgd::store {

struct SessionListQuery {
  int64_t limit = 10;
  int64_t offset = 0;
  int64_t now = 0;  // ms: what "active", "expired" and "abandoned" mean
  std::optional<std::string> user_id;
  std::optional<std::string> client_id;
  std::optional<std::string> status;  // as Session::Status(now) shows it; absent: all
};

class SessionReader {
 public:
  virtual ~SessionReader() = default;
  // kNotFound ("session") when no session has this ID.
  virtual Result<domain::Session> Get(std::string_view id) = 0;
  // One page, newest first (ties broken by ID), and the number matching.
  virtual Result<Page<domain::Session>> List(const SessionListQuery& query) = 0;
};

class SessionWriter : public SessionReader {
 public:
  virtual Result<void> Insert(const domain::Session& session) = 0;
  // Overwrites status, last_active_organization_id, last_active_at, abandon_at and updated_at.
  // kNotFound when it does not exist.
  virtual Result<void> Update(const domain::Session& session) = 0;
  // Clears the active organization of the user's sessions that have `organization_id` active
  // (the user left it). Deleting an organization clears it by itself (ON DELETE SET NULL).
  virtual Result<void> ClearActiveOrganization(std::string_view organization_id,
                                               std::string_view user_id, int64_t now) = 0;
  // Ends every session of the user that is still active as stored (the user was deleted), and
  // returns them as ended (status ended, no active organization, updated_at `now`), oldest first.
  virtual Result<std::vector<domain::Session>> EndForUser(std::string_view user_id,
                                                          int64_t now) = 0;
};

}  // namespace orgd::store
