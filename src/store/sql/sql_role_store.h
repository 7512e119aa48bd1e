// SqlRoleStore, SqlPermissionStore, SqlSettingsStore: the `roles`, `role_permissions`,
// `permissions` and `instance_settings` tables.
//
// Thread safety: as the Connection they wrap (one thread at a time).
#pragma once

#include "store/role_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlPermissionStore final : public PermissionWriter {
 public:
  explicit SqlPermissionStore(Connection& conn) : conn_(conn) {}
  Result<domain::Permission> Get(std::string_view id) override;
  Result<Page<domain::Permission>> List(const CatalogListQuery& query) override;
  Result<void> Insert(const domain::Permission& permission) override;
  Result<void> Update(const domain::Permission& permission) override;
  Result<void> Delete(std::string_view id) override;

 private:
  Connection& conn_;
};

class SqlRoleStore final : public RoleWriter {
 public:
  explicit SqlRoleStore(Connection& conn) : conn_(conn) {}
  Result<domain::Role> Get(std::string_view id) override;
  Result<domain::Role> GetByKey(std::string_view key) override;
  Result<Page<domain::Role>> List(const CatalogListQuery& query) override;
  Result<std::vector<domain::Role>> All() override;
  Result<int64_t> Count() override;
  Result<int64_t> CountHolders(std::string_view key) override;
  Result<void> Insert(const domain::Role& role) override;
  Result<void> Update(const domain::Role& role) override;
  Result<void> SetPermissions(std::string_view role_id,
                              const std::vector<std::string>& permission_ids) override;
  Result<void> AddPermission(std::string_view role_id, std::string_view permission_id) override;
  Result<void> RemovePermission(std::string_view role_id, std::string_view permission_id) override;
  Result<void> Delete(std::string_view id) override;

 private:
  Result<domain::Role> GetWhere(std::string_view column, std::string_view value);
  Result<void> LoadPermissions(std::vector<domain::Role>& roles);

  Connection& conn_;
};

class SqlSettingsStore final : public SettingsWriter {
 public:
  explicit SqlSettingsStore(Connection& conn) : conn_(conn) {}
  Result<domain::OrganizationSettings> Organization() override;
  Result<int64_t> RolesVersion() override;
  Result<void> PutOrganization(const domain::OrganizationSettings& settings) override;
  Result<std::string> Secret(std::string_view name, std::string_view if_absent) override;

 private:
  Connection& conn_;
};

// Advances the roles version; every role or permission write calls it.
Result<void> BumpRolesVersion(Connection& conn);

}  // namespace orgd::store::sql
