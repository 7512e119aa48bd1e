// The write seam (service/transaction.h): every write can append side effects in its own
// transaction. A test hook records one effect per write; the outbox then holds exactly one row per
// committed write, none for a write that rolled back, and each row says who caused it.
#include "service/transaction.h"

#include <gtest/gtest.h>

#include "domain/errors.h"
#include "service/audit_service.h"
#include "service/organization_service.h"
#include "store/postgres/postgres_database.h"
#include "store/store_errors.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/no_images.h"
#include "testing/store_sync.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

using testing::Await;
using testing::SecretKeyContext;

using testing::NoImages;

// Records one effect for every write that reaches the hook (one whose work succeeded).
void RecordEveryWrite(Effects& effects) {
  Effect e;
  e.type = "test.write";
  e.payload = R"({"hooked":true})";
  e.created_at = 42;
  effects.Record(std::move(e));
}

class TransactionTest : public ::testing::TestWithParam<std::string> {
 protected:
  TransactionTest() : clock_(1'700'000'000'000), ids_(clock_) {
    db_ = testing::OpenTestStore(GetParam(), dir_.path());
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    EXPECT_TRUE(authority_->Load());
    orgs_ = std::make_unique<OrganizationService>(*db_, clock_, ids_, images_, executor_,
                                                  *authority_, payloads_);
    SetWriteHookForTest(&RecordEveryWrite);
  }
  ~TransactionTest() override {
    SetWriteHookForTest(nullptr);
    db_->Close();
  }

  Result<domain::Organization> CreateOrg(std::string name, std::optional<std::string> slug = {}) {
    CreateOrganizationCommand cmd;
    cmd.name = std::move(name);
    cmd.slug = std::move(slug);
    return Await<domain::Organization>(
        [&](auto cb) { orgs_->Create(SecretKeyContext(), std::move(cmd), cb); });
  }
  std::vector<store::OutboxEntry> Outbox() {
    return *testing::ReadSync<std::vector<store::OutboxEntry>>(
        *db_, [](store::ReadTransaction& tx) { return tx.outbox().ListAfter(0, 100); });
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
};

TEST_P(TransactionTest, EffectsAreWrittenExactlyWithTheWritesThatCommit) {
  ASSERT_TRUE(CreateOrg("Acme", "acme"));
  // Refused inside the transaction (the slug is taken): rolled back, no effect.
  auto taken = CreateOrg("Acme again", "acme");
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().clerk_code, "form_identifier_exists");
  // Refused before any transaction (no name): no write at all.
  ASSERT_FALSE(CreateOrg(""));
  // Refused inside the transaction for its caller: a session user creates as themselves, and
  // this one does not exist (the organization inserted before that check is rolled back).
  CreateOrganizationCommand cmd;
  cmd.name = "Theirs";
  auto refused = Await<domain::Organization>(
      [&](auto cb) { orgs_->Create(testing::SessionContext("user_1"), std::move(cmd), cb); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().clerk_code, "organization_creator_not_found");
  ASSERT_TRUE(CreateOrg("Globex"));

  // Each create that committed: its own organization.created, then the hook's effect.
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 4u);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (i % 2 == 0) {
      EXPECT_EQ(row.type, "organization.created");
    } else {
      EXPECT_EQ(row.type, "test.write");
      EXPECT_EQ(row.payload, R"({"hooked":true})");
    }
    EXPECT_EQ(row.caller_kind, "secret_key");
    EXPECT_EQ(row.caller_id, "key_test");
    EXPECT_EQ(row.request_id, "req_test");
    EXPECT_EQ(row.remote_ip, "127.0.0.1");
    EXPECT_EQ(row.user_agent, "orgd-tests");
    EXPECT_TRUE(row.id.starts_with("evt_"));
  }
  EXPECT_LT(rows[0].seq, rows[1].seq);
}

// The audit log is written by the same seam: one entry per event (and per AuditRecord) of each
// write that committed, none for one that rolled back, each with its origin; an update keeps the
// object before and after.
TEST_P(TransactionTest, AuditEntriesAreWrittenExactlyWithTheWritesThatCommit) {
  auto org = CreateOrg("Acme", "acme");
  ASSERT_TRUE(org);
  ASSERT_FALSE(CreateOrg("Acme again", "acme"));  // rolled back
  MetadataCommand cmd;
  cmd.public_metadata = boost::json::object{{"plan", "gold"}};
  ASSERT_TRUE(Await<domain::Organization>(
      [&](auto cb) { orgs_->MergeMetadata(SecretKeyContext(), org->id, std::move(cmd), cb); }));
  auto entries = *testing::ReadSync<std::vector<store::AuditEntry>>(
      *db_, [](store::ReadTransaction& tx) { return tx.audit().List(store::AuditQuery{}); });
  // Newest first: the update's event and hook, then the create's.
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].action, "test.write");
  EXPECT_EQ(entries[1].action, "organization.updated");
  EXPECT_EQ(entries[2].action, "test.write");
  EXPECT_EQ(entries[3].action, "organization.created");
  const store::AuditEntry& created = entries[3];
  EXPECT_EQ(created.resource_type, "organization");
  EXPECT_EQ(created.resource_id, org->id);
  EXPECT_EQ(created.organization_id, org->id);
  EXPECT_FALSE(created.before);
  ASSERT_TRUE(created.after);
  EXPECT_NE(created.after->find(org->id), std::string::npos);
  const store::AuditEntry& updated = entries[1];
  ASSERT_TRUE(updated.before);
  ASSERT_TRUE(updated.after);
  EXPECT_NE(updated.before->find(org->id), std::string::npos);
  for (const auto& e : entries) {
    EXPECT_TRUE(e.id.starts_with("aud_"));
    EXPECT_EQ(e.actor_kind, "secret_key");
    EXPECT_EQ(e.actor_id, "key_test");
    EXPECT_EQ(e.request_id, "req_test");
    EXPECT_EQ(e.remote_ip, "127.0.0.1");
    EXPECT_EQ(e.user_agent, "orgd-tests");
  }
}

// --audit-retention: the purge job removes what is older than the retention, at most a batch per
// run, and nothing newer; only a trusted caller reads the log.
TEST_P(TransactionTest, ThePurgeJobAndTheReadersOfTheLog) {
  // The hook's entries are dated 42 (RecordEveryWrite): old from the start.
  ASSERT_TRUE(CreateOrg("Old"));  // organization.created at t0, the hook's at 42
  clock_.Advance(10'000);
  ASSERT_TRUE(CreateOrg("New"));  // organization.created at t0 + 10 s, the hook's at 42
  auto purge = PurgeAuditLog(clock_, std::chrono::seconds(5), 1);
  auto run = [&] {
    return testing::WriteSync<void>(
        *db_, [&](store::WriteTransaction& tx) { return purge(tx, store::Job{}); });
  };
  AuditService audit(*db_);
  auto list = [&](const RequestContext& ctx) {
    return Await<AuditPage>([&](auto cb) { audit.List(ctx, store::AuditQuery{}, cb); });
  };
  ASSERT_EQ(list(SecretKeyContext())->data.size(), 4u);
  ASSERT_TRUE(run());
  EXPECT_EQ(list(SecretKeyContext())->data.size(), 3u);  // one batch of one
  ASSERT_TRUE(run());
  ASSERT_TRUE(run());
  ASSERT_TRUE(run());  // nothing more to purge
  auto left = list(SecretKeyContext());
  ASSERT_EQ(left->data.size(), 1u);
  EXPECT_FALSE(left->next_cursor);
  EXPECT_EQ(left->data.back().created_at, clock_.NowMillis());

  auto refused = list(testing::SessionContext("user_1"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
}

TEST(AuditResourceTypeTest, IsTheEventPrefixInSnakeCase) {
  EXPECT_EQ(AuditResourceType("organization.created"), "organization");
  EXPECT_EQ(AuditResourceType("organizationMembership.deleted"), "organization_membership");
  EXPECT_EQ(AuditResourceType("organizationDomain.updated"), "organization_domain");
  EXPECT_EQ(AuditResourceType("session.revoked"), "session");
}

// Found while fuzzing (issue 19): a Latin-1 User-Agent made every write fail on PostgreSQL
// ("invalid byte sequence for encoding UTF8" on the outbox row).
TEST(WriteOriginTest, TheUserAgentIsMadeUtf8) {
  RequestContext ctx;
  ctx.user_agent = "caf\xe9/1.0";
  EXPECT_EQ(WriteOrigin::From(ctx).user_agent, "caf\xef\xbf\xbd/1.0");
  ctx.user_agent = "caf\xc3\xa9/1.0";
  EXPECT_EQ(WriteOrigin::From(ctx).user_agent, "caf\xc3\xa9/1.0");
}

TEST_P(TransactionTest, ARetriedWriteAppendsItsEffectsOnce) {
  auto* pg = dynamic_cast<store::postgres::PostgresDatabase*>(db_.get());
  if (pg == nullptr) GTEST_SKIP() << "only PostgreSQL retries writes";
  pg->InjectSerializationFailuresForTest(2);
  ASSERT_TRUE(CreateOrg("Retried"));
  EXPECT_EQ(Outbox().size(), 2u);  // organization.created and the hook's, once
  auto audit = *testing::ReadSync<std::vector<store::AuditEntry>>(
      *db_, [](store::ReadTransaction& tx) { return tx.audit().List(store::AuditQuery{}); });
  EXPECT_EQ(audit.size(), 2u);  // and their audit entries, once
}

TEST(ServiceErrorTest, MapsWhatTheServiceDidNotAndHidesTheRest) {
  Error missing = ServiceError(store::NotFound("organization"));
  EXPECT_EQ(missing.clerk_code, "resource_not_found");
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  Error unmapped = ServiceError(store::UniqueViolation(store::constraint::kOrganizationId));
  EXPECT_EQ(unmapped.code, ErrorCode::kInternal);
  EXPECT_EQ(unmapped.clerk_code, "internal_clerk_error");
  EXPECT_NE(unmapped.detail.find("organizations.id"), std::string::npos);
  Error clerk = ServiceError(errors::SlugsDisabled());
  EXPECT_EQ(clerk.clerk_code, "organization_slugs_disabled");
}

INSTANTIATE_TEST_SUITE_P(Backends, TransactionTest, testing::kStoreKinds,
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::service
