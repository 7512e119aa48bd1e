#include "service/membership_service.h"

#include <algorithm>
#include <unordered_map>

#include "domain/errors.h"
#include "domain/roles.h"
#include "service/authorization.h"
#include "service/field_rules.h"
#include "service/lookups.h"
#include "service/transaction.h"
#include "service/user_filter.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::Membership;

// Joins a membership with its organization, user and role, in the same transaction.
template <class Transaction>
Result<MembershipView> View(Transaction& tx, Membership membership) {
  auto org = tx.organizations().Get(membership.organization_id);
  if (!org) return org.error();
  auto user = tx.users().Get(membership.user_id);
  if (!user) return user.error();
  auto role = tx.roles().GetByKey(membership.role);
  if (!role) return role.error();
  return MembershipView{std::move(membership), std::move(*org), std::move(*user), std::move(*role)};
}

// The keys of the roles that hold the minimum permissions, read in this transaction.
Result<std::vector<std::string>> CreatorEligibleRoles(store::WriteTransaction& tx) {
  auto roles = tx.roles().All();
  if (!roles) return roles.error();
  std::vector<std::string> keys;
  for (const auto& role : *roles) {
    if (role.IsCreatorEligible()) keys.push_back(role.key);
  }
  return keys;
}

// Refuses a change that would leave members but no member with the minimum permissions.
// `leaving` is the membership that stops holding its role (removed or demoted to `next_role`).
Result<void> KeepAnAdmin(store::WriteTransaction& tx, const Membership& leaving,
                         std::optional<std::string_view> next_role, int64_t members_after) {
  if (members_after == 0) return {};
  auto eligible = CreatorEligibleRoles(tx);
  if (!eligible) return eligible.error();
  auto holds = [&](std::string_view key) {
    return std::find(eligible->begin(), eligible->end(), key) != eligible->end();
  };
  if (!holds(leaving.role) || (next_role && holds(*next_role))) return {};
  auto admins = tx.memberships().CountWithRoles(leaving.organization_id, *eligible);
  if (!admins) return admins.error();
  if (*admins <= 1) return errors::MinimumPermissionsNeeded();
  return {};
}

// Records `type` (an organizationMembership event) for `view`, as the write leaves it.
void RecordMembership(Effects& effects, const EventPayloads& payloads, const char* type,
                      const MembershipView& view, int64_t now,
                      const MembershipView* before = nullptr) {
  RecordEvent(effects, type, view.membership.organization_id, view.membership.id,
              payloads.Membership(view), now,
              before ? std::optional<std::string>(payloads.Membership(*before)) : std::nullopt);
}

// The membership a write changes, once the caller may do `op` in its organization.
Result<Membership> GetMembership(store::WriteTransaction& tx, const OrganizationAccess& access,
                                 Operation op, const std::string& organization_id,
                                 const std::string& user_id) {
  if (auto org = GetOrganizationById(tx, organization_id); !org) return org.error();
  if (auto r = access.Check(tx, op, organization_id); !r) {
    return r.error();
  }
  return tx.memberships().Get(organization_id, user_id);
}

}  // namespace

void MembershipService::Create(const RequestContext& ctx, std::string organization_id,
                               CreateMembershipCommand cmd, Callback<MembershipView> done) {
  auto build = [&]() -> Result<Membership> {
    if (!cmd.user_id) return errors::ParamMissing("user_id");
    if (!cmd.role) return errors::ParamMissing("role");
    if (cmd.role->empty()) return errors::ParamMissing("role");
    if (auto r = CheckRoleKnown(*cmd.role); !r) return r.error();
    Membership m;
    m.id = ids_.New(id_prefix::kMembership);
    m.organization_id = std::move(organization_id);
    m.user_id = *cmd.user_id;
    m.role = *cmd.role;
    auto pub = InitialMetadata(cmd.public_metadata, "public_metadata");
    if (!pub) return pub.error();
    m.public_metadata = std::move(*pub);
    auto priv = InitialMetadata(cmd.private_metadata, "private_metadata");
    if (!priv) return priv.error();
    m.private_metadata = std::move(*priv);
    m.created_at = m.updated_at = clock_.NowMillis();
    return m;
  };
  auto membership = build();
  if (!membership) return done(membership.error());
  // Every write to an organization's memberships updates its member count: one at a time.
  std::string contention = membership->organization_id;
  WriteContended<MembershipView>(
      db_, std::move(contention), ctx,
      [m = std::move(*membership), access = OrganizationAccess(ctx.caller, authority_),
       &payloads = payloads_](store::WriteTransaction& tx,
                              Effects& effects) -> Result<MembershipView> {
        auto org = GetOrganizationById(tx, m.organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kManageMemberships, org->id); !r) {
          return r.error();
        }
        auto user = tx.users().Get(m.user_id);
        if (!user) return user.error();
        auto role = tx.roles().GetByKey(m.role);
        if (!role) return role.error();
        if (auto r = tx.memberships().Insert(m); !r) {
          if (store::IsUniqueViolation(r.error(), store::constraint::kMembership)) {
            return errors::AlreadyMember(m.user_id);
          }
          if (r.error().store_reason == StoreReason::kLimitReached) {
            return errors::MembershipQuotaExceeded(org->max_allowed_memberships);
          }
          return r.error();
        }
        org->members_count += 1;
        MembershipView view{m, std::move(*org), std::move(*user), std::move(*role)};
        RecordMembership(effects, payloads, event_type::kMembershipCreated, view, m.created_at);
        return view;
      },
      std::move(done));
}

Result<store::Page<MembershipView>> ReadMembershipViews(store::ReadTransaction& tx,
                                                        const store::MembershipListQuery& query,
                                                        int64_t count_pending_at) {
  auto page = tx.memberships().List(query);
  if (!page) return page.error();
  store::Page<MembershipView> out;
  out.total_count = page->total_count;
  out.data.reserve(page->data.size());
  // A page often repeats one organization (a member list) or one user (a user's list).
  std::unordered_map<std::string, domain::Organization> orgs;
  std::unordered_map<std::string, domain::User> users;
  std::unordered_map<std::string, domain::Role> roles;
  // The page's users in one batch (not one lookup per member).
  std::vector<std::string> user_ids;
  for (const auto& m : page->data) user_ids.push_back(m.user_id);
  auto loaded_users = tx.users().GetMany(user_ids);
  if (!loaded_users) return loaded_users.error();
  for (auto& user : *loaded_users) {
    std::string id = user.id;
    users.emplace(std::move(id), std::move(user));
  }
  for (auto& m : page->data) {
    auto role = roles.find(m.role);
    if (role == roles.end()) {
      auto loaded = tx.roles().GetByKey(m.role);
      if (!loaded) return loaded.error();
      role = roles.emplace(m.role, std::move(*loaded)).first;
    }
    auto org = orgs.find(m.organization_id);
    if (org == orgs.end()) {
      auto loaded = tx.organizations().Get(m.organization_id);
      if (!loaded) return loaded.error();
      org = orgs.emplace(m.organization_id, std::move(*loaded)).first;
    }
    auto user = users.find(m.user_id);
    if (user == users.end()) return errors::Internal("member without a user: " + m.user_id);
    out.data.push_back(MembershipView{std::move(m), org->second, user->second, role->second});
  }
  if (count_pending_at > 0 && !out.data.empty()) {
    std::vector<std::string> org_ids;
    for (const auto& [id, org] : orgs) org_ids.push_back(id);
    auto pending = tx.invitations().CountPending(org_ids, count_pending_at);
    if (!pending) return pending.error();
    for (auto& view : out.data) {
      auto it = pending->find(view.organization.id);
      view.organization.pending_invitations_count = it == pending->end() ? 0 : it->second;
    }
  }
  return out;
}

void MembershipService::List(const RequestContext& ctx, store::MembershipListQuery query,
                             Callback<store::Page<MembershipView>> done,
                             bool count_pending_invitations) {
  // A list of one organization's members is that organization's business; any other list (a
  // user's memberships, the instance's) is the instance's.
  if (!query.organization_id && !IsSelf(ctx.caller, query.user_id.value_or(""))) {
    if (auto r = AuthorizeInstance(ctx.caller, Operation::kListAllMemberships); !r) {
      return done(r.error());
    }
  }
  NormalizeUserFilter(query.members);
  const int64_t count_pending_at = count_pending_invitations ? clock_.NowMillis() : 0;
  Read<store::Page<MembershipView>>(
      db_,
      [query = std::move(query), access = OrganizationAccess(ctx.caller, authority_),
       count_pending_at](store::ReadTransaction& tx) -> Result<store::Page<MembershipView>> {
        if (query.organization_id) {
          if (auto org = GetOrganizationById(tx, *query.organization_id); !org) return org.error();
          if (auto r = access.Check(tx, Operation::kReadMemberships, *query.organization_id); !r) {
            return r.error();
          }
        }
        if (query.user_id) {
          if (auto user = tx.users().Get(*query.user_id); !user) return user.error();
        }
        return ReadMembershipViews(tx, query, count_pending_at);
      },
      std::move(done));
}

void MembershipService::UpdateRole(const RequestContext& ctx, std::string organization_id,
                                   std::string user_id, std::optional<std::string> role,
                                   Callback<MembershipView> done) {
  if (!role || role->empty()) return done(errors::ParamMissing("role"));
  if (auto r = CheckRoleKnown(*role); !r) return done(r.error());
  const int64_t now = clock_.NowMillis();
  std::string contention = organization_id;
  WriteContended<MembershipView>(
      db_, std::move(contention), ctx,
      [organization_id = std::move(organization_id), user_id = std::move(user_id),
       role = std::move(*role), now, access = OrganizationAccess(ctx.caller, authority_),
       &payloads = payloads_](store::WriteTransaction& tx,
                              Effects& effects) -> Result<MembershipView> {
        auto m = GetMembership(tx, access, Operation::kManageMemberships, organization_id, user_id);
        if (!m) return m.error();
        if (auto next = tx.roles().GetByKey(role); !next) return next.error();
        auto before = View(tx, *m);
        if (!before) return before.error();
        if (m->role != role) {
          if (auto r = KeepAnAdmin(tx, *m, role, /*members_after=*/1); !r) return r.error();
          m->role = role;
        }
        m->updated_at = now;
        if (auto r = tx.memberships().Update(*m); !r) return r.error();
        auto view = View(tx, std::move(*m));
        if (view) {
          RecordMembership(effects, payloads, event_type::kMembershipUpdated, *view, now, &*before);
        }
        return view;
      },
      std::move(done));
}

void MembershipService::MergeMetadata(const RequestContext& ctx, std::string organization_id,
                                      std::string user_id, MembershipMetadataCommand cmd,
                                      Callback<MembershipView> done) {
  const int64_t now = clock_.NowMillis();
  std::string contention = organization_id;
  WriteContended<MembershipView>(
      db_, std::move(contention), ctx,
      [organization_id = std::move(organization_id), user_id = std::move(user_id),
       cmd = std::move(cmd), now, access = OrganizationAccess(ctx.caller, authority_),
       &payloads = payloads_](store::WriteTransaction& tx,
                              Effects& effects) -> Result<MembershipView> {
        auto m = GetMembership(tx, access, Operation::kUpdateMembershipMetadata, organization_id,
                               user_id);
        if (!m) return m.error();
        domain::Membership old = *m;
        if (auto r = MergeField(m->public_metadata, cmd.public_metadata, "public_metadata"); !r) {
          return r.error();
        }
        if (auto r = MergeField(m->private_metadata, cmd.private_metadata, "private_metadata");
            !r) {
          return r.error();
        }
        m->updated_at = now;
        if (auto r = tx.memberships().Update(*m); !r) return r.error();
        auto view = View(tx, std::move(*m));
        if (view) {
          // The same organization, user and role: only the membership's fields changed.
          MembershipView before = *view;
          before.membership = std::move(old);
          RecordMembership(effects, payloads, event_type::kMembershipUpdated, *view, now, &before);
        }
        return view;
      },
      std::move(done));
}

void MembershipService::Delete(const RequestContext& ctx, std::string organization_id,
                               std::string user_id, Callback<MembershipView> done) {
  // A member leaving is their own business; removing anyone else needs the permission.
  const Operation op =
      IsSelf(ctx.caller, user_id) ? Operation::kLeaveOrganization : Operation::kManageMemberships;
  std::string contention = organization_id;
  WriteContended<MembershipView>(
      db_, std::move(contention), ctx,
      [organization_id = std::move(organization_id), user_id = std::move(user_id),
       access = OrganizationAccess(ctx.caller, authority_), now = clock_.NowMillis(), op,
       &payloads = payloads_](store::WriteTransaction& tx,
                              Effects& effects) -> Result<MembershipView> {
        auto m = GetMembership(tx, access, op, organization_id, user_id);
        if (!m) return m.error();
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        if (auto r = KeepAnAdmin(tx, *m, std::nullopt, org->members_count - 1); !r) {
          return r.error();
        }
        auto view = View(tx, *m);
        if (!view) return view.error();
        if (auto r = tx.memberships().Delete(organization_id, user_id); !r) return r.error();
        // The user's sessions with this organization active carry none from their next token.
        if (auto r = tx.sessions().ClearActiveOrganization(organization_id, user_id, now); !r) {
          return r.error();
        }
        view->organization.members_count -= 1;
        // The membership as it was, in its organization as the removal leaves it.
        RecordMembership(effects, payloads, event_type::kMembershipDeleted, *view, now);
        return view;
      },
      std::move(done));
}

Result<void> MembershipService::CheckRoleKnown(const std::string& role) {
  if (authority_.Current()->Find(role)) return {};
  // Another process may have created it since this one last looked.
  if (auto r = authority_.RefreshIfStale(); !r) return r.error();
  if (authority_.Current()->Find(role)) return {};
  return errors::NotFound("role");
}

}  // namespace orgd::service
