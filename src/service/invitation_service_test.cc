// InvitationService::Accept, behind the Frontend API's ticket sign-in and sign-up: tickets, single
// use, every refusal, and the races of issue 14 (acceptances into the last free seats; a revoke
// racing an accept), on both stores.
#include "service/invitation_service.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <future>

#include "domain/errors.h"
#include "service/organization_service.h"
#include "service/user_service.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/no_images.h"
#include "testing/store_sync.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"
#include "testing/tickets.h"

namespace orgd::service {
namespace {

using testing::Await;
using testing::SecretKeyContext;

using testing::NoImages;

using testing::TicketOf;

class InvitationServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  InvitationServiceTest() : clock_(1'700'000'000'000), ids_(clock_) {
    db_ = testing::OpenTestStore(GetParam(), dir_.path());
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    EXPECT_TRUE(authority_->Load());
    orgs_ = std::make_unique<OrganizationService>(*db_, clock_, ids_, images_, executor_,
                                                  *authority_, payloads_);
    users_ = std::make_unique<UserService>(*db_, clock_, ids_, images_, executor_, payloads_);
    invitations_ = std::make_unique<InvitationService>(*db_, clock_, ids_, *authority_,
                                                       "https://app.example/accept", payloads_);
  }
  ~InvitationServiceTest() override { db_->Close(); }

  std::string NewUser(std::string email) {
    CreateUserCommand cmd;
    cmd.email_addresses = {std::move(email)};
    auto user = Await<domain::User>(
        [&](auto cb) { users_->Create(SecretKeyContext(), std::move(cmd), cb); });
    EXPECT_TRUE(user);
    return user->id;
  }
  domain::Organization NewOrg(int64_t max_members = 0) {
    CreateOrganizationCommand cmd;
    cmd.name = "Acme";
    cmd.created_by = NewUser("owner-" + std::to_string(++orgs_made_) + "@acme.com");
    cmd.max_allowed_memberships = max_members;
    return *Await<domain::Organization>(
        [&](auto cb) { orgs_->Create(SecretKeyContext(), std::move(cmd), cb); });
  }
  Result<InvitationView> Invite(const std::string& org, std::string email) {
    CreateInvitationCommand cmd;
    cmd.email_address = std::move(email);
    cmd.role = "org:member";
    cmd.public_metadata = boost::json::object{{"team", "red"}};
    cmd.private_metadata = boost::json::object{{"source", "crm"}};
    return Await<InvitationView>(
        [&](auto cb) { invitations_->Create(SecretKeyContext(), org, std::move(cmd), cb); });
  }
  Result<MembershipView> Accept(const std::string& ticket, const std::string& user,
                                const RequestContext& ctx = SecretKeyContext()) {
    return Await<MembershipView>([&](auto cb) {
      invitations_->Accept(ctx, AcceptInvitationCommand{ticket, user}, cb);
    });
  }
  Result<InvitationView> Revoke(const std::string& org, const std::string& id) {
    return Await<InvitationView>(
        [&](auto cb) { invitations_->Revoke(SecretKeyContext(), org, id, std::nullopt, cb); });
  }
  Result<InvitationView> GetInvitation(const std::string& org, const std::string& id) {
    return Await<InvitationView>(
        [&](auto cb) { invitations_->Get(SecretKeyContext(), org, id, cb); });
  }
  int64_t Members(const std::string& org) {
    return Await<domain::Organization>([&](auto cb) { orgs_->Get(SecretKeyContext(), org, cb); })
        ->members_count;
  }
  int64_t MemberRows(const std::string& org) {
    store::MembershipListQuery query;
    query.organization_id = org;
    query.user_id = std::nullopt;
    query.limit = 500;
    query.roles = {"org:admin", "org:member"};  // counts rows (not the stored count)
    return testing::ReadSync<store::Page<domain::Membership>>(
               *db_, [query](store::ReadTransaction& tx) { return tx.memberships().List(query); })
        ->total_count;
  }

  orgd::testing::TempDir dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  NoImages images_;
  InlineExecutor executor_;
  testing::TestEventPayloads payloads_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PermissionAuthority> authority_;
  std::unique_ptr<OrganizationService> orgs_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<InvitationService> invitations_;
  int orgs_made_ = 0;
};

TEST_P(InvitationServiceTest, TheTicketOfTheLinkMakesItsAddressAMemberOnce) {
  auto org = NewOrg();
  auto inv = Invite(org.id, "New@Acme.com");
  ASSERT_TRUE(inv);
  ASSERT_TRUE(inv->invitation.url);
  EXPECT_TRUE(inv->invitation.url->starts_with("https://app.example/accept?__clerk_ticket="));
  EXPECT_NE(inv->invitation.url->find("&__clerk_status=sign_up"), std::string::npos);
  const std::string ticket = TicketOf(*inv->invitation.url);
  const std::string user = NewUser("new@acme.com");

  auto member = Accept(ticket, user);
  ASSERT_TRUE(member) << member.error().clerk_code << " " << member.error().detail;
  EXPECT_EQ(member->membership.role, "org:member");
  EXPECT_EQ(member->membership.user_id, user);
  EXPECT_EQ(boost::json::serialize(member->membership.public_metadata), R"({"team":"red"})");
  EXPECT_EQ(boost::json::serialize(member->membership.private_metadata), R"({"source":"crm"})");
  EXPECT_EQ(Members(org.id), 2);
  EXPECT_EQ(GetInvitation(org.id, inv->invitation.id)->invitation.Status(clock_.NowMillis()),
            "accepted");
  // Single use.
  EXPECT_EQ(Accept(ticket, user).error().clerk_code, "organization_invitation_already_accepted");
  EXPECT_EQ(Members(org.id), 2);
}

TEST_P(InvitationServiceTest, ForgedForeignRevokedAndExpiredTicketsAreRefused) {
  auto org = NewOrg();
  auto inv = Invite(org.id, "jane@acme.com");
  ASSERT_TRUE(inv);
  const std::string ticket = TicketOf(*inv->invitation.url);
  const std::string jane = NewUser("jane@acme.com");
  const std::string mallory = NewUser("mallory@evil.com");

  std::string forged = ticket;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(Accept(forged, jane).error().clerk_code, "ticket_invalid_code");
  EXPECT_EQ(Accept("orginv_none.abc", jane).error().clerk_code, "ticket_invalid_code");
  EXPECT_EQ(Accept("garbage", jane).error().clerk_code, "ticket_invalid_code");
  // Someone else's valid ticket: bound to the invited address.
  EXPECT_EQ(Accept(ticket, mallory).error().clerk_code, "ticket_invalid_code");
  // A signed-in user accepts only as themselves.
  EXPECT_EQ(Accept(ticket, jane, testing::SessionContext(mallory)).error().clerk_code,
            "authorization_invalid");
  EXPECT_EQ(Members(org.id), 1);
  EXPECT_TRUE(Accept(ticket, jane, testing::SessionContext(jane)));

  auto revoked = Invite(org.id, "rick@acme.com");
  ASSERT_TRUE(Revoke(org.id, revoked->invitation.id));
  EXPECT_EQ(Accept(TicketOf(*revoked->invitation.url), NewUser("rick@acme.com")).error().clerk_code,
            "organization_invitation_revoked_code");

  auto late = Invite(org.id, "late@acme.com");
  const std::string late_user = NewUser("late@acme.com");
  clock_.Advance(31LL * 24 * 60 * 60 * 1000);
  EXPECT_EQ(GetInvitation(org.id, late->invitation.id)->invitation.Status(clock_.NowMillis()),
            "expired");
  EXPECT_EQ(Accept(TicketOf(*late->invitation.url), late_user).error().clerk_code,
            "organization_invitation_expired");
  EXPECT_EQ(Members(org.id), 2);
}

// 20 acceptances at once into an organization with 5 free seats (its limit was lowered after the
// invitations went out): exactly 5 members more, 15 clear refusals, counts equal to the rows.
TEST_P(InvitationServiceTest, ConcurrentAcceptancesFillTheFreeSeatsExactly) {
  auto org = NewOrg(/*max_members=*/25);
  std::vector<std::pair<std::string, std::string>> accepts;  // ticket, user
  for (int i = 0; i < 20; ++i) {
    const std::string email = "guest" + std::to_string(i) + "@acme.com";
    auto inv = Invite(org.id, email);
    ASSERT_TRUE(inv) << inv.error().clerk_code;
    accepts.emplace_back(TicketOf(*inv->invitation.url), NewUser(email));
  }
  UpdateOrganizationCommand lower;
  lower.max_allowed_memberships = 6;  // the owner and 5 free seats
  ASSERT_TRUE(Await<domain::Organization>(
      [&](auto cb) { orgs_->Update(SecretKeyContext(), org.id, lower, cb); }));

  std::vector<std::future<Result<MembershipView>>> results;
  for (const auto& [ticket, user] : accepts) {
    auto promise = std::make_shared<std::promise<Result<MembershipView>>>();
    results.push_back(promise->get_future());
    invitations_->Accept(SecretKeyContext(), AcceptInvitationCommand{ticket, user},
                         [promise](Result<MembershipView> r) { promise->set_value(std::move(r)); });
  }
  int accepted = 0, refused = 0;
  for (auto& f : results) {
    auto r = f.get();
    if (r) {
      ++accepted;
    } else {
      EXPECT_EQ(r.error().clerk_code, "organization_membership_quota_exceeded");
      ++refused;
    }
  }
  EXPECT_EQ(accepted, 5);
  EXPECT_EQ(refused, 15);
  EXPECT_EQ(Members(org.id), 6);
  EXPECT_EQ(MemberRows(org.id), 6);
}

// A revoke racing an accept ends in one of the two, never both.
TEST_P(InvitationServiceTest, ARevokeRacingAnAcceptEndsInOneOfTheTwo) {
  auto org = NewOrg();
  for (int round = 0; round < 10; ++round) {
    const std::string email = "racer" + std::to_string(round) + "@acme.com";
    auto inv = Invite(org.id, email);
    ASSERT_TRUE(inv);
    const std::string user = NewUser(email);
    auto revoked = std::make_shared<std::promise<Result<InvitationView>>>();
    auto accepted = std::make_shared<std::promise<Result<MembershipView>>>();
    auto r1 = revoked->get_future();
    auto r2 = accepted->get_future();
    invitations_->Accept(
        SecretKeyContext(), AcceptInvitationCommand{TicketOf(*inv->invitation.url), user},
        [accepted](Result<MembershipView> r) { accepted->set_value(std::move(r)); });
    invitations_->Revoke(SecretKeyContext(), org.id, inv->invitation.id, std::nullopt,
                         [revoked](Result<InvitationView> r) { revoked->set_value(std::move(r)); });
    const bool did_revoke = r1.get().has_value();
    const bool did_accept = r2.get().has_value();
    EXPECT_NE(did_revoke, did_accept) << "round " << round;
    const std::string now(
        GetInvitation(org.id, inv->invitation.id)->invitation.Status(clock_.NowMillis()));
    EXPECT_EQ(now, did_accept ? "accepted" : "revoked");
  }
  EXPECT_EQ(Members(org.id), MemberRows(org.id));
}

INSTANTIATE_TEST_SUITE_P(Stores, InvitationServiceTest, testing::kStoreKinds,
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::service
