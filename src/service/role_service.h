// RoleService: the instance's roles and permissions (BEHAVIOR.md §3.5). Every change is one write
// transaction that also builds the new RoleTable, published to the PermissionAuthority when the
// change commits.
//
// Webhook events, each in the transaction of its change (service/event_payloads.h):
// permission.created, .updated, .deleted and role.created, .updated (fields, its set of
// permissions, a permission added or removed), .deleted. A permission's change or deletion records
// no role.updated for the roles that hold it: an app that keeps roles' permissions applies
// permission.updated and .deleted to them.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "domain/roles.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/permission_authority.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

struct PermissionCommand {
  std::optional<std::string> name;  // required on create
  std::optional<std::string> key;   // required on create; org:<feature>:<action>
  std::optional<std::string> description;
};

struct RoleCommand {
  std::optional<std::string> name;  // required on create
  std::optional<std::string> key;   // required on create; org:<name>
  std::optional<std::string> description;
  // Permission IDs; on update, present means "exactly these".
  std::optional<std::vector<std::string>> permissions;
};

class RoleService {
 public:
  // REQUIRES: every argument outlives the service.
  RoleService(store::Database& db, const Clock& clock, IdGenerator& ids,
              PermissionAuthority& authority, const EventPayloads& payloads)
      : db_(db), clock_(clock), ids_(ids), authority_(authority), payloads_(payloads) {}

  // Roles and permissions are the instance's: every method needs a trusted caller (403
  // authorization_invalid otherwise, service/authorization.h).
  //
  // Errors: form_param_missing; form_param_format_invalid for a bad or reserved key;
  // form_identifier_exists for a taken key.
  void CreatePermission(const RequestContext& ctx, PermissionCommand cmd,
                        Callback<domain::Permission> done);
  void GetPermission(const RequestContext& ctx, std::string id, Callback<domain::Permission> done);
  void ListPermissions(const RequestContext& ctx, store::CatalogListQuery query,
                       Callback<store::Page<domain::Permission>> done);
  // System permissions: 403 organization_system_permission_not_modifiable.
  void UpdatePermission(const RequestContext& ctx, std::string id, PermissionCommand cmd,
                        Callback<domain::Permission> done);
  void DeletePermission(const RequestContext& ctx, std::string id, Callback<std::string> done);

  // Errors as for permissions, plus 403 organization_instance_roles_quota_exceeded and 404 for
  // an unknown permission ID.
  void CreateRole(const RequestContext& ctx, RoleCommand cmd, Callback<domain::Role> done);
  void GetRole(const RequestContext& ctx, std::string id, Callback<domain::Role> done);
  void ListRoles(const RequestContext& ctx, store::CatalogListQuery query,
                 Callback<store::Page<domain::Role>> done);
  // The roles a member of `organization_id` may see and assign (the Frontend API's getRoles):
  // org:sys_memberships:read there (404 organization_not_found_or_unauthorized for a
  // non-member).
  void ListForOrganization(const RequestContext& ctx, std::string organization_id,
                           store::CatalogListQuery query, Callback<store::Page<domain::Role>> done);
  // A new key follows into memberships and the instance settings.
  void UpdateRole(const RequestContext& ctx, std::string id, RoleCommand cmd,
                  Callback<domain::Role> done);
  // 422 when the role is the creator role, the domains' default role, or held by members.
  void DeleteRole(const RequestContext& ctx, std::string id, Callback<std::string> done);
  // 409 organization_role_permission_association_exists / 404 …_not_found.
  void AddPermission(const RequestContext& ctx, std::string role_id, std::string permission_id,
                     Callback<domain::Role> done);
  void RemovePermission(const RequestContext& ctx, std::string role_id, std::string permission_id,
                        Callback<domain::Role> done);

 private:
  // Runs `work(tx, effects)` as a roles write: the new RoleTable is built in the same
  // transaction and published once it commits.
  template <class T, class Work>
  void WriteRoles(const RequestContext& ctx, Work work, Callback<T> done);

  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  PermissionAuthority& authority_;
  const EventPayloads& payloads_;
};

}  // namespace orgd::service
