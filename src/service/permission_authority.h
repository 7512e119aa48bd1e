// PermissionAuthority: the one place that answers "may a member with role R do P" (and "what
// does role R grant"), from memory.
//
// It holds an immutable domain::RoleTable built from the store, tagged with the store's roles
// version. Every role or permission write in this process builds the new table inside its own
// write transaction and publishes it when it commits (Publish keeps the newest version), so
// answers are exact after each acknowledged change. Another process's changes are picked up by
// RefreshIfStale(), which compares the stored version (one indexed read) and reloads when it
// moved; server/app.cc calls it whenever the store reports that another process may have changed
// shared state (Database::OnSharedStateChanged: a PostgreSQL notification, a reconnect, a timer).
//
// Thread safety: every method may be called from any thread; Current() is a lock-free-for-readers
// shared_ptr copy under a short mutex.
#pragma once

#include <memory>
#include <mutex>
#include <string_view>

#include "common/result.h"
#include "domain/roles.h"
#include "store/database.h"

namespace orgd::service {

class PermissionAuthority {
 public:
  // REQUIRES: `db` outlives the authority. Starts with an empty table; call Load() before use.
  explicit PermissionAuthority(store::Database& db);

  // Builds the table from the store, blocking until it is read (at start-up).
  Result<void> Load();
  // Reloads when the stored roles version differs from the current table's. Blocking.
  Result<void> RefreshIfStale();
  // Installs `table` unless the current one is as new or newer.
  void Publish(std::shared_ptr<const domain::RoleTable> table);

  std::shared_ptr<const domain::RoleTable> Current() const;
  bool Can(std::string_view role_key, std::string_view permission_key) const {
    return Current()->Can(role_key, permission_key);
  }

  // Reads every role and the version in `tx` (a read or write transaction).
  template <class Transaction>
  static Result<std::shared_ptr<const domain::RoleTable>> Build(Transaction& tx) {
    auto version = tx.settings().RolesVersion();
    if (!version) return version.error();
    auto roles = tx.roles().All();
    if (!roles) return roles.error();
    return std::make_shared<const domain::RoleTable>(*roles, *version);
  }

 private:
  store::Database& db_;
  mutable std::mutex mu_;
  std::shared_ptr<const domain::RoleTable> table_;  // GUARDED_BY(mu_)
};

}  // namespace orgd::service
