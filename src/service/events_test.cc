// The webhook events every service write records (service/event_payloads.h), on both stores:
// each kind of write through the services, then the outbox read back: the exact event types in
// order, their organization and object IDs, their time, payloads that are JSON naming the right
// object, and nothing at all for a write that was refused.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/errors.h"
#include "service/event_payloads.h"
#include "service/invitation_service.h"
#include "service/membership_service.h"
#include "service/organization_service.h"
#include "service/role_service.h"
#include "service/session_service.h"
#include "service/sign_in_token_service.h"
#include "service/signing_keys.h"
#include "service/user_service.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/store_sync.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"
#include "testing/tickets.h"

namespace orgd::service {
namespace {

using testing::Await;
using testing::SecretKeyContext;

// Every upload is a 10×10 PNG.
class AnyImage final : public media::ImageProcessor {
 public:
  Result<media::NormalizedImage> Normalize(std::string_view input) override {
    return media::NormalizedImage{"PNG:" + std::string(input), "image/png", 10, 10};
  }
};

// One event as a test expects it.
struct Expected {
  std::string type;
  std::optional<std::string> organization_id;  // nullopt: the row has none
  std::string object_id;
  std::string object;  // the payload's `object`
};

using testing::TicketOf;

class EventsTest : public ::testing::TestWithParam<std::string> {
 protected:
  EventsTest() : clock_(1'700'000'000'000), ids_(clock_) {
    db_ = testing::OpenTestStore(GetParam(), dir_.path());
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    EXPECT_TRUE(authority_->Load());
    orgs_ = std::make_unique<OrganizationService>(*db_, clock_, ids_, images_, executor_,
                                                  *authority_, payloads_);
    users_ = std::make_unique<UserService>(*db_, clock_, ids_, images_, executor_, payloads_);
    members_ = std::make_unique<MembershipService>(*db_, clock_, ids_, *authority_, payloads_);
    invitations_ = std::make_unique<InvitationService>(*db_, clock_, ids_, *authority_,
                                                       "https://app.example/accept", payloads_);
    roles_ = std::make_unique<RoleService>(*db_, clock_, ids_, *authority_, payloads_);
    keys_ = std::make_unique<SigningKeys>(*db_, clock_);
    EXPECT_TRUE(keys_->EnsureCurrent());
    sessions_ = std::make_unique<SessionService>(*db_, clock_, ids_, *authority_, *keys_, executor_,
                                                 SessionOptions{}, payloads_);
    tokens_ =
        std::make_unique<SignInTokenService>(*db_, clock_, ids_, sessions_->options(), payloads_);
    last_seq_ = LastSeq();
  }
  ~EventsTest() override { db_->Close(); }

  std::vector<store::OutboxEntry> RowsAfter(int64_t seq) {
    return *testing::ReadSync<std::vector<store::OutboxEntry>>(
        *db_, [seq](store::ReadTransaction& tx) { return tx.outbox().ListAfter(seq, 1000); });
  }
  int64_t LastSeq() {
    auto rows = RowsAfter(0);
    return rows.empty() ? 0 : rows.back().seq;
  }

  // The events recorded since the last call are exactly `expected`, in order, each at the clock's
  // time, with a JSON payload whose `object` and `id` name the event's object. Returns their
  // payloads, parsed.
  std::vector<boost::json::object> ExpectEvents(const std::vector<Expected>& expected) {
    auto rows = RowsAfter(last_seq_);
    if (!rows.empty()) last_seq_ = rows.back().seq;
    std::vector<std::string> got;
    for (const auto& row : rows) got.push_back(row.type);
    std::vector<std::string> want;
    for (const auto& e : expected) want.push_back(e.type);
    EXPECT_EQ(got, want);
    std::vector<boost::json::object> payloads;
    if (got != want) return payloads;
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& row = rows[i];
      const auto& e = expected[i];
      SCOPED_TRACE(row.type + " " + row.payload);
      EXPECT_EQ(row.organization_id, e.organization_id);
      EXPECT_EQ(row.object_id, std::optional<std::string>(e.object_id));
      EXPECT_EQ(row.created_at, clock_.NowMillis());
      boost::system::error_code ec;
      boost::json::value payload = boost::json::parse(row.payload, ec);
      EXPECT_FALSE(ec) << ec.message();
      if (ec || !payload.is_object()) {
        ADD_FAILURE() << "not a JSON object";
        payloads.emplace_back();
        continue;
      }
      const auto& o = payload.as_object();
      EXPECT_EQ(o.at("object"), e.object.c_str());
      EXPECT_EQ(o.at("id"), e.object_id.c_str());
      payloads.push_back(o);
    }
    return payloads;
  }
  // Nothing was recorded since the last call.
  void ExpectNoEvents() { ExpectEvents({}); }
  std::string NewUser(std::string email) {
    CreateUserCommand cmd;
    cmd.email_addresses = {std::move(email)};
    auto user = Await<domain::User>(
        [&](auto cb) { users_->Create(SecretKeyContext(), std::move(cmd), cb); });
    EXPECT_TRUE(user) << user.error().detail;
    return user->id;
  }
  Result<domain::Organization> NewOrg(std::optional<std::string> creator,
                                      std::optional<std::string> slug = {}) {
    CreateOrganizationCommand cmd;
    cmd.name = "Acme";
    cmd.slug = std::move(slug);
    cmd.created_by = std::move(creator);
    return Await<domain::Organization>(
        [&](auto cb) { orgs_->Create(SecretKeyContext(), std::move(cmd), cb); });
  }
  Result<MembershipView> Add(const std::string& org, const std::string& user,
                             std::string role = "org:member") {
    CreateMembershipCommand cmd;
    cmd.user_id = user;
    cmd.role = std::move(role);
    return Await<MembershipView>(
        [&](auto cb) { members_->Create(SecretKeyContext(), org, std::move(cmd), cb); });
  }
  CreateInvitationCommand Invitation(std::string email) {
    CreateInvitationCommand cmd;
    cmd.email_address = std::move(email);
    cmd.role = "org:member";
    return cmd;
  }
  Result<std::vector<InvitationView>> Invite(const std::string& org,
                                             std::vector<CreateInvitationCommand> items) {
    return Await<std::vector<InvitationView>>(
        [&](auto cb) { invitations_->CreateBulk(SecretKeyContext(), org, std::move(items), cb); });
  }
  std::string RoleIdOf(const std::string& key) {
    return testing::ReadSync<domain::Role>(
               *db_, [key](store::ReadTransaction& tx) { return tx.roles().GetByKey(key); })
        ->id;
  }

  orgd::testing::TempDir dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  AnyImage images_;
  InlineExecutor executor_;
  testing::TestEventPayloads payloads_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PermissionAuthority> authority_;
  std::unique_ptr<OrganizationService> orgs_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<MembershipService> members_;
  std::unique_ptr<InvitationService> invitations_;
  std::unique_ptr<RoleService> roles_;
  std::unique_ptr<SigningKeys> keys_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<SignInTokenService> tokens_;
  int64_t last_seq_ = 0;
};

TEST_P(EventsTest, OrganizationWritesRecordOrganizationEvents) {
  const std::string owner = NewUser("owner@acme.com");
  ExpectEvents({{event_type::kUserCreated, std::nullopt, owner, "user"}});

  clock_.Advance(1000);
  auto org = NewOrg(owner, "acme");
  ASSERT_TRUE(org);
  // The creator's membership (Create answers the organization only): the newest row's object.
  const std::string creator_membership = RowsAfter(0).back().object_id.value_or("");
  EXPECT_TRUE(creator_membership.starts_with("orgmem_"));
  auto created = ExpectEvents(
      {{event_type::kOrganizationCreated, org->id, org->id, "organization"},
       {event_type::kMembershipCreated, org->id, creator_membership, "organization_membership"}});
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].at("members_count"), 1);  // rendered with its creator
  EXPECT_EQ(created[1].at("user_id"), owner.c_str());
  EXPECT_EQ(created[1].at("role"), "org:admin");

  // An organization without a creator: the organization alone.
  auto bare = NewOrg(std::nullopt);
  ASSERT_TRUE(bare);
  ExpectEvents({{event_type::kOrganizationCreated, bare->id, bare->id, "organization"}});

  // Refused: a taken slug (in the transaction), a missing name (before it).
  EXPECT_EQ(NewOrg(std::nullopt, "acme").error().clerk_code, "form_identifier_exists");
  CreateOrganizationCommand nameless;
  EXPECT_FALSE(Await<domain::Organization>(
      [&](auto cb) { orgs_->Create(SecretKeyContext(), nameless, cb); }));
  ExpectNoEvents();

  // Every change is an organization.updated: fields, merged and replaced metadata, logo.
  clock_.Advance(1000);
  UpdateOrganizationCommand rename;
  rename.name = "Acme Inc";
  ASSERT_TRUE(Await<domain::Organization>(
      [&](auto cb) { orgs_->Update(SecretKeyContext(), org->id, rename, cb); }));
  MetadataCommand metadata;
  metadata.public_metadata = boost::json::object{{"plan", "pro"}};
  ASSERT_TRUE(Await<domain::Organization>(
      [&](auto cb) { orgs_->MergeMetadata(SecretKeyContext(), org->id, metadata, cb); }));
  ASSERT_TRUE(Await<domain::Organization>(
      [&](auto cb) { orgs_->ReplaceMetadata(SecretKeyContext(), org->id, metadata, cb); }));
  ASSERT_TRUE(Await<domain::Organization>([&](auto cb) {
    orgs_->SetLogo(SecretKeyContext(), org->id, LogoUpload{"logo", std::nullopt}, cb);
  }));
  ASSERT_TRUE(Await<domain::Organization>(
      [&](auto cb) { orgs_->DeleteLogo(SecretKeyContext(), org->id, cb); }));
  const Expected updated{event_type::kOrganizationUpdated, org->id, org->id, "organization"};
  auto updates = ExpectEvents({updated, updated, updated, updated, updated});
  ASSERT_EQ(updates.size(), 5u);
  EXPECT_EQ(updates[3].at("has_image"), true);
  EXPECT_EQ(updates[4].at("has_image"), false);
  EXPECT_EQ(updates[4].at("members_count"), 1);

  // Refused updates: a slug another organization has, metadata that is not an object.
  UpdateOrganizationCommand taken;
  taken.slug = "acme";
  EXPECT_EQ(Await<domain::Organization>(
                [&](auto cb) { orgs_->Update(SecretKeyContext(), bare->id, taken, cb); })
                .error()
                .clerk_code,
            "form_identifier_exists");
  MetadataCommand bad;
  bad.public_metadata = boost::json::array{1};
  EXPECT_FALSE(Await<domain::Organization>(
      [&](auto cb) { orgs_->MergeMetadata(SecretKeyContext(), org->id, bad, cb); }));
  ExpectNoEvents();

  // Deleting it records organization.deleted only, however many members and invitations go.
  ASSERT_TRUE(Add(org->id, NewUser("member@acme.com")));
  ASSERT_TRUE(Invite(org->id, {Invitation("invitee@acme.com")}));
  last_seq_ = LastSeq();
  clock_.Advance(1000);
  ASSERT_TRUE(
      Await<DeletedOrganization>([&](auto cb) { orgs_->Delete(SecretKeyContext(), org->id, cb); }));
  auto deleted =
      ExpectEvents({{event_type::kOrganizationDeleted, org->id, org->id, "organization"}});
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].at("deleted"), true);
  EXPECT_EQ(deleted[0].at("slug"), "acme");
  // A second delete finds nothing: no event.
  EXPECT_FALSE(
      Await<DeletedOrganization>([&](auto cb) { orgs_->Delete(SecretKeyContext(), org->id, cb); }));
  ExpectNoEvents();
}

TEST_P(EventsTest, MembershipWritesRecordMembershipEvents) {
  const std::string owner = NewUser("owner@acme.com");
  const std::string jane = NewUser("jane@acme.com");
  auto org = NewOrg(owner);
  ASSERT_TRUE(org);
  last_seq_ = LastSeq();

  clock_.Advance(1000);
  auto added = Add(org->id, jane);
  ASSERT_TRUE(added);
  const std::string id = added->membership.id;
  const Expected created{event_type::kMembershipCreated, org->id, id, "organization_membership"};
  auto payload = ExpectEvents({created});
  ASSERT_EQ(payload.size(), 1u);
  EXPECT_EQ(payload[0].at("members_count"), 2);
  EXPECT_EQ(payload[0].at("organization_id"), org->id.c_str());

  // Refused: already a member; an unknown user.
  EXPECT_EQ(Add(org->id, jane).error().clerk_code, "already_a_member_in_organization");
  EXPECT_FALSE(Add(org->id, "user_missing"));
  ExpectNoEvents();

  // A new role and merged metadata are updates.
  clock_.Advance(1000);
  ASSERT_TRUE(Await<MembershipView>(
      [&](auto cb) { members_->UpdateRole(SecretKeyContext(), org->id, jane, "org:admin", cb); }));
  MembershipMetadataCommand metadata;
  metadata.private_metadata = boost::json::object{{"seat", 7}};
  ASSERT_TRUE(Await<MembershipView>(
      [&](auto cb) { members_->MergeMetadata(SecretKeyContext(), org->id, jane, metadata, cb); }));
  const Expected updated{event_type::kMembershipUpdated, org->id, id, "organization_membership"};
  auto updates = ExpectEvents({updated, updated});
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0].at("role"), "org:admin");

  // Demoting back and removing her leaves the owner as the one admin; removing the owner then
  // (the last admin, with a member left) is refused and records nothing.
  ASSERT_TRUE(Await<MembershipView>(
      [&](auto cb) { members_->UpdateRole(SecretKeyContext(), org->id, jane, "org:member", cb); }));
  last_seq_ = LastSeq();
  EXPECT_EQ(Await<MembershipView>(
                [&](auto cb) { members_->Delete(SecretKeyContext(), org->id, owner, cb); })
                .error()
                .clerk_code,
            "organization_minimum_permissions_needed");
  EXPECT_EQ(Await<MembershipView>([&](auto cb) {
              members_->UpdateRole(SecretKeyContext(), org->id, owner, "org:member", cb);
            })
                .error()
                .clerk_code,
            "organization_minimum_permissions_needed");
  ExpectNoEvents();

  clock_.Advance(1000);
  ASSERT_TRUE(Await<MembershipView>(
      [&](auto cb) { members_->Delete(SecretKeyContext(), org->id, jane, cb); }));
  auto removed =
      ExpectEvents({{event_type::kMembershipDeleted, org->id, id, "organization_membership"}});
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].at("members_count"), 1);  // the organization as the removal leaves it
  EXPECT_EQ(removed[0].at("user_id"), jane.c_str());
}

TEST_P(EventsTest, InvitationWritesRecordInvitationEvents) {
  const std::string owner = NewUser("owner@acme.com");
  auto org = NewOrg(owner);
  ASSERT_TRUE(org);
  last_seq_ = LastSeq();

  // A bulk create: one event per invitation, in the order given.
  clock_.Advance(1000);
  auto made = Invite(org->id, {Invitation("a@acme.com"), Invitation("b@acme.com")});
  ASSERT_TRUE(made);
  ASSERT_EQ(made->size(), 2u);
  const std::string a = (*made)[0].invitation.id;
  const std::string b = (*made)[1].invitation.id;
  auto created =
      ExpectEvents({{event_type::kInvitationCreated, org->id, a, "organization_invitation"},
                    {event_type::kInvitationCreated, org->id, b, "organization_invitation"}});
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].at("status"), "pending");
  EXPECT_EQ(created[1].at("organization_id"), org->id.c_str());

  // Refused: all or nothing (the second item is already pending); a bad address.
  EXPECT_EQ(
      Invite(org->id, {Invitation("c@acme.com"), Invitation("a@acme.com")}).error().clerk_code,
      "organization_invitation_not_unique");
  EXPECT_FALSE(Invite(org->id, {Invitation("not an address")}));
  ExpectNoEvents();

  clock_.Advance(1000);
  ASSERT_TRUE(Await<InvitationView>(
      [&](auto cb) { invitations_->Revoke(SecretKeyContext(), org->id, b, std::nullopt, cb); }));
  auto revoked =
      ExpectEvents({{event_type::kInvitationRevoked, org->id, b, "organization_invitation"}});
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].at("status"), "revoked");
  // Revoking it again is refused.
  EXPECT_FALSE(Await<InvitationView>(
      [&](auto cb) { invitations_->Revoke(SecretKeyContext(), org->id, b, std::nullopt, cb); }));
  ExpectNoEvents();

  // Accepting: the invitation is accepted (saying by whom), then the membership is created.
  const std::string user = NewUser("a@acme.com");
  last_seq_ = LastSeq();
  clock_.Advance(1000);
  const std::string ticket = TicketOf(*(*made)[0].invitation.url);
  auto member = Await<MembershipView>([&](auto cb) {
    invitations_->Accept(SecretKeyContext(), AcceptInvitationCommand{ticket, user}, cb);
  });
  ASSERT_TRUE(member) << member.error().clerk_code;
  auto accepted =
      ExpectEvents({{event_type::kInvitationAccepted, org->id, a, "organization_invitation"},
                    {event_type::kMembershipCreated, org->id, member->membership.id,
                     "organization_membership"}});
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_EQ(accepted[0].at("status"), "accepted");
  EXPECT_EQ(accepted[0].at("user_id"), user.c_str());
  EXPECT_EQ(accepted[1].at("members_count"), 2);

  // Refused: the same ticket again.
  EXPECT_EQ(Await<MembershipView>([&](auto cb) {
              invitations_->Accept(SecretKeyContext(), AcceptInvitationCommand{ticket, user}, cb);
            })
                .error()
                .clerk_code,
            "organization_invitation_already_accepted");
  ExpectNoEvents();
}

TEST_P(EventsTest, RoleAndPermissionWritesRecordTheirEvents) {
  clock_.Advance(1000);
  PermissionCommand pcmd;
  pcmd.name = "Read posts";
  pcmd.key = "org:posts:read";
  auto perm = Await<domain::Permission>(
      [&](auto cb) { roles_->CreatePermission(SecretKeyContext(), pcmd, cb); });
  ASSERT_TRUE(perm);
  ExpectEvents({{event_type::kPermissionCreated, std::nullopt, perm->id, "permission"}});

  // Refused: a taken key.
  EXPECT_EQ(Await<domain::Permission>(
                [&](auto cb) { roles_->CreatePermission(SecretKeyContext(), pcmd, cb); })
                .error()
                .clerk_code,
            "form_identifier_exists");
  ExpectNoEvents();

  PermissionCommand rename;
  rename.name = "Read all posts";
  ASSERT_TRUE(Await<domain::Permission>(
      [&](auto cb) { roles_->UpdatePermission(SecretKeyContext(), perm->id, rename, cb); }));
  ExpectEvents({{event_type::kPermissionUpdated, std::nullopt, perm->id, "permission"}});

  RoleCommand rcmd;
  rcmd.name = "Editor";
  rcmd.key = "org:editor";
  auto role =
      Await<domain::Role>([&](auto cb) { roles_->CreateRole(SecretKeyContext(), rcmd, cb); });
  ASSERT_TRUE(role);
  ExpectEvents({{event_type::kRoleCreated, std::nullopt, role->id, "role"}});

  // Its fields, a permission added, a permission removed: each a role.updated.
  RoleCommand describe;
  describe.description = "Edits posts";
  ASSERT_TRUE(Await<domain::Role>(
      [&](auto cb) { roles_->UpdateRole(SecretKeyContext(), role->id, describe, cb); }));
  ASSERT_TRUE(Await<domain::Role>(
      [&](auto cb) { roles_->AddPermission(SecretKeyContext(), role->id, perm->id, cb); }));
  ASSERT_TRUE(Await<domain::Role>(
      [&](auto cb) { roles_->RemovePermission(SecretKeyContext(), role->id, perm->id, cb); }));
  const Expected updated{event_type::kRoleUpdated, std::nullopt, role->id, "role"};
  auto updates = ExpectEvents({updated, updated, updated});
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(updates[1].at("permissions").as_array().size(), 1u);
  EXPECT_EQ(updates[2].at("permissions").as_array().size(), 0u);

  // Refused: the permission is no longer the role's; the creator role cannot go.
  EXPECT_FALSE(Await<domain::Role>(
      [&](auto cb) { roles_->RemovePermission(SecretKeyContext(), role->id, perm->id, cb); }));
  EXPECT_EQ(Await<std::string>(
                [&](auto cb) { roles_->DeleteRole(SecretKeyContext(), RoleIdOf("org:admin"), cb); })
                .error()
                .clerk_code,
            "organization_role_default_creator_role");
  ExpectNoEvents();

  clock_.Advance(1000);
  ASSERT_TRUE(
      Await<std::string>([&](auto cb) { roles_->DeleteRole(SecretKeyContext(), role->id, cb); }));
  ASSERT_TRUE(Await<std::string>(
      [&](auto cb) { roles_->DeletePermission(SecretKeyContext(), perm->id, cb); }));
  auto deleted =
      ExpectEvents({{event_type::kRoleDeleted, std::nullopt, role->id, "role"},
                    {event_type::kPermissionDeleted, std::nullopt, perm->id, "permission"}});
  ASSERT_EQ(deleted.size(), 2u);
  for (const auto& d : deleted) {
    EXPECT_EQ(d.at("deleted"), true);
    EXPECT_FALSE(d.contains("slug"));
  }
}

TEST_P(EventsTest, UserAndSessionWritesRecordTheirEvents) {
  clock_.Advance(1000);
  CreateUserCommand create;
  create.email_addresses = {"jane@acme.com"};
  create.external_id = "crm-7";
  auto user = Await<domain::User>([&](auto cb) { users_->Create(SecretKeyContext(), create, cb); });
  ASSERT_TRUE(user);
  const std::string id = user->id;
  ExpectEvents({{event_type::kUserCreated, std::nullopt, id, "user"}});

  // Refused: the address is taken.
  EXPECT_EQ(Await<domain::User>([&](auto cb) { users_->Create(SecretKeyContext(), create, cb); })
                .error()
                .clerk_code,
            "form_identifier_exists");
  ExpectNoEvents();

  // Fields, merged and replaced metadata, a profile image set and removed: user.updated each.
  clock_.Advance(1000);
  UpdateUserCommand update;
  update.first_name = "Jane";
  ASSERT_TRUE(
      Await<domain::User>([&](auto cb) { users_->Update(SecretKeyContext(), id, update, cb); }));
  UserMetadataCommand metadata;
  metadata.unsafe_metadata = boost::json::object{{"theme", "dark"}};
  ASSERT_TRUE(Await<domain::User>(
      [&](auto cb) { users_->MergeMetadata(SecretKeyContext(), id, metadata, cb); }));
  ASSERT_TRUE(Await<domain::User>(
      [&](auto cb) { users_->ReplaceMetadata(SecretKeyContext(), id, metadata, cb); }));
  ASSERT_TRUE(Await<domain::User>(
      [&](auto cb) { users_->SetProfileImage(SecretKeyContext(), id, "face", cb); }));
  ASSERT_TRUE(Await<domain::User>(
      [&](auto cb) { users_->DeleteProfileImage(SecretKeyContext(), id, cb); }));
  const Expected updated{event_type::kUserUpdated, std::nullopt, id, "user"};
  auto updates = ExpectEvents({updated, updated, updated, updated, updated});
  ASSERT_EQ(updates.size(), 5u);
  EXPECT_EQ(updates[3].at("has_image"), true);
  EXPECT_EQ(updates[4].at("has_image"), false);

  // Sessions: opened through the Backend API and by a redeemed sign-in token (creating the token
  // records nothing), then one revoked.
  clock_.Advance(1000);
  auto first = Await<SessionView>([&](auto cb) {
    sessions_->Create(SecretKeyContext(), CreateSessionCommand{id, std::nullopt}, cb);
  });
  ASSERT_TRUE(first);
  auto token = Await<SignInTokenView>([&](auto cb) {
    tokens_->Create(SecretKeyContext(), CreateSignInTokenCommand{id, 600, std::nullopt}, cb);
  });
  ASSERT_TRUE(token);
  ExpectEvents({{event_type::kSessionCreated, std::nullopt, first->session.id, "session"}});
  clock_.Advance(1000);  // the second session is the newer one
  auto second =
      Await<SessionView>([&](auto cb) { tokens_->Redeem(SecretKeyContext(), *token->secret, cb); });
  ASSERT_TRUE(second);
  auto opened =
      ExpectEvents({{event_type::kSessionCreated, std::nullopt, second->session.id, "session"}});
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].at("status"), "active");
  EXPECT_EQ(opened[0].at("user").at("id"), id.c_str());

  // Refused: the token again.
  EXPECT_FALSE(Await<SessionView>(
      [&](auto cb) { tokens_->Redeem(SecretKeyContext(), *token->secret, cb); }));
  ExpectNoEvents();

  auto third = Await<SessionView>([&](auto cb) {
    sessions_->Create(SecretKeyContext(), CreateSessionCommand{id, std::nullopt}, cb);
  });
  ASSERT_TRUE(third);
  last_seq_ = LastSeq();
  ASSERT_TRUE(Await<SessionView>(
      [&](auto cb) { sessions_->Revoke(SecretKeyContext(), third->session.id, cb); }));
  auto revoked =
      ExpectEvents({{event_type::kSessionRevoked, std::nullopt, third->session.id, "session"}});
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].at("status"), "revoked");
  EXPECT_EQ(revoked[0].at("user").at("id"), id.c_str());
  EXPECT_FALSE(Await<SessionView>(
      [&](auto cb) { sessions_->Revoke(SecretKeyContext(), third->session.id, cb); }));
  ExpectNoEvents();

  // Deleting the user ends their two active sessions (oldest first), then says the user is gone.
  clock_.Advance(1000);
  ASSERT_TRUE(Await<std::string>([&](auto cb) { users_->Delete(SecretKeyContext(), id, cb); }));
  auto gone =
      ExpectEvents({{event_type::kSessionEnded, std::nullopt, first->session.id, "session"},
                    {event_type::kSessionEnded, std::nullopt, second->session.id, "session"},
                    {event_type::kUserDeleted, std::nullopt, id, "user"}});
  ASSERT_EQ(gone.size(), 3u);
  EXPECT_EQ(gone[0].at("status"), "ended");
  EXPECT_TRUE(gone[0].at("user").is_null());
  EXPECT_EQ(gone[2].at("deleted"), true);
  EXPECT_EQ(gone[2].at("external_id"), "crm-7");
  EXPECT_FALSE(Await<std::string>([&](auto cb) { users_->Delete(SecretKeyContext(), id, cb); }));
  ExpectNoEvents();
}

INSTANTIATE_TEST_SUITE_P(Backends, EventsTest, testing::kStoreKinds,
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::service
