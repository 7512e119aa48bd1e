// Roles, permissions and the instance settings in a store transaction. Implementations:
// store/sql (on SQLite and PostgreSQL). Every write to roles or permissions also advances
// the roles version (SettingsReader::RolesVersion), so each process can tell its in-memory
// RoleTable is stale.
//
// Thread safety: readers and writers belong to one transaction and are used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/organization_settings.h"
#include "domain/roles.h"
#include "store/page.h"

namespace orgd::store {

enum class CatalogSortField { kCreatedAt, kName, kKey };

// A list of roles or permissions.
struct CatalogListQuery {
  int64_t limit = 10;
  int64_t offset = 0;
  // The exact ID, or a case-insensitive substring of the name or the key.
  std::optional<std::string> query;
  CatalogSortField sort = CatalogSortField::kCreatedAt;
  SortDirection direction = SortDirection::kDescending;
};

class PermissionReader {
 public:
  virtual ~PermissionReader() = default;
  // Returns kNotFound when no permission has this ID.
  virtual Result<domain::Permission> Get(std::string_view id) = 0;
  virtual Result<Page<domain::Permission>> List(const CatalogListQuery& query) = 0;
};

class PermissionWriter : public PermissionReader {
 public:
  // Returns kUniqueViolation (constraint::kPermissionKey) when the key is taken.
  virtual Result<void> Insert(const domain::Permission& permission) = 0;
  // Overwrites key, name, description, updated_at. kNotFound; kUniqueViolation (kPermissionKey).
  virtual Result<void> Update(const domain::Permission& permission) = 0;
  // Removes the permission from every role too. kNotFound.
  virtual Result<void> Delete(std::string_view id) = 0;
};

class RoleReader {
 public:
  virtual ~RoleReader() = default;
  // Returns kNotFound when no role has this ID.
  virtual Result<domain::Role> Get(std::string_view id) = 0;
  virtual Result<domain::Role> GetByKey(std::string_view key) = 0;
  virtual Result<Page<domain::Role>> List(const CatalogListQuery& query) = 0;
  // Every role with its permissions (for the in-memory RoleTable).
  virtual Result<std::vector<domain::Role>> All() = 0;
  virtual Result<int64_t> Count() = 0;
  // How many memberships hold the role.
  virtual Result<int64_t> CountHolders(std::string_view key) = 0;
};

class RoleWriter : public RoleReader {
 public:
  // Stores the role and grants it `role.permissions` (by ID). kUniqueViolation
  // (constraint::kRoleKey); kNotFound
  // ("permission") when a permission ID does not exist.
  virtual Result<void> Insert(const domain::Role& role) = 0;
  // Overwrites key (memberships follow), name, description, updated_at. kNotFound;
  // kUniqueViolation (kRoleKey).
  virtual Result<void> Update(const domain::Role& role) = 0;
  // Makes the role grant exactly these permissions. kNotFound ("permission").
  virtual Result<void> SetPermissions(std::string_view role_id,
                                      const std::vector<std::string>& permission_ids) = 0;
  // kUniqueViolation (constraint::kRolePermission) when granted already.
  virtual Result<void> AddPermission(std::string_view role_id, std::string_view permission_id) = 0;
  // kNotFound when not granted.
  virtual Result<void> RemovePermission(std::string_view role_id,
                                        std::string_view permission_id) = 0;
  // kNotFound; kInUse (constraint::kRoleHeldByMembers) when memberships hold it.
  virtual Result<void> Delete(std::string_view id) = 0;
};

class SettingsReader {
 public:
  virtual ~SettingsReader() = default;
  virtual Result<domain::OrganizationSettings> Organization() = 0;
  // Advances with every write to roles or permissions.
  virtual Result<int64_t> RolesVersion() = 0;
};

class SettingsWriter : public SettingsReader {
 public:
  virtual Result<void> PutOrganization(const domain::OrganizationSettings& settings) = 0;
  // The instance secret called `name` (a signing key kept in the store, so every node has it):
  // stores `if_absent` when there is none yet (the first writer wins a race) and returns what is
  // stored.
  virtual Result<std::string> Secret(std::string_view name, std::string_view if_absent) = 0;
};

}  // namespace orgd::store
