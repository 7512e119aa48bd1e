#include "service/role_service.h"

#include "domain/errors.h"
#include "domain/text_rules.h"
#include "service/authorization.h"
#include "service/event_payloads.h"
#include "service/lookups.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::Permission;
using domain::Role;

Result<void> CheckName(const std::optional<std::string>& name, bool required) {
  if (!name) return required ? errors::ParamMissing("name") : Ok();
  if (name->empty()) return errors::ParamMissing("name");
  if (name->size() > 256) return errors::ParamTooLong("name", 256);
  return domain::RefuseControlCharacters(*name, "name");
}

Result<void> CheckDescription(const std::optional<std::string>& description) {
  if (!description) return {};
  if (description->size() > 1024) return errors::ParamTooLong("description", 1024);
  return domain::RefuseControlCharacters(*description, "description");
}

Error KeyTaken() {
  return errors::IdentifierExists("key", "That key is taken. Please try another.");
}

template <class T>
Result<T> MapKeyTaken(Result<T> r) {
  if (!r && (store::IsUniqueViolation(r.error(), store::constraint::kRoleKey) ||
             store::IsUniqueViolation(r.error(), store::constraint::kPermissionKey))) {
    return KeyTaken();
  }
  return r;
}

// `before`: the payload before the write (updates), for the audit log.
void RecordRole(Effects& effects, const EventPayloads& payloads, const char* type, const Role& role,
                int64_t now, std::optional<std::string> before = std::nullopt) {
  RecordEvent(effects, type, std::nullopt, role.id, payloads.Role(role), now, std::move(before));
}

void RecordPermission(Effects& effects, const EventPayloads& payloads, const char* type,
                      const Permission& p, int64_t now,
                      std::optional<std::string> before = std::nullopt) {
  RecordEvent(effects, type, std::nullopt, p.id, payloads.Permission(p), now, std::move(before));
}

// role.deleted and permission.deleted: `{object, id, deleted: true}`. Clerk's example has
// `slug: null`, which its schema (a string) refuses; orgd leaves the key out.
void RecordDeleted(Effects& effects, const EventPayloads& payloads, const char* type,
                   std::string_view object, const std::string& id, int64_t now,
                   std::string before) {
  RecordEvent(effects, type, std::nullopt, id, payloads.Deleted({.object = object, .id = id}), now,
              std::move(before));
}

}  // namespace

template <class T, class Work>
void RoleService::WriteRoles(const RequestContext& ctx, Work work, Callback<T> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageRoles); !r) return done(r.error());
  using Out = std::pair<T, std::shared_ptr<const domain::RoleTable>>;
  Write<Out>(
      db_, ctx,
      [work = std::move(work)](store::WriteTransaction& tx, Effects& effects) -> Result<Out> {
        Result<T> value = work(tx, effects);
        if (!value) return value.error();
        auto table = PermissionAuthority::Build(tx);
        if (!table) return table.error();
        return Out{std::move(*value), std::move(*table)};
      },
      [this, done = std::move(done)](Result<Out> out) {
        if (!out) return done(out.error());
        authority_.Publish(std::move(out->second));
        done(std::move(out->first));
      });
}

// ---- permissions ----

void RoleService::CreatePermission(const RequestContext& ctx, PermissionCommand cmd,
                                   Callback<Permission> done) {
  if (auto r = CheckName(cmd.name, true); !r) return done(r.error());
  if (!cmd.key) return done(errors::ParamMissing("key"));
  if (auto r = domain::ValidatePermissionKey(*cmd.key); !r) return done(r.error());
  if (auto r = CheckDescription(cmd.description); !r) return done(r.error());
  Permission p;
  p.id = ids_.New(id_prefix::kPermission);
  p.key = *cmd.key;
  p.name = *cmd.name;
  p.description = cmd.description.value_or("");
  p.type = "user";
  p.created_at = p.updated_at = clock_.NowMillis();
  WriteRoles<Permission>(
      ctx,
      [p, &payloads = payloads_](store::WriteTransaction& tx,
                                 Effects& effects) -> Result<Permission> {
        if (auto r = MapKeyTaken(tx.permissions().Insert(p)); !r) return r.error();
        RecordPermission(effects, payloads, event_type::kPermissionCreated, p, p.created_at);
        return p;
      },
      std::move(done));
}

void RoleService::GetPermission(const RequestContext& ctx, std::string id,
                                Callback<Permission> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kReadRoles); !r) return done(r.error());
  Read<Permission>(
      db_, [id = std::move(id)](store::ReadTransaction& tx) { return tx.permissions().Get(id); },
      std::move(done));
}

void RoleService::ListPermissions(const RequestContext& ctx, store::CatalogListQuery query,
                                  Callback<store::Page<Permission>> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kReadRoles); !r) return done(r.error());
  Read<store::Page<Permission>>(
      db_, [query](store::ReadTransaction& tx) { return tx.permissions().List(query); },
      std::move(done));
}

void RoleService::UpdatePermission(const RequestContext& ctx, std::string id, PermissionCommand cmd,
                                   Callback<Permission> done) {
  if (auto r = CheckName(cmd.name, false); !r) return done(r.error());
  if (cmd.key) {
    if (auto r = domain::ValidatePermissionKey(*cmd.key); !r) return done(r.error());
  }
  if (auto r = CheckDescription(cmd.description); !r) return done(r.error());
  const int64_t now = clock_.NowMillis();
  WriteRoles<Permission>(
      ctx,
      [id = std::move(id), cmd = std::move(cmd), now, &payloads = payloads_](
          store::WriteTransaction& tx, Effects& effects) -> Result<Permission> {
        auto p = tx.permissions().Get(id);
        if (!p) return p.error();
        if (p->IsSystem()) return errors::SystemPermissionNotModifiable();
        std::string before = payloads.Permission(*p);
        if (cmd.name) p->name = *cmd.name;
        if (cmd.key) p->key = *cmd.key;
        if (cmd.description) p->description = *cmd.description;
        p->updated_at = now;
        if (auto r = MapKeyTaken(tx.permissions().Update(*p)); !r) return r.error();
        RecordPermission(effects, payloads, event_type::kPermissionUpdated, *p, now,
                         std::move(before));
        return p;
      },
      std::move(done));
}

void RoleService::DeletePermission(const RequestContext& ctx, std::string id,
                                   Callback<std::string> done) {
  WriteRoles<std::string>(
      ctx,
      [id = std::move(id), now = clock_.NowMillis(), &payloads = payloads_](
          store::WriteTransaction& tx, Effects& effects) -> Result<std::string> {
        auto p = tx.permissions().Get(id);
        if (!p) return p.error();
        if (p->IsSystem()) return errors::SystemPermissionNotModifiable();
        if (auto r = tx.permissions().Delete(id); !r) return r.error();
        RecordDeleted(effects, payloads, event_type::kPermissionDeleted, "permission", id, now,
                      payloads.Permission(*p));
        return id;
      },
      std::move(done));
}

// ---- roles ----

void RoleService::CreateRole(const RequestContext& ctx, RoleCommand cmd, Callback<Role> done) {
  if (auto r = CheckName(cmd.name, true); !r) return done(r.error());
  if (!cmd.key) return done(errors::ParamMissing("key"));
  if (auto r = domain::ValidateRoleKey(*cmd.key); !r) return done(r.error());
  if (auto r = CheckDescription(cmd.description); !r) return done(r.error());
  Role role;
  role.id = ids_.New(id_prefix::kRole);
  role.key = *cmd.key;
  role.name = *cmd.name;
  role.description = cmd.description;
  role.created_at = role.updated_at = clock_.NowMillis();
  for (const auto& id : cmd.permissions.value_or(std::vector<std::string>{})) {
    Permission p;
    p.id = id;
    role.permissions.push_back(std::move(p));
  }
  WriteRoles<Role>(
      ctx,
      [role, &payloads = payloads_](store::WriteTransaction& tx, Effects& effects) -> Result<Role> {
        auto settings = tx.settings().Organization();
        if (!settings) return settings.error();
        auto count = tx.roles().Count();
        if (!count) return count.error();
        if (*count >= settings->max_allowed_roles) {
          return errors::RolesQuotaExceeded(settings->max_allowed_roles);
        }
        if (auto r = MapKeyTaken(tx.roles().Insert(role)); !r) return r.error();
        auto created = tx.roles().Get(role.id);
        if (created) {
          RecordRole(effects, payloads, event_type::kRoleCreated, *created, role.created_at);
        }
        return created;
      },
      std::move(done));
}

void RoleService::GetRole(const RequestContext& ctx, std::string id, Callback<Role> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kReadRoles); !r) return done(r.error());
  Read<Role>(
      db_, [id = std::move(id)](store::ReadTransaction& tx) { return tx.roles().Get(id); },
      std::move(done));
}

void RoleService::ListRoles(const RequestContext& ctx, store::CatalogListQuery query,
                            Callback<store::Page<Role>> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kReadRoles); !r) return done(r.error());
  Read<store::Page<Role>>(
      db_, [query](store::ReadTransaction& tx) { return tx.roles().List(query); }, std::move(done));
}

void RoleService::ListForOrganization(const RequestContext& ctx, std::string organization_id,
                                      store::CatalogListQuery query,
                                      Callback<store::Page<Role>> done) {
  Read<store::Page<Role>>(
      db_,
      [organization_id = std::move(organization_id), query,
       access = OrganizationAccess(ctx.caller, authority_)](
          store::ReadTransaction& tx) -> Result<store::Page<Role>> {
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kReadOrganizationRoles, org->id); !r) {
          return r.error();
        }
        return tx.roles().List(query);
      },
      std::move(done));
}

void RoleService::UpdateRole(const RequestContext& ctx, std::string id, RoleCommand cmd,
                             Callback<Role> done) {
  if (auto r = CheckName(cmd.name, false); !r) return done(r.error());
  if (cmd.key) {
    if (auto r = domain::ValidateRoleKey(*cmd.key); !r) return done(r.error());
  }
  if (auto r = CheckDescription(cmd.description); !r) return done(r.error());
  const int64_t now = clock_.NowMillis();
  WriteRoles<Role>(
      ctx,
      [id = std::move(id), cmd = std::move(cmd), now, &payloads = payloads_](
          store::WriteTransaction& tx, Effects& effects) -> Result<Role> {
        auto role = tx.roles().Get(id);
        if (!role) return role.error();
        std::string before = payloads.Role(*role);
        const std::string old_key = role->key;
        if (cmd.name) role->name = *cmd.name;
        if (cmd.key) role->key = *cmd.key;
        if (cmd.description) role->description = cmd.description;
        role->updated_at = now;
        if (auto r = MapKeyTaken(tx.roles().Update(*role)); !r) return r.error();
        if (cmd.permissions) {
          if (auto r = tx.roles().SetPermissions(id, *cmd.permissions); !r) return r.error();
        }
        if (role->key != old_key) {
          // Memberships follow through their foreign key; invitations and the settings name
          // roles by key too.
          if (auto r = tx.invitations().RenameRole(old_key, role->key); !r) return r.error();
          auto settings = tx.settings().Organization();
          if (!settings) return settings.error();
          if (settings->creator_role == old_key) settings->creator_role = role->key;
          if (settings->domains_default_role == old_key) settings->domains_default_role = role->key;
          if (auto r = tx.settings().PutOrganization(*settings); !r) return r.error();
        }
        auto updated = tx.roles().Get(id);
        if (!updated) return updated.error();
        auto settings = tx.settings().Organization();
        if (!settings) return settings.error();
        if (settings->creator_role == updated->key && !updated->IsCreatorEligible()) {
          return errors::CreatorRoleMissingPermissions();
        }
        RecordRole(effects, payloads, event_type::kRoleUpdated, *updated, now, std::move(before));
        return updated;
      },
      std::move(done));
}

void RoleService::DeleteRole(const RequestContext& ctx, std::string id,
                             Callback<std::string> done) {
  const int64_t now = clock_.NowMillis();
  WriteRoles<std::string>(
      ctx,
      [id = std::move(id), now, &payloads = payloads_](store::WriteTransaction& tx,
                                                       Effects& effects) -> Result<std::string> {
        auto role = tx.roles().Get(id);
        if (!role) return role.error();
        auto settings = tx.settings().Organization();
        if (!settings) return settings.error();
        if (settings->creator_role == role->key) return errors::RoleIsCreatorRole();
        if (settings->domains_default_role == role->key) return errors::RoleIsDomainDefaultRole();
        auto offered = tx.invitations().CountPendingWithRole(role->key, now);
        if (!offered) return offered.error();
        if (*offered > 0) return errors::RoleExistsInInvitations();
        auto r = tx.roles().Delete(id);
        if (!r) {
          return r.error().store_reason == StoreReason::kInUse ? errors::RoleAssignedToMembers()
                                                               : r.error();
        }
        RecordDeleted(effects, payloads, event_type::kRoleDeleted, "role", id, now,
                      payloads.Role(*role));
        return id;
      },
      std::move(done));
}

void RoleService::AddPermission(const RequestContext& ctx, std::string role_id,
                                std::string permission_id, Callback<Role> done) {
  WriteRoles<Role>(
      ctx,
      [role_id = std::move(role_id), permission_id = std::move(permission_id),
       now = clock_.NowMillis(),
       &payloads = payloads_](store::WriteTransaction& tx, Effects& effects) -> Result<Role> {
        auto old = tx.roles().Get(role_id);
        if (!old) return old.error();
        if (auto r = tx.roles().AddPermission(role_id, permission_id); !r) {
          return store::IsUniqueViolation(r.error(), store::constraint::kRolePermission)
                     ? errors::RolePermissionExists()
                     : r.error();
        }
        auto role = tx.roles().Get(role_id);
        if (role) {
          RecordRole(effects, payloads, event_type::kRoleUpdated, *role, now, payloads.Role(*old));
        }
        return role;
      },
      std::move(done));
}

void RoleService::RemovePermission(const RequestContext& ctx, std::string role_id,
                                   std::string permission_id, Callback<Role> done) {
  WriteRoles<Role>(
      ctx,
      [role_id = std::move(role_id), permission_id = std::move(permission_id),
       now = clock_.NowMillis(),
       &payloads = payloads_](store::WriteTransaction& tx, Effects& effects) -> Result<Role> {
        auto old = tx.roles().Get(role_id);
        if (!old) return old.error();
        if (auto p = tx.permissions().Get(permission_id); !p) return p.error();
        if (auto r = tx.roles().RemovePermission(role_id, permission_id); !r) {
          return r.error().store_reason == StoreReason::kNotFound ? errors::RolePermissionNotFound()
                                                                  : r.error();
        }
        auto role = tx.roles().Get(role_id);
        if (!role) return role.error();
        auto settings = tx.settings().Organization();
        if (!settings) return settings.error();
        if (settings->creator_role == role->key && !role->IsCreatorEligible()) {
          return errors::CreatorRoleMissingPermissions();
        }
        RecordRole(effects, payloads, event_type::kRoleUpdated, *role, now, payloads.Role(*old));
        return role;
      },
      std::move(done));
}

}  // namespace orgd::service
