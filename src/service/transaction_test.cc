// The write seam (service/transaction.h): every write can append side effects in its own
// transaction. A test hook records one effect per write; the outbox then holds exactly one row per
// committed write, none for a write that rolled back, and each row says who caused it.
#include "service/transaction.h"

#include <gtest/gtest.h>

#include "domain/errors.h"
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
