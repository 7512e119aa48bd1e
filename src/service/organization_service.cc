#include "service/organization_service.h"

#include <fmt/format.h>

#include "common/random.h"
#include "common/rfc3339.h"
#include "domain/errors.h"
#include "domain/metadata.h"
#include "domain/organization_rules.h"
#include "domain/roles.h"
#include "service/authorization.h"
#include "service/event_payloads.h"
#include "service/field_rules.h"
#include "service/lookups.h"
#include "service/membership_service.h"
#include "service/owned_image.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::Organization;

constexpr int kGeneratedSlugAttempts = 8;
constexpr size_t kSlugSuffixLength = 6;

Error SlugTaken() {
  return errors::IdentifierExists("slug", "That slug is taken. Please try another.");
}

Result<void> ValidateMaxMemberships(const std::optional<int64_t>& max) {
  if (max && *max < 0) {
    return errors::ParamInvalid("max_allowed_memberships",
                                "max_allowed_memberships must be 0 (unlimited) or greater.");
  }
  return {};
}

// Role sets arrive with the roles issue; until then no key names an existing role set.
Result<void> ValidateRoleSetKey(const std::optional<std::string>& key) {
  if (key) {
    return errors::ParamInvalid("role_set_key",
                                fmt::format("No role set was found with key {}.", *key));
  }
  return {};
}

// A random suffix for a derived slug that is taken: "-" and kSlugSuffixLength of [a-z0-9].
std::string WithRandomSuffix(const std::string& base) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix = "-";
  uint8_t bytes[kSlugSuffixLength];
  FillRandom(bytes);
  for (uint8_t b : bytes) suffix.push_back(kAlphabet[b % 36]);
  std::string out = base.substr(0, domain::kMaxSlugLength - suffix.size());
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out + suffix;
}

// Records `type` (organization.created or .updated) for `org` as the write leaves it.
// `before`: the organization's payload before the write (updates), for the audit log.
void RecordOrganization(Effects& effects, const EventPayloads& payloads, const char* type,
                        const Organization& org, int64_t now,
                        std::optional<std::string> before = std::nullopt) {
  RecordEvent(effects, type, org.id, org.id, payloads.Organization(org), now, std::move(before));
}

// An organization as the owner of its logo (service/owned_image.h): a new or removed logo is an
// organization.updated.
struct LogoOwner {
  using Value = Organization;
  template <class Transaction>
  static Result<Value> Get(Transaction& tx, std::string_view id) {
    return GetOrganizationById(tx, id);
  }
  static Result<void> Save(store::WriteTransaction& tx, const Value& org) {
    return tx.organizations().Update(org);
  }
  static void Record(Effects& effects, const EventPayloads& payloads, const Value& org,
                     int64_t now) {
    RecordOrganization(effects, payloads, event_type::kOrganizationUpdated, org, now);
  }
};

// Applies `change` (MergeField or ReplaceField) to both metadata fields.
Result<void> ChangeMetadata(Organization& org,
                            const std::optional<boost::json::value>& public_value,
                            const std::optional<boost::json::value>& private_value,
                            MetadataFieldChange change) {
  if (auto r = change(org.public_metadata, public_value, "public_metadata"); !r) return r;
  return change(org.private_metadata, private_value, "private_metadata");
}

// The transaction behind PATCH and PUT …/metadata.
void WriteMetadata(store::Database& db, const RequestContext& ctx,
                   const PermissionAuthority& authority, const EventPayloads& payloads, int64_t now,
                   std::string id, MetadataCommand cmd, MetadataFieldChange change,
                   Callback<Organization> done) {
  Write<Organization>(
      db, ctx,
      [id = std::move(id), cmd = std::move(cmd), now, change,
       access = OrganizationAccess(ctx.caller, authority),
       &payloads](store::WriteTransaction& tx, Effects& effects) -> Result<Organization> {
        auto org = GetOrganizationById(tx, id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kUpdateOrganizationMetadata, org->id); !r) {
          return r.error();
        }
        std::string before = payloads.Organization(*org);
        if (auto r = ChangeMetadata(*org, cmd.public_metadata, cmd.private_metadata, change); !r) {
          return r.error();
        }
        org->updated_at = now;
        if (auto r = tx.organizations().Update(*org); !r) return r.error();
        RecordOrganization(effects, payloads, event_type::kOrganizationUpdated, *org, now,
                           std::move(before));
        return org;
      },
      std::move(done));
}

}  // namespace

OrganizationService::OrganizationService(store::Database& db, const Clock& clock, IdGenerator& ids,
                                         media::ImageProcessor& images, Executor& image_executor,
                                         const PermissionAuthority& authority,
                                         const EventPayloads& payloads)
    : db_(db),
      clock_(clock),
      ids_(ids),
      images_(images),
      image_executor_(image_executor),
      authority_(authority),
      payloads_(payloads) {}

void OrganizationService::Create(const RequestContext& ctx, CreateOrganizationCommand cmd,
                                 Callback<Organization> done) {
  // A signed-in user creates for themselves (the Frontend API): they become the creator, and
  // may only when their own settings allow (checked in the transaction).
  const bool by_user = ctx.caller.kind == Caller::Kind::kSession;
  if (by_user) {
    cmd.created_by = ctx.caller.id;
  } else if (auto r = AuthorizeInstance(ctx.caller, Operation::kCreateOrganization); !r) {
    return done(r.error());
  }
  auto build = [&]() -> Result<Organization> {
    if (!cmd.name) return errors::ParamMissing("name");
    auto name = domain::NormalizeOrganizationName(*cmd.name);
    if (!name) return name.error();
    if (cmd.slug) {
      if (auto r = domain::ValidateSlug(*cmd.slug); !r) return r.error();
    }
    if (auto r = ValidateUserId(cmd.created_by, "created_by"); !r) return r.error();
    if (auto r = ValidateMaxMemberships(cmd.max_allowed_memberships); !r) return r.error();
    if (auto r = ValidateRoleSetKey(cmd.role_set_key); !r) return r.error();
    auto created_at = ParseCreatedAt(cmd.created_at);
    if (!created_at) return created_at.error();
    auto pub = InitialMetadata(cmd.public_metadata, "public_metadata");
    if (!pub) return pub.error();
    auto priv = InitialMetadata(cmd.private_metadata, "private_metadata");
    if (!priv) return priv.error();

    Organization org;
    org.id = ids_.New(id_prefix::kOrganization);
    org.name = std::move(*name);
    org.slug = cmd.slug ? *cmd.slug : domain::SlugFromName(org.name);
    // Unset here; the instance settings fill them in the write transaction.
    org.max_allowed_memberships = cmd.max_allowed_memberships.value_or(-1);
    org.public_metadata = std::move(*pub);
    org.private_metadata = std::move(*priv);
    org.created_by = cmd.created_by;
    int64_t now = clock_.NowMillis();
    org.created_at = created_at->value_or(now);
    org.updated_at = now;
    return org;
  };
  auto org = build();
  if (!org) return done(org.error());

  const bool slug_given = cmd.slug.has_value();
  // The creator becomes a member with the creator role, in the same transaction.
  std::optional<domain::Membership> creator;
  if (org->created_by) {
    creator.emplace();
    creator->id = ids_.New(id_prefix::kMembership);
    creator->organization_id = org->id;
    creator->user_id = *org->created_by;
    // creator->role comes from the instance settings, in the transaction.
    creator->created_at = creator->updated_at = org->updated_at;
  }
  // The work starts from its captures on every attempt and changes only copies of them: a
  // PostgreSQL retry runs it again from the same request, not from the aborted attempt's slug
  // and limits (store/database.h).
  Write<Organization>(
      db_, ctx,
      [prepared = std::move(*org), slug_given, prepared_creator = std::move(creator), by_user,
       &payloads = payloads_](store::WriteTransaction& tx,
                              Effects& effects) -> Result<Organization> {
        Organization org = prepared;
        std::optional<domain::Membership> creator = prepared_creator;
        auto settings = tx.settings().Organization();
        if (!settings) return settings.error();
        if (!settings->enabled) return errors::OrganizationsDisabled();
        if (slug_given && settings->slug_disabled) return errors::SlugsDisabled();
        if (org.max_allowed_memberships < 0) {
          org.max_allowed_memberships = settings->max_allowed_memberships;
        }
        org.admin_delete_enabled = settings->admin_delete_enabled;
        if (creator) creator->role = settings->creator_role;
        const std::string base = org.slug;
        for (int attempt = 0;; ++attempt) {
          auto r = tx.organizations().Insert(org);
          if (r) break;
          if (!store::IsUniqueViolation(r.error(), store::constraint::kOrganizationSlug)) {
            return r.error();
          }
          if (slug_given) return SlugTaken();
          if (attempt + 1 >= kGeneratedSlugAttempts) {
            return errors::Internal("no free slug found for " + base);
          }
          org.slug = WithRandomSuffix(base);
        }
        if (!creator) {
          RecordOrganization(effects, payloads, event_type::kOrganizationCreated, org,
                             org.updated_at);
          return org;
        }
        auto user = tx.users().Get(creator->user_id);
        if (!user) {
          return user.error().store_reason == StoreReason::kNotFound
                     ? errors::CreatorNotFound(creator->user_id)
                     : user.error();
        }
        if (by_user) {
          if (!user->create_organization_enabled) return errors::CreateOrganizationNotEnabled();
          // create_organizations_limit counts the organizations the user belongs to (orgd keeps
          // no per-user tally of creations; a membership is what a creation leaves).
          if (user->create_organizations_limit && *user->create_organizations_limit > 0) {
            store::OrganizationListQuery mine;
            mine.limit = 1;
            mine.include_member_ids = {user->id};
            auto page = tx.organizations().List(mine);
            if (!page) return page.error();
            if (page->total_count >= *user->create_organizations_limit) {
              return errors::OrganizationCreationLimitExceeded(*user->create_organizations_limit);
            }
          }
        }
        if (auto r = tx.memberships().Insert(*creator); !r) {
          return r.error().store_reason == StoreReason::kLimitReached
                     ? errors::MembershipQuotaExceeded(org.max_allowed_memberships)
                     : r.error();
        }
        auto role = tx.roles().GetByKey(creator->role);
        if (!role) return role.error();
        org.members_count = 1;
        // The organization (with its one member), then the creator's membership.
        RecordOrganization(effects, payloads, event_type::kOrganizationCreated, org,
                           org.updated_at);
        const MembershipView view{*creator, org, std::move(*user), std::move(*role)};
        RecordEvent(effects, event_type::kMembershipCreated, org.id, creator->id,
                    payloads.Membership(view), org.updated_at);
        return org;
      },
      std::move(done));
}

void OrganizationService::Get(const RequestContext& ctx, std::string id_or_slug,
                              Callback<Organization> done, OrganizationReadOptions options) {
  const int64_t now = options.count_pending_invitations ? clock_.NowMillis() : 0;
  Read<Organization>(
      db_,
      [id_or_slug = std::move(id_or_slug), access = OrganizationAccess(ctx.caller, authority_),
       options, now](store::ReadTransaction& tx) -> Result<Organization> {
        // One named result, returned once (built in place: the hot read path).
        Result<Organization> org = tx.organizations().Get(id_or_slug);
        if (org) {
          if (auto r = access.Check(tx, Operation::kReadOrganization, org->id); !r) {
            org = r.error();
          } else if (options.count_pending_invitations) {
            auto pending = tx.invitations().CountPending({org->id}, now);
            if (pending) {
              auto it = pending->find(org->id);
              org->pending_invitations_count = it == pending->end() ? 0 : it->second;
            } else {
              org = pending.error();
            }
          }
        }
        return org;
      },
      std::move(done));
}

void OrganizationService::List(const RequestContext& ctx, store::OrganizationListQuery query,
                               Callback<store::Page<Organization>> done,
                               OrganizationReadOptions options) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kListOrganizations); !r) {
    return done(r.error());
  }
  const int64_t now = options.count_pending_invitations ? clock_.NowMillis() : 0;
  Read<store::Page<Organization>>(
      db_,
      [query = std::move(query), options,
       now](store::ReadTransaction& tx) -> Result<store::Page<Organization>> {
        auto page = tx.organizations().List(query);
        if (!page || !options.count_pending_invitations) return page;
        // The page's counts in one query.
        std::vector<std::string> ids;
        for (const Organization& org : page->data) ids.push_back(org.id);
        auto pending = tx.invitations().CountPending(ids, now);
        if (!pending) return pending.error();
        for (Organization& org : page->data) {
          auto it = pending->find(org.id);
          org.pending_invitations_count = it == pending->end() ? 0 : it->second;
        }
        return page;
      },
      std::move(done));
}

void OrganizationService::Update(const RequestContext& ctx, std::string id,
                                 UpdateOrganizationCommand cmd, Callback<Organization> done) {
  auto validate = [&]() -> Result<std::optional<int64_t>> {
    if (cmd.name) {
      auto name = domain::NormalizeOrganizationName(*cmd.name);
      if (!name) return name.error();
      cmd.name = std::move(*name);
    }
    if (cmd.slug) {
      if (auto r = domain::ValidateSlug(*cmd.slug); !r) return r.error();
    }
    if (auto r = ValidateMaxMemberships(cmd.max_allowed_memberships); !r) return r.error();
    if (auto r = ValidateRoleSetKey(cmd.role_set_key); !r) return r.error();
    return ParseCreatedAt(cmd.created_at);
  };
  auto created_at = validate();
  if (!created_at) return done(created_at.error());

  int64_t now = clock_.NowMillis();
  // Replacing metadata here (before 2026-05-12) is a metadata write: the app's backend's alone.
  const Operation op = cmd.public_metadata || cmd.private_metadata
                           ? Operation::kUpdateOrganizationMetadata
                           : Operation::kUpdateOrganization;
  Write<Organization>(
      db_, ctx,
      [id = std::move(id), cmd = std::move(cmd), created_at = *created_at, now, op,
       access = OrganizationAccess(ctx.caller, authority_), &payloads = payloads_](
          store::WriteTransaction& tx, Effects& effects) -> Result<Organization> {
        auto org = GetOrganizationById(tx, id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, op, org->id); !r) {
          return r.error();
        }
        std::string before = payloads.Organization(*org);
        if (cmd.name) org->name = *cmd.name;
        if (cmd.slug) org->slug = *cmd.slug;
        if (cmd.max_allowed_memberships) {
          org->max_allowed_memberships = *cmd.max_allowed_memberships;
        }
        if (cmd.admin_delete_enabled) org->admin_delete_enabled = *cmd.admin_delete_enabled;
        if (created_at) org->created_at = *created_at;
        // The deprecated metadata replacement (API versions before 2026-05-12).
        if (auto r = ChangeMetadata(*org, cmd.public_metadata, cmd.private_metadata, ReplaceField);
            !r) {
          return r.error();
        }
        org->updated_at = now;
        if (auto r = tx.organizations().Update(*org); !r) {
          return store::IsUniqueViolation(r.error(), store::constraint::kOrganizationSlug)
                     ? SlugTaken()
                     : r.error();
        }
        RecordOrganization(effects, payloads, event_type::kOrganizationUpdated, *org, now,
                           std::move(before));
        return org;
      },
      std::move(done));
}

void OrganizationService::Delete(const RequestContext& ctx, std::string id,
                                 Callback<DeletedOrganization> done) {
  Write<DeletedOrganization>(
      db_, ctx,
      [id = std::move(id), access = OrganizationAccess(ctx.caller, authority_),
       by_user = ctx.caller.kind == Caller::Kind::kSession, &payloads = payloads_,
       now = clock_.NowMillis()](store::WriteTransaction& tx,
                                 Effects& effects) -> Result<DeletedOrganization> {
        auto org = GetOrganizationById(tx, id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kDeleteOrganization, org->id); !r) {
          return r.error();
        }
        // Members delete only organizations that allow it; the app's backend always may.
        if (by_user && !org->admin_delete_enabled) return errors::AdminDeleteNotEnabled();
        if (auto r = tx.organizations().Delete(org->id); !r) return r.error();
        // One event: the memberships and invitations that go with it record none (see the
        // header).
        RecordEvent(effects, event_type::kOrganizationDeleted, org->id, org->id,
                    payloads.Deleted({.object = "organization", .id = org->id, .slug = org->slug}),
                    now, payloads.Organization(*org));
        return DeletedOrganization{org->id, org->slug};
      },
      std::move(done));
}

void OrganizationService::MergeMetadata(const RequestContext& ctx, std::string id,
                                        MetadataCommand cmd, Callback<Organization> done) {
  WriteMetadata(db_, ctx, authority_, payloads_, clock_.NowMillis(), std::move(id), std::move(cmd),
                MergeField, std::move(done));
}

void OrganizationService::ReplaceMetadata(const RequestContext& ctx, std::string id,
                                          MetadataCommand cmd, Callback<Organization> done) {
  WriteMetadata(db_, ctx, authority_, payloads_, clock_.NowMillis(), std::move(id), std::move(cmd),
                ReplaceField, std::move(done));
}

namespace {

// Authorizes a logo change in the transactions that make it (service/owned_image.h).
auto LogoCheck(const Caller& caller, std::string id, const PermissionAuthority& authority) {
  return [access = OrganizationAccess(caller, authority), id = std::move(id)](auto& tx) {
    return access.Check(tx, Operation::kManageLogo, id);
  };
}

}  // namespace

void OrganizationService::SetLogo(const RequestContext& ctx, std::string id, LogoUpload upload,
                                  Callback<Organization> done) {
  if (auto r = ValidateUserId(upload.uploader_user_id, "uploader_user_id"); !r) {
    return done(r.error());
  }
  auto check = LogoCheck(ctx.caller, id, authority_);
  ReplaceOwnedImage<LogoOwner>(
      {db_, clock_, ids_, images_, image_executor_, kMaxLogoBytes, payloads_}, ctx,
      std::move(check), std::move(id), std::move(upload.bytes), std::move(done));
}

void OrganizationService::DeleteLogo(const RequestContext& ctx, std::string id,
                                     Callback<Organization> done) {
  auto check = LogoCheck(ctx.caller, id, authority_);
  RemoveOwnedImage<LogoOwner>(db_, ctx, payloads_, std::move(check), clock_.NowMillis(),
                              std::move(id), std::move(done));
}

}  // namespace orgd::service
