// SettingsService: the instance's organization settings (BEHAVIOR.md §3.6). Changes take effect
// on the next request that reads them (each organization create reads them in its transaction).
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "domain/organization_settings.h"
#include "service/callback.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

struct UpdateSettingsCommand {
  std::optional<bool> enabled;
  std::optional<int64_t> max_allowed_memberships;  // >= 0
  std::optional<bool> admin_delete_enabled;
  std::optional<bool> domains_enabled;
  std::optional<bool> slug_disabled;
  std::optional<std::vector<std::string>> domains_enrollment_modes;
  std::optional<std::string> creator_role_id;          // a role ID, answered as its key
  std::optional<std::string> domains_default_role_id;  // a role ID, answered as its key
  // orgd extensions (Clerk sets these per plan): instance quotas, >= 0.
  std::optional<int64_t> max_allowed_roles;
  std::optional<int64_t> max_allowed_domains;
};

class SettingsService {
 public:
  // REQUIRES: `clock` outlives the service (it dates the audit entries).
  SettingsService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The settings are the instance's: both methods need a trusted caller (403
  // authorization_invalid otherwise, service/authorization.h).
  void Get(const RequestContext& ctx, Callback<domain::OrganizationSettings> done);
  // Errors: form_param_value_invalid for negative limits or unknown enrollment modes; 404 for an
  // unknown role ID; 422 organization_missing_creator_role_permissions when the new creator role
  // lacks the creator permissions.
  void Update(const RequestContext& ctx, UpdateSettingsCommand cmd,
              Callback<domain::OrganizationSettings> done);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace orgd::service
