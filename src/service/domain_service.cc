#include "service/domain_service.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <memory>

#include "common/digest.h"
#include "common/random.h"
#include "domain/domain_rules.h"
#include "domain/errors.h"
#include "domain/user_rules.h"
#include "service/authorization.h"
#include "service/lookups.h"
#include "service/membership_service.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::DomainVerification;
using domain::OrganizationDomain;

constexpr std::array<std::string_view, 4> kModes = {
    domain::kManualInvitation, domain::kAutomaticInvitation, domain::kAutomaticSuggestion,
    domain::kEnterpriseSso};

// A mode the instance allows: manual_invitation always, the others when the settings list them.
Result<void> CheckMode(const std::string& mode, const domain::OrganizationSettings& settings) {
  if (std::find(kModes.begin(), kModes.end(), mode) == kModes.end()) {
    return errors::ParamInvalid("enrollment_mode",
                                "enrollment_mode must be manual_invitation, automatic_invitation, "
                                "automatic_suggestion or enterprise_sso.");
  }
  if (mode == domain::kManualInvitation) return {};
  const auto& on = settings.domains_enrollment_modes;
  if (std::find(on.begin(), on.end(), mode) == on.end()) {
    return errors::EnrollmentModeNotEnabled(mode);
  }
  return {};
}

Result<domain::OrganizationSettings> DomainSettings(store::WriteTransaction& tx) {
  auto settings = tx.settings().Organization();
  if (!settings) return settings.error();
  if (!settings->domains_enabled) return errors::DomainsNotEnabled();
  return settings;
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The domain `domain_id` of `organization_id`, after `op` is authorized for the caller there.
Result<OrganizationDomain> AuthorizedDomain(store::WriteTransaction& tx,
                                            const OrganizationAccess& access, Operation op,
                                            const std::string& organization_id,
                                            const std::string& domain_id, int64_t now) {
  auto org = GetOrganizationById(tx, organization_id);
  if (!org) return org.error();
  if (auto r = access.Check(tx, op, org->id); !r) return r.error();
  auto d = tx.domains().Get(domain_id, now);
  if (!d) return d.error();
  if (d->organization_id != org->id) return errors::NotFound("organization domain");
  return d;
}

// The pending membership request `request_id` of `org`, once the caller may manage its members.
Result<domain::MembershipRequest> PendingRequest(store::WriteTransaction& tx,
                                                 const OrganizationAccess& access,
                                                 const domain::Organization& org,
                                                 const std::string& request_id) {
  if (auto r = access.Check(tx, Operation::kManageMemberships, org.id); !r) return r.error();
  auto req = tx.domains().GetRequest(request_id);
  if (!req) return req.error();
  if (req->organization_id != org.id) return errors::NotFound("organization membership request");
  if (req->status != domain::kRequestPending) return errors::RequestNotPending();
  return req;
}

void RecordDomain(Effects& effects, const EventPayloads& payloads, const char* type,
                  const DomainView& view) {
  RecordEvent(effects, type, view.domain.organization_id, view.domain.id, payloads.Domain(view),
              view.now);
}

// Enrolls one user at one verified domain, as its mode says; a user who is a member, or already
// invited or suggested, is left as they are.
Result<void> EnrollAt(store::WriteTransaction& tx, IdGenerator& ids, const OrganizationDomain& d,
                      const domain::User& user, const std::string& email,
                      const domain::OrganizationSettings& settings, int64_t now) {
  if (d.enrollment_mode != domain::kAutomaticInvitation &&
      d.enrollment_mode != domain::kAutomaticSuggestion) {
    return {};
  }
  auto member = tx.memberships().Get(d.organization_id, user.id);
  if (member) return {};
  if (member.error().store_reason != StoreReason::kNotFound) return member.error();
  // Every refusal is checked before the insert: on PostgreSQL a refused statement would end the
  // whole transaction, not just this user's enrollment.
  if (d.enrollment_mode == domain::kAutomaticSuggestion) {
    auto has = tx.domains().HasSuggestion(d.organization_id, user.id);
    if (!has) return has.error();
    if (*has) return {};
    domain::OrganizationSuggestion s;
    s.id = ids.New("orgsugg");
    s.organization_id = d.organization_id;
    s.user_id = user.id;
    s.domain_id = d.id;
    s.created_at = s.updated_at = now;
    return tx.domains().InsertSuggestion(s);
  }
  if (auto r = tx.invitations().ExpireStale(d.organization_id, email, now); !r) return r;
  store::InvitationListQuery invited;
  invited.limit = 1;
  invited.now = now;
  invited.organization_id = d.organization_id;
  invited.email_addresses = {email};
  invited.statuses = {std::string(domain::kInvitationPending)};
  auto existing = tx.invitations().List(invited);
  if (!existing) return existing.error();
  if (existing->total_count > 0) return {};  // invited already
  auto room = tx.invitations().HasFreeSeat(d.organization_id, now);
  if (!room) return room.error();
  if (!*room) return {};  // enrollment does not push past the member limit
  domain::Invitation inv;
  inv.id = ids.New(id_prefix::kInvitation);
  inv.organization_id = d.organization_id;
  inv.email_address = email;
  inv.role = settings.domains_default_role;
  inv.notify = false;
  inv.expires_at = now + domain::kDefaultInvitationDays * 24 * 60 * 60 * 1000;
  inv.created_at = inv.updated_at = now;
  if (auto r = tx.invitations().Insert(inv); !r) return r;
  return tx.domains().LinkInvitation(inv.id, d.id);
}

// Enrolls every user with an address at exactly the domain's name (a page at a time).
Result<void> EnrollExisting(store::WriteTransaction& tx, IdGenerator& ids,
                            const OrganizationDomain& d, int64_t now) {
  if (!d.IsVerified()) return {};
  if (d.enrollment_mode != domain::kAutomaticInvitation &&
      d.enrollment_mode != domain::kAutomaticSuggestion) {
    return {};
  }
  auto settings = tx.settings().Organization();
  if (!settings) return settings.error();
  store::UserListQuery query;
  query.limit = 500;
  // A substring match finds the candidates; only an address whose domain is exactly the name
  // enrolls (not evil-acme.com, acme.com.evil.org or sub.acme.com).
  query.filter.email_address_query = "@" + d.name;
  for (int64_t offset = 0;; offset += query.limit) {
    query.offset = offset;
    auto users = tx.users().List(query);
    if (!users) return users.error();
    for (const auto& user : *users) {
      for (const auto& e : user.email_addresses) {
        if (domain::EmailDomain(e.value) != d.name) continue;
        if (auto r = EnrollAt(tx, ids, d, user, e.value, *settings, now); !r) return r;
        break;
      }
    }
    if (static_cast<int64_t>(users->size()) < query.limit) return {};
  }
}

// Writes `d` as it now is (enrolling when it just became verified or automatic) and records
// organizationDomain.updated.
Result<DomainView> SaveDomain(store::WriteTransaction& tx, Effects& effects,
                              const EventPayloads& payloads, IdGenerator& ids, OrganizationDomain d,
                              int64_t now) {
  d.updated_at = now;
  if (d.IsVerified()) {
    auto owners = tx.domains().VerifiedNamed(d.name);
    if (!owners) return owners.error();
    for (const auto& owner : *owners) {
      if (owner.organization_id != d.organization_id) return errors::DomainAlreadyExists();
    }
  }
  if (auto r = tx.domains().Update(d); !r) {
    // A racing organization verified it first (the store's unique index decided).
    if (store::IsUniqueViolation(r.error(), store::constraint::kVerifiedDomain)) {
      return errors::DomainAlreadyExists();
    }
    return r.error();
  }
  if (auto r = EnrollExisting(tx, ids, d, now); !r) return r.error();
  auto fresh = tx.domains().Get(d.id, now);
  if (!fresh) return fresh.error();
  DomainView view{std::move(*fresh), std::nullopt, now};
  RecordDomain(effects, payloads, event_type::kDomainUpdated, view);
  return view;
}

}  // namespace

DomainService::DomainService(store::Database& db, const Clock& clock, IdGenerator& ids,
                             const PermissionAuthority& authority, const EventPayloads& payloads,
                             TxtLookup lookup, Executor& dns_executor)
    : db_(db),
      clock_(clock),
      ids_(ids),
      authority_(authority),
      payloads_(payloads),
      lookup_(std::move(lookup)),
      dns_executor_(dns_executor) {}

void DomainService::Create(const RequestContext& ctx, std::string organization_id,
                           CreateDomainCommand cmd, Callback<DomainView> done) {
  if (!cmd.name || cmd.name->empty()) return done(errors::ParamMissing("name"));
  auto name = domain::NormalizeDomainName(*cmd.name);
  if (!name) return done(name.error());
  // Only the app's backend vouches for a domain; a member proves it (affiliation, DNS).
  if (cmd.verified && !ctx.caller.IsTrusted()) return done(errors::ParamUnknown("verified"));
  const bool verified = ctx.caller.IsTrusted() && cmd.verified.value_or(true);
  const int64_t now = clock_.NowMillis();
  OrganizationDomain d;
  d.id = ids_.New("orgdmn");
  d.name = std::move(*name);
  d.enrollment_mode = cmd.enrollment_mode.value_or(std::string(domain::kManualInvitation));
  if (verified) {
    DomainVerification v;
    v.status = std::string(domain::kVerificationVerified);
    v.strategy = "admin";
    d.affiliation = v;
  }
  d.created_at = d.updated_at = now;
  Write<DomainView>(
      db_, ctx,
      [this, organization_id = std::move(organization_id), d = std::move(d),
       access = OrganizationAccess(ctx.caller, authority_),
       now](store::WriteTransaction& tx, Effects& effects) -> Result<DomainView> {
        OrganizationDomain domain = d;
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kManageDomains, org->id); !r) return r.error();
        auto settings = DomainSettings(tx);
        if (!settings) return settings.error();
        if (auto r = CheckMode(domain.enrollment_mode, *settings); !r) return r.error();
        auto count = tx.domains().CountForOrganization(org->id);
        if (!count) return count.error();
        if (*count >= settings->max_allowed_domains) {
          return errors::DomainQuotaExceeded(settings->max_allowed_domains);
        }
        auto owners = tx.domains().VerifiedNamed(domain.name);
        if (!owners) return owners.error();
        for (const auto& owner : *owners) {
          if (owner.organization_id != org->id) return errors::DomainAlreadyExists();
        }
        store::DomainListQuery same;
        same.limit = 1;
        same.now = now;
        same.organization_id = org->id;
        same.names = {domain.name};
        auto mine = tx.domains().List(same);
        if (!mine) return mine.error();
        if (mine->total_count > 0) return errors::DomainExistsInOrganization();
        domain.organization_id = org->id;
        if (auto r = tx.domains().Insert(domain); !r) {
          if (store::IsUniqueViolation(r.error(), store::constraint::kDomainName)) {
            return errors::DomainExistsInOrganization();
          }
          if (store::IsUniqueViolation(r.error(), store::constraint::kVerifiedDomain)) {
            return errors::DomainAlreadyExists();
          }
          return r.error();
        }
        if (auto r = EnrollExisting(tx, ids_, domain, now); !r) return r.error();
        auto fresh = tx.domains().Get(domain.id, now);
        if (!fresh) return fresh.error();
        DomainView view{std::move(*fresh), std::nullopt, now};
        RecordDomain(effects, payloads_, event_type::kDomainCreated, view);
        return view;
      },
      std::move(done));
}

void DomainService::List(const RequestContext& ctx, store::DomainListQuery query,
                         Callback<store::Page<DomainView>> done, bool instance_wide) {
  if (instance_wide || !query.organization_id) {
    instance_wide = true;
    if (auto r = AuthorizeInstance(ctx.caller, Operation::kListOrganizations); !r) {
      return done(r.error());
    }
  }
  query.now = clock_.NowMillis();
  Read<store::Page<DomainView>>(
      db_,
      [query = std::move(query), access = OrganizationAccess(ctx.caller, authority_),
       session = ctx.caller.kind == Caller::Kind::kSession,
       instance_wide](store::ReadTransaction& tx) -> Result<store::Page<DomainView>> {
        bool shows_challenge = false;
        if (!instance_wide) {
          auto org = GetOrganizationById(tx, *query.organization_id);
          if (!org) return org.error();
          if (auto r = access.Check(tx, Operation::kReadDomains, org->id); !r) return r.error();
          shows_challenge = session && access.Check(tx, Operation::kManageDomains, org->id);
        }
        auto page = tx.domains().List(query);
        if (!page) return page.error();
        store::Page<DomainView> out;
        out.total_count = page->total_count;
        for (auto& d : page->data) {
          std::optional<domain::Organization> org;
          if (instance_wide) {
            auto loaded = tx.organizations().Get(d.organization_id);
            if (!loaded) return loaded.error();
            org = std::move(*loaded);
          }
          out.data.push_back({std::move(d), std::move(org), query.now, shows_challenge});
        }
        return out;
      },
      std::move(done));
}

void DomainService::Get(const RequestContext& ctx, std::string organization_id,
                        std::string domain_id, Callback<DomainView> done) {
  Read<DomainView>(
      db_,
      [organization_id = std::move(organization_id), domain_id = std::move(domain_id),
       access = OrganizationAccess(ctx.caller, authority_),
       session = ctx.caller.kind == Caller::Kind::kSession,
       now = clock_.NowMillis()](store::ReadTransaction& tx) -> Result<DomainView> {
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kReadDomains, org->id); !r) return r.error();
        auto d = tx.domains().Get(domain_id, now);
        if (!d) return d.error();
        if (d->organization_id != org->id) return errors::NotFound("organization domain");
        const bool shows_challenge =
            session && static_cast<bool>(access.Check(tx, Operation::kManageDomains, org->id));
        return DomainView{std::move(*d), std::nullopt, now, shows_challenge};
      },
      std::move(done));
}

void DomainService::Update(const RequestContext& ctx, std::string organization_id,
                           std::string domain_id, UpdateDomainCommand cmd,
                           Callback<DomainView> done) {
  if (cmd.verified && !ctx.caller.IsTrusted()) return done(errors::ParamUnknown("verified"));
  Write<DomainView>(
      db_, ctx,
      [this, organization_id = std::move(organization_id), domain_id = std::move(domain_id),
       cmd = std::move(cmd), access = OrganizationAccess(ctx.caller, authority_),
       now = clock_.NowMillis()](store::WriteTransaction& tx,
                                 Effects& effects) -> Result<DomainView> {
        auto d = AuthorizedDomain(tx, access, Operation::kManageDomains, organization_id, domain_id,
                                  now);
        if (!d) return d.error();
        if (cmd.enrollment_mode) {
          auto settings = DomainSettings(tx);
          if (!settings) return settings.error();
          if (auto r = CheckMode(*cmd.enrollment_mode, *settings); !r) return r.error();
          if (cmd.delete_pending) {
            if (auto r = tx.domains().DeletePendingEnrollment(d->id, now); !r) return r.error();
          }
          d->enrollment_mode = *cmd.enrollment_mode;
        }
        if (cmd.verified) {
          if (*cmd.verified) {
            if (!d->IsVerified()) {
              DomainVerification v;
              v.status = std::string(domain::kVerificationVerified);
              v.strategy = "admin";
              d->affiliation = v;
            }
          } else {
            d->affiliation.reset();
            d->ownership.reset();
          }
        }
        return SaveDomain(tx, effects, payloads_, ids_, std::move(*d), now);
      },
      std::move(done));
}

void DomainService::Delete(const RequestContext& ctx, std::string organization_id,
                           std::string domain_id, Callback<DomainView> done) {
  Write<DomainView>(
      db_, ctx,
      [this, organization_id = std::move(organization_id), domain_id = std::move(domain_id),
       access = OrganizationAccess(ctx.caller, authority_), now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects& effects) -> Result<DomainView> {
        auto d = AuthorizedDomain(tx, access, Operation::kManageDomains, organization_id, domain_id,
                                  now);
        if (!d) return d.error();
        if (auto r = tx.domains().Delete(d->id); !r) return r.error();
        RecordEvent(effects, event_type::kDomainDeleted, d->organization_id, d->id,
                    payloads_.Deleted({.object = "organization_domain", .id = d->id}), now);
        return DomainView{std::move(*d), std::nullopt, now};
      },
      std::move(done));
}

void DomainService::VerifyOwnership(const RequestContext& ctx, std::string organization_id,
                                    std::string domain_id, Callback<DomainView> done) {
  if (!ctx.caller.IsTrusted()) return done(errors::AuthorizationInvalid());
  Write<DomainView>(
      db_, ctx,
      [this, organization_id = std::move(organization_id), domain_id = std::move(domain_id),
       access = OrganizationAccess(ctx.caller, authority_), now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects& effects) -> Result<DomainView> {
        auto d = AuthorizedDomain(tx, access, Operation::kManageDomains, organization_id, domain_id,
                                  now);
        if (!d) return d.error();
        // Idempotent: a second call changes nothing and records nothing.
        if (d->ownership && d->ownership->status == domain::kVerificationVerified) {
          return DomainView{std::move(*d), std::nullopt, now};
        }
        DomainVerification v;
        v.status = std::string(domain::kVerificationVerified);
        v.strategy = "manual_override";
        v.verified_at = now;
        d->ownership = v;
        d->txt_record_value.clear();
        return SaveDomain(tx, effects, payloads_, ids_, std::move(*d), now);
      },
      std::move(done));
}

void DomainService::PrepareAffiliation(const RequestContext& ctx, std::string organization_id,
                                       std::string domain_id,
                                       std::optional<std::string> email_address,
                                       Callback<DomainView> done) {
  if (!email_address || email_address->empty()) {
    return done(errors::ParamMissing("affiliation_email_address"));
  }
  auto email = domain::NormalizeEmailAddress(*email_address, "affiliation_email_address");
  if (!email) return done(email.error());
  const std::string code = RandomDigits(6);
  const std::string job_id = ids_.New("job");
  Write<DomainView>(
      db_, ctx,
      [this, organization_id = std::move(organization_id), domain_id = std::move(domain_id),
       email = std::move(*email), code, job_id, access = OrganizationAccess(ctx.caller, authority_),
       now = clock_.NowMillis()](store::WriteTransaction& tx,
                                 Effects& effects) -> Result<DomainView> {
        auto d = AuthorizedDomain(tx, access, Operation::kManageDomains, organization_id, domain_id,
                                  now);
        if (!d) return d.error();
        if (domain::EmailDomain(email) != d->name) return errors::DomainMismatch();
        d->affiliation_email_address = email;
        if (!(d->affiliation && d->affiliation->status == domain::kVerificationVerified)) {
          DomainVerification v;
          v.strategy = "email_code";
          v.attempts = 0;
          v.expire_at = now + domain::kCodeLifetimeMs;
          d->affiliation = v;
          d->affiliation_code_hash = Sha256Hex(code);
          // The code travels in the job's payload to the mail server; it expires with the
          // verification (10 minutes), long before the completed job is purged.
          store::Job job;
          job.id = job_id;
          job.kind = kAffiliationCodeJob;
          job.payload = boost::json::serialize(boost::json::object{
              {"to", email}, {"domain", d->name}, {"code", code}, {"domain_id", d->id}});
          job.run_at = job.created_at = now;
          if (auto r = tx.jobs().Insert(job); !r) return r.error();
        }
        return SaveDomain(tx, effects, payloads_, ids_, std::move(*d), now);
      },
      std::move(done));
}

void DomainService::AttemptAffiliation(const RequestContext& ctx, std::string organization_id,
                                       std::string domain_id, std::optional<std::string> code,
                                       Callback<DomainView> done) {
  if (!code || code->empty()) return done(errors::ParamMissing("code"));
  // A refused attempt still counts: it is written, then the error answered.
  auto refusal = std::make_shared<std::optional<Error>>();
  Write<DomainView>(
      db_, ctx,
      [this, organization_id = std::move(organization_id), domain_id = std::move(domain_id),
       code = std::move(*code), refusal, access = OrganizationAccess(ctx.caller, authority_),
       now = clock_.NowMillis()](store::WriteTransaction& tx,
                                 Effects& effects) -> Result<DomainView> {
        refusal->reset();
        auto d = AuthorizedDomain(tx, access, Operation::kManageDomains, organization_id, domain_id,
                                  now);
        if (!d) return d.error();
        if (!d->affiliation || d->affiliation_code_hash.empty()) {
          if (d->affiliation && d->affiliation->status == domain::kVerificationVerified) {
            return DomainView{std::move(*d), std::nullopt, now};
          }
          return errors::VerificationMissing();
        }
        DomainVerification& v = *d->affiliation;
        const std::string_view status = v.Status(now);
        if (status == domain::kVerificationExpired) return errors::VerificationExpired();
        if (status == domain::kVerificationFailed) return errors::VerificationFailed();
        v.attempts = v.attempts.value_or(0) + 1;
        if (SameSecret(Sha256Hex(code), d->affiliation_code_hash)) {
          v.status = std::string(domain::kVerificationVerified);
          v.expire_at.reset();
          d->affiliation_code_hash.clear();
          return SaveDomain(tx, effects, payloads_, ids_, std::move(*d), now);
        }
        if (*v.attempts >= domain::kMaxCodeAttempts) {
          v.status = std::string(domain::kVerificationFailed);
          d->affiliation_code_hash.clear();
          *refusal = errors::VerificationFailed();
        } else {
          *refusal = errors::CodeIncorrect();
        }
        d->updated_at = now;
        if (auto r = tx.domains().Update(*d); !r) return r.error();
        return DomainView{std::move(*d), std::nullopt, now};
      },
      [refusal, done = std::move(done)](Result<DomainView> result) {
        if (result && *refusal) return done(**refusal);
        done(std::move(result));
      });
}

void DomainService::PrepareOwnership(const RequestContext& ctx, std::string organization_id,
                                     std::string domain_id, Callback<DomainView> done) {
  const std::string value = std::string(kTxtValuePrefix) + RandomHex(16);
  Write<DomainView>(
      db_, ctx,
      [this, organization_id = std::move(organization_id), domain_id = std::move(domain_id), value,
       access = OrganizationAccess(ctx.caller, authority_), now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects& effects) -> Result<DomainView> {
        auto d = AuthorizedDomain(tx, access, Operation::kManageDomains, organization_id, domain_id,
                                  now);
        if (!d) return d.error();
        if (d->ownership && d->ownership->status == domain::kVerificationVerified) {
          return DomainView{std::move(*d), std::nullopt, now};
        }
        DomainVerification v;
        v.strategy = "dns_txt";
        v.attempts = 0;
        v.expire_at = now + domain::kTxtChallengeLifetimeMs;
        d->ownership = v;
        d->txt_record_value = value;
        return SaveDomain(tx, effects, payloads_, ids_, std::move(*d), now);
      },
      std::move(done));
}

void DomainService::AttemptOwnership(const RequestContext& ctx, std::string organization_id,
                                     std::string domain_id, Callback<DomainView> done) {
  // First the challenge (authorized), then the DNS query off the store and I/O threads, then
  // the verdict in a write that checks the challenge is still the one resolved.
  struct Challenge {
    std::string record_name;
    std::string value;
    bool already_verified = false;
    DomainView view;
  };
  auto shared_done = std::make_shared<Callback<DomainView>>(std::move(done));
  RequestContext write_ctx = ctx;
  Read<Challenge>(
      db_,
      [organization_id, domain_id, access = OrganizationAccess(ctx.caller, authority_),
       now = clock_.NowMillis()](store::ReadTransaction& tx) -> Result<Challenge> {
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kManageDomains, org->id); !r) return r.error();
        auto d = tx.domains().Get(domain_id, now);
        if (!d) return d.error();
        if (d->organization_id != org->id) return errors::NotFound("organization domain");
        Challenge c;
        c.already_verified = d->ownership && d->ownership->status == domain::kVerificationVerified;
        if (!c.already_verified) {
          if (!d->ownership || d->txt_record_value.empty()) return errors::VerificationMissing();
          if (d->ownership->Status(now) == domain::kVerificationExpired) {
            return errors::VerificationExpired();
          }
        }
        c.record_name = std::string(kTxtRecordPrefix) + d->name;
        c.value = d->txt_record_value;
        c.view = DomainView{std::move(*d), std::nullopt, now};
        return c;
      },
      [this, shared_done, organization_id, domain_id,
       write_ctx](Result<Challenge> challenge) mutable {
        if (!challenge) return (*shared_done)(challenge.error());
        if (challenge->already_verified) return (*shared_done)(std::move(challenge->view));
        auto shared_challenge = std::make_shared<Challenge>(std::move(*challenge));
        const bool queued = dns_executor_.Post([this, shared_done, shared_challenge,
                                                organization_id, domain_id, write_ctx]() mutable {
          auto records = lookup_(shared_challenge->record_name);
          if (!records) return (*shared_done)(records.error());
          const bool found = std::any_of(
              records->begin(), records->end(),
              [&](const std::string& r) { return SameSecret(r, shared_challenge->value); });
          // The write's context views the request, which is still waiting for this answer.
          Write<DomainView>(
              db_, write_ctx,
              [this, organization_id, domain_id, found, value = shared_challenge->value,
               name = shared_challenge->record_name,
               access = OrganizationAccess(write_ctx.caller, authority_), now = clock_.NowMillis()](
                  store::WriteTransaction& tx, Effects& effects) -> Result<DomainView> {
                auto d = AuthorizedDomain(tx, access, Operation::kManageDomains, organization_id,
                                          domain_id, now);
                if (!d) return d.error();
                if (!d->ownership || d->txt_record_value != value) {
                  return errors::VerificationMissing();  // prepared again meanwhile
                }
                d->ownership->attempts = d->ownership->attempts.value_or(0) + 1;
                if (!found) {
                  d->updated_at = now;
                  if (auto r = tx.domains().Update(*d); !r) return r.error();
                  return errors::TxtRecordNotFound(name);
                }
                d->ownership->status = std::string(domain::kVerificationVerified);
                d->ownership->verified_at = now;
                d->ownership->expire_at.reset();
                d->txt_record_value.clear();
                return SaveDomain(tx, effects, payloads_, ids_, std::move(*d), now);
              },
              [shared_done](Result<DomainView> r) { (*shared_done)(std::move(r)); });
        });
        if (!queued) (*shared_done)(errors::Unavailable("the DNS queue is full"));
      });
}

void DomainService::ListRequests(const RequestContext& ctx, store::RequestListQuery query,
                                 Callback<store::Page<RequestView>> done) {
  Read<store::Page<RequestView>>(
      db_,
      [query = std::move(query), access = OrganizationAccess(ctx.caller, authority_)](
          store::ReadTransaction& tx) -> Result<store::Page<RequestView>> {
        auto org = GetOrganizationById(tx, query.organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kManageMemberships, org->id); !r) {
          return r.error();
        }
        auto page = tx.domains().ListRequests(query);
        if (!page) return page.error();
        store::Page<RequestView> out;
        out.total_count = page->total_count;
        for (auto& r : page->data) {
          auto user = tx.users().Get(r.user_id);
          if (!user) return user.error();
          out.data.push_back({std::move(r), std::move(*user)});
        }
        return out;
      },
      std::move(done));
}

void DomainService::AcceptRequest(const RequestContext& ctx, std::string organization_id,
                                  std::string request_id, Callback<RequestView> done) {
  const std::string membership_id = ids_.New(id_prefix::kMembership);
  Write<RequestView>(
      db_, ctx,
      [this, organization_id = std::move(organization_id), request_id = std::move(request_id),
       membership_id, access = OrganizationAccess(ctx.caller, authority_),
       now = clock_.NowMillis()](store::WriteTransaction& tx,
                                 Effects& effects) -> Result<RequestView> {
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        auto req = PendingRequest(tx, access, *org, request_id);
        if (!req) return req.error();
        auto user = tx.users().Get(req->user_id);
        if (!user) return user.error();
        auto settings = tx.settings().Organization();
        if (!settings) return settings.error();
        auto role = tx.roles().GetByKey(settings->domains_default_role);
        if (!role) return role.error();
        req->status = std::string(domain::kRequestAccepted);
        req->updated_at = now;
        if (auto r = tx.domains().UpdateRequest(*req); !r) {
          if (r.error().store_reason == StoreReason::kNotFound) return errors::RequestNotPending();
          return r.error();
        }
        domain::Membership m;
        m.id = membership_id;
        m.organization_id = org->id;
        m.user_id = user->id;
        m.role = role->key;
        m.created_at = m.updated_at = now;
        if (auto r = tx.memberships().Insert(m); !r) {
          if (store::IsUniqueViolation(r.error(), store::constraint::kMembership)) {
            return errors::AlreadyMember(user->id);
          }
          if (r.error().store_reason == StoreReason::kLimitReached) {
            return errors::MembershipQuotaExceeded(org->max_allowed_memberships);
          }
          return r.error();
        }
        org->members_count += 1;
        MembershipView view{m, *org, *user, *role};
        RecordEvent(effects, event_type::kMembershipCreated, org->id, m.id,
                    payloads_.Membership(view), now);
        return RequestView{std::move(*req), std::move(*user)};
      },
      std::move(done));
}

void DomainService::RejectRequest(const RequestContext& ctx, std::string organization_id,
                                  std::string request_id, Callback<RequestView> done) {
  Write<RequestView>(
      db_, ctx,
      [organization_id = std::move(organization_id), request_id = std::move(request_id),
       access = OrganizationAccess(ctx.caller, authority_),
       now = clock_.NowMillis()](store::WriteTransaction& tx, Effects&) -> Result<RequestView> {
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        auto req = PendingRequest(tx, access, *org, request_id);
        if (!req) return req.error();
        req->status = std::string(domain::kRequestRejected);
        req->updated_at = now;
        if (auto r = tx.domains().UpdateRequest(*req); !r) {
          if (r.error().store_reason == StoreReason::kNotFound) return errors::RequestNotPending();
          return r.error();
        }
        auto user = tx.users().Get(req->user_id);
        if (!user) return user.error();
        return RequestView{std::move(*req), std::move(*user)};
      },
      std::move(done));
}

void DomainService::ListSuggestions(const RequestContext& ctx, store::SuggestionListQuery query,
                                    Callback<store::Page<SuggestionView>> done) {
  if (ctx.caller.kind != Caller::Kind::kSession) return done(errors::AuthorizationInvalid());
  query.user_id = ctx.caller.id;
  Read<store::Page<SuggestionView>>(
      db_,
      [query =
           std::move(query)](store::ReadTransaction& tx) -> Result<store::Page<SuggestionView>> {
        auto page = tx.domains().ListSuggestions(query);
        if (!page) return page.error();
        store::Page<SuggestionView> out;
        out.total_count = page->total_count;
        for (auto& s : page->data) {
          auto org = tx.organizations().Get(s.organization_id);
          if (!org) return org.error();
          out.data.push_back({std::move(s), std::move(*org)});
        }
        return out;
      },
      std::move(done));
}

void DomainService::AcceptSuggestion(const RequestContext& ctx, std::string suggestion_id,
                                     Callback<SuggestionView> done) {
  if (ctx.caller.kind != Caller::Kind::kSession) return done(errors::AuthorizationInvalid());
  const std::string request_id = ids_.New("orgmemreq");
  Write<SuggestionView>(
      db_, ctx,
      [suggestion_id = std::move(suggestion_id), user_id = ctx.caller.id, request_id,
       now = clock_.NowMillis()](store::WriteTransaction& tx, Effects&) -> Result<SuggestionView> {
        auto s = tx.domains().GetSuggestion(suggestion_id);
        if (!s) return s.error();
        // Another user's suggestion does not exist for this one.
        if (s->user_id != user_id) return errors::NotFound("organization suggestion");
        if (s->status == domain::kSuggestionAccepted) return errors::SuggestionAlreadyAccepted();
        s->status = std::string(domain::kSuggestionAccepted);
        s->updated_at = now;
        if (auto r = tx.domains().UpdateSuggestion(*s); !r) return r.error();
        auto pending = tx.domains().HasPendingRequest(s->organization_id, user_id);
        if (!pending) return pending.error();
        if (!*pending) {
          domain::MembershipRequest req;
          req.id = request_id;
          req.organization_id = s->organization_id;
          req.user_id = user_id;
          req.created_at = req.updated_at = now;
          if (auto r = tx.domains().InsertRequest(req); !r) return r.error();
        }
        auto org = tx.organizations().Get(s->organization_id);
        if (!org) return org.error();
        return SuggestionView{std::move(*s), std::move(*org)};
      },
      std::move(done));
}

Result<void> EnrollUser(store::WriteTransaction& tx, IdGenerator& ids, const domain::User& user,
                        int64_t now) {
  std::optional<domain::OrganizationSettings> settings;
  for (const auto& e : user.email_addresses) {
    const std::string_view at = domain::EmailDomain(e.value);
    if (at.empty()) continue;
    auto domains = tx.domains().VerifiedNamed(at);
    if (!domains) return domains.error();
    for (const auto& d : *domains) {
      if (!settings) {
        auto loaded = tx.settings().Organization();
        if (!loaded) return loaded.error();
        settings = std::move(*loaded);
      }
      if (auto r = EnrollAt(tx, ids, d, user, e.value, *settings, now); !r) return r;
    }
  }
  return {};
}

}  // namespace orgd::service
