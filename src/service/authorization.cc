#include "service/authorization.h"

#include <array>

#include "domain/errors.h"

namespace orgd::service {
namespace {

using Scope = OperationPolicy::Scope;

// The table. Organization permissions from BEHAVIOR.md §4.2; metadata writes are the app's
// backend's alone (§4.4: the Frontend API cannot write metadata).
constexpr std::array kPolicies = {
    OperationPolicy{Operation::kListOrganizations, "list organizations", Scope::kInstance, {}},
    OperationPolicy{Operation::kCreateOrganization, "create organization", Scope::kInstance, {}},
    OperationPolicy{Operation::kManageUsers, "manage users", Scope::kInstance, {}},
    OperationPolicy{Operation::kReadUsers, "read users", Scope::kInstance, {}},
    OperationPolicy{Operation::kManageRoles, "manage roles", Scope::kInstance, {}},
    OperationPolicy{Operation::kReadRoles, "read roles", Scope::kInstance, {}},
    OperationPolicy{Operation::kManageSettings, "manage settings", Scope::kInstance, {}},
    OperationPolicy{Operation::kReadSettings, "read settings", Scope::kInstance, {}},
    OperationPolicy{
        Operation::kListAllMemberships, "list memberships of the instance", Scope::kInstance, {}},
    OperationPolicy{
        Operation::kListAllInvitations, "list invitations of the instance", Scope::kInstance, {}},
    OperationPolicy{Operation::kManageSessions, "manage any session", Scope::kInstance, {}},
    OperationPolicy{Operation::kManageSignInTokens, "manage sign-in tokens", Scope::kInstance, {}},
    OperationPolicy{Operation::kReadSigningKeys, "read the JWKS", Scope::kInstance, {}},
    OperationPolicy{Operation::kManageWebhooks, "manage webhooks", Scope::kInstance, {}},
    OperationPolicy{Operation::kReadAuditLog, "read the audit log", Scope::kInstance, {}},
    OperationPolicy{Operation::kReadOrganization, "read organization", Scope::kOrganization, {}},
    OperationPolicy{Operation::kUpdateOrganization, "update organization", Scope::kOrganization,
                    "org:sys_profile:manage"},
    OperationPolicy{Operation::kUpdateOrganizationMetadata,
                    "update organization metadata",
                    Scope::kOrganization,
                    {},
                    /*trusted_only=*/true},
    OperationPolicy{Operation::kManageLogo, "manage logo", Scope::kOrganization,
                    "org:sys_profile:manage"},
    OperationPolicy{Operation::kDeleteOrganization, "delete organization", Scope::kOrganization,
                    "org:sys_profile:delete"},
    OperationPolicy{Operation::kReadMemberships, "read memberships", Scope::kOrganization,
                    "org:sys_memberships:read"},
    OperationPolicy{Operation::kManageMemberships, "manage memberships", Scope::kOrganization,
                    "org:sys_memberships:manage"},
    OperationPolicy{Operation::kUpdateMembershipMetadata,
                    "update membership metadata",
                    Scope::kOrganization,
                    {},
                    /*trusted_only=*/true},
    OperationPolicy{Operation::kReadDomains, "read domains", Scope::kOrganization,
                    "org:sys_domains:read"},
    OperationPolicy{Operation::kManageDomains, "manage domains", Scope::kOrganization,
                    "org:sys_domains:manage"},
    OperationPolicy{Operation::kLeaveOrganization, "leave organization", Scope::kOrganization, {}},
    OperationPolicy{Operation::kReadOrganizationRoles, "read organization roles",
                    Scope::kOrganization, "org:sys_memberships:read"},
};

// The table is indexed by the enum: each row must sit at its operation's position.
constexpr bool TableIsInOrder() {
  for (size_t i = 0; i < kPolicies.size(); ++i) {
    if (static_cast<size_t>(kPolicies[i].operation) != i) return false;
  }
  return true;
}
static_assert(TableIsInOrder(), "kPolicies must list the operations in declaration order");
static_assert(kPolicies.size() == static_cast<size_t>(Operation::kReadOrganizationRoles) + 1,
              "every operation needs a policy");

}  // namespace

const OperationPolicy& PolicyFor(Operation op) { return kPolicies[static_cast<size_t>(op)]; }

const OperationPolicy* AllPolicies(size_t* count) {
  *count = kPolicies.size();
  return kPolicies.data();
}

Result<void> AuthorizeInstance(const Caller& caller, Operation op) {
  if (PolicyFor(op).scope != OperationPolicy::Scope::kInstance) {
    return errors::Internal("AuthorizeInstance for an organization operation");
  }
  if (caller.IsTrusted()) return {};
  return errors::AuthorizationInvalid();
}

Result<void> Authorize(const Caller& caller, Operation op,
                       const std::optional<std::string>& role_in_organization,
                       const PermissionAuthority& authority) {
  if (caller.IsTrusted()) return {};
  const OperationPolicy& policy = PolicyFor(op);
  if (policy.scope == OperationPolicy::Scope::kInstance) return errors::AuthorizationInvalid();
  if (!role_in_organization) return errors::OrganizationNotFoundOrUnauthorized();
  if (policy.trusted_only) return errors::AuthorizationInvalid();
  if (!policy.permission.empty() && !authority.Can(*role_in_organization, policy.permission)) {
    return errors::MissingOrganizationPermission(policy.permission);
  }
  return {};
}

}  // namespace orgd::service
