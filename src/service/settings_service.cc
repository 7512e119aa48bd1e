#include "service/settings_service.h"

#include <boost/json/serialize.hpp>

#include "domain/errors.h"
#include "service/authorization.h"
#include "service/transaction.h"

namespace orgd::service {
namespace {

Result<void> NotNegative(const std::optional<int64_t>& v, std::string_view param) {
  if (v && *v < 0) {
    return errors::ParamInvalid(param, std::string(param) + " must be 0 or greater.");
  }
  return {};
}

}  // namespace

void SettingsService::Get(const RequestContext& ctx, Callback<domain::OrganizationSettings> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kReadSettings); !r) {
    return done(r.error());
  }
  Read<domain::OrganizationSettings>(
      db_, [](store::ReadTransaction& tx) { return tx.settings().Organization(); },
      std::move(done));
}

void SettingsService::Update(const RequestContext& ctx, UpdateSettingsCommand cmd,
                             Callback<domain::OrganizationSettings> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageSettings); !r) {
    return done(r.error());
  }
  for (auto [value, param] : {std::pair{&cmd.max_allowed_memberships, "max_allowed_memberships"},
                              std::pair{&cmd.max_allowed_roles, "max_allowed_roles"},
                              std::pair{&cmd.max_allowed_domains, "max_allowed_domains"}}) {
    if (auto r = NotNegative(*value, param); !r) return done(r.error());
  }
  if (cmd.domains_enrollment_modes) {
    for (const auto& mode : *cmd.domains_enrollment_modes) {
      if (mode != "manual_invitation" && mode != "automatic_invitation" &&
          mode != "automatic_suggestion") {
        return done(errors::ParamInvalid(
            "domains_enrollment_modes",
            "domains_enrollment_modes may contain manual_invitation, automatic_invitation and "
            "automatic_suggestion."));
      }
    }
  }
  Write<domain::OrganizationSettings>(
      db_, ctx,
      [cmd = std::move(cmd), now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects& effects) -> Result<domain::OrganizationSettings> {
        auto s = tx.settings().Organization();
        if (!s) return s.error();
        std::string before = boost::json::serialize(domain::ToJson(*s));
        if (cmd.enabled) s->enabled = *cmd.enabled;
        if (cmd.max_allowed_memberships) s->max_allowed_memberships = *cmd.max_allowed_memberships;
        if (cmd.admin_delete_enabled) s->admin_delete_enabled = *cmd.admin_delete_enabled;
        if (cmd.domains_enabled) s->domains_enabled = *cmd.domains_enabled;
        if (cmd.slug_disabled) s->slug_disabled = *cmd.slug_disabled;
        if (cmd.domains_enrollment_modes)
          s->domains_enrollment_modes = *cmd.domains_enrollment_modes;
        if (cmd.max_allowed_roles) s->max_allowed_roles = *cmd.max_allowed_roles;
        if (cmd.max_allowed_domains) s->max_allowed_domains = *cmd.max_allowed_domains;
        if (cmd.creator_role_id) {
          auto role = tx.roles().Get(*cmd.creator_role_id);
          if (!role) return role.error();
          if (!role->IsCreatorEligible()) return errors::CreatorRoleMissingPermissions();
          s->creator_role = role->key;
        }
        if (cmd.domains_default_role_id) {
          auto role = tx.roles().Get(*cmd.domains_default_role_id);
          if (!role) return role.error();
          s->domains_default_role = role->key;
        }
        if (auto r = tx.settings().PutOrganization(*s); !r) return r.error();
        effects.Audit({.action = "organization_settings.updated",
                       .resource_type = "organization_settings",
                       .resource_id = "organization_settings",
                       .organization_id = std::nullopt,
                       .before = std::move(before),
                       .after = boost::json::serialize(domain::ToJson(*s)),
                       .created_at = now});
        return s;
      },
      std::move(done));
}

}  // namespace orgd::service
