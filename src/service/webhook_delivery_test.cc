// WebhookDelivery with a fake sender, on both stores: the Svix signature, one stream in commit
// order while another is not held up, the retry schedule, failure after the last attempt, and an
// endpoint disabled after 5 days of failures.
#include "service/webhook_delivery.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <deque>
#include <mutex>

#include "service/transaction.h"
#include "service/webhook_service.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

using testing::Await;
using testing::SecretKeyContext;

// Answers each POST with the next scripted status per URL (200 when the script is empty), and
// keeps what it was sent.
class FakeSender final : public WebhookSender {
 public:
  WebhookResponse Post(const WebhookRequest& request) override {
    std::lock_guard lock(mu_);
    sent.push_back(request);
    auto& script = scripts[request.url];
    WebhookResponse r;
    r.status = 200;
    if (!script.empty()) {
      r.status = script.front();
      script.pop_front();
    }
    return r;
  }
  std::vector<std::string> Types() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& r : sent) {
      out.push_back(std::string(boost::json::parse(r.body).at("type").as_string()));
    }
    return out;
  }
  std::string Header(size_t i, std::string_view name) {
    for (const auto& [k, v] : sent.at(i).headers) {
      if (k == name) return v;
    }
    return {};
  }

  std::mutex mu_;
  std::vector<WebhookRequest> sent;
  std::map<std::string, std::deque<int>> scripts;
};

class WebhookDeliveryTest : public ::testing::TestWithParam<std::string> {
 protected:
  WebhookDeliveryTest() : clock_(1'700'000'000'000), ids_(clock_) {
    db_ = testing::OpenTestStore(GetParam(), dir_.path());
    webhooks_ = std::make_unique<WebhookService>(*db_, clock_, ids_,
                                                 WebhookOptions{true, "ins_test"});
    WebhookDeliveryOptions options;
    options.node_id = "node_test";
    options.instance_id = "ins_test";
    options.retry_schedule = {std::chrono::seconds(10), std::chrono::seconds(100)};
    delivery_ = std::make_unique<WebhookDelivery>(*db_, clock_, ids_, sender_, options);
  }
  ~WebhookDeliveryTest() override { db_->Close(); }

  WebhookEndpointView Endpoint(std::string url) {
    WebhookEndpointCommand cmd;
    cmd.url = std::move(url);
    return *Await<WebhookEndpointView>(
        [&](auto cb) { webhooks_->CreateEndpoint(SecretKeyContext(), cmd, cb); });
  }
  // A write that records one event in `org`'s stream.
  void Emit(std::string type, std::string org) {
    ASSERT_TRUE(Await<bool>([&](auto cb) {
      Write<bool>(
          *db_, SecretKeyContext(),
          [type, org, now = clock_.NowMillis()](store::WriteTransaction&, Effects& effects)
              -> Result<bool> {
            Effect e;
            e.type = type;
            e.organization_id = org;
            e.object_id = org;
            e.payload = R"({"object":"organization","id":")" + org + R"("})";
            e.created_at = now;
            effects.Record(std::move(e));
            return true;
          },
          cb);
    }));
  }
  // Dispatches, then delivers until nothing is due.
  void Run() {
    ASSERT_TRUE(delivery_->DispatchOnce());
    for (int i = 0; i < 100; ++i) {
      auto n = delivery_->DeliverOnce();
      ASSERT_TRUE(n);
      if (*n == 0) return;
    }
  }
  std::vector<domain::WebhookMessage> Messages(const std::string& endpoint) {
    store::WebhookMessageQuery q;
    q.endpoint_id = endpoint;
    q.limit = 100;
    auto page = Await<store::Page<WebhookMessageView>>(
        [&](auto cb) { webhooks_->ListMessages(SecretKeyContext(), q, cb); });
    std::vector<domain::WebhookMessage> out;
    for (auto& v : page->data) out.push_back(v.message);
    return out;
  }

  orgd::testing::TempDir dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  FakeSender sender_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<WebhookService> webhooks_;
  std::unique_ptr<WebhookDelivery> delivery_;
};

TEST(SvixSignatureTest, MatchesTheStandardWebhooksExample) {
  // The example of the Standard Webhooks specification (what verifyWebhook implements).
  EXPECT_EQ(SvixSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                          1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST_P(WebhookDeliveryTest, DeliversTheEnvelopeSignedAsSvixDoes) {
  auto endpoint = Endpoint("http://hooks.test/a");
  Emit("organization.created", "org_1");
  Run();
  ASSERT_EQ(sender_.sent.size(), 1u);
  const auto body = boost::json::parse(sender_.sent[0].body).as_object();
  EXPECT_EQ(body.at("object"), "event");
  EXPECT_EQ(body.at("type"), "organization.created");
  EXPECT_EQ(body.at("instance_id"), "ins_test");
  EXPECT_EQ(body.at("timestamp"), clock_.NowMillis());
  EXPECT_EQ(body.at("data").at("id"), "org_1");
  EXPECT_EQ(body.at("event_attributes").at("http_request").at("client_ip"), "127.0.0.1");
  const std::string id = sender_.Header(0, "svix-id");
  const int64_t ts = std::stoll(sender_.Header(0, "svix-timestamp"));
  EXPECT_EQ(ts, clock_.NowMillis() / 1000);
  EXPECT_EQ(sender_.Header(0, "svix-signature"),
            SvixSignature(endpoint.endpoint.secret, id, ts, sender_.sent[0].body));
  auto messages = Messages(endpoint.endpoint.id);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].id, id);
  EXPECT_EQ(messages[0].status, "delivered");
}

TEST_P(WebhookDeliveryTest, AStreamWaitsForItsRetriedEventWhileOthersGoOn) {
  auto endpoint = Endpoint("http://hooks.test/a");
  sender_.scripts["http://hooks.test/a"] = {500};  // the first attempt fails
  Emit("organization.created", "org_a");
  Emit("organization.updated", "org_a");
  Emit("organization.created", "org_b");
  Run();
  // org_a's first event failed; its second waits; org_b's went through.
  EXPECT_EQ(sender_.Types(), (std::vector<std::string>{"organization.created",
                                                       "organization.created"}));
  EXPECT_NE(sender_.sent[0].body.find("org_a"), std::string::npos);
  EXPECT_NE(sender_.sent[1].body.find("org_b"), std::string::npos);
  clock_.Advance(12'000);  // past the first delay (10 s, jittered to at most 12 s)
  Run();
  ASSERT_EQ(sender_.sent.size(), 4u);
  EXPECT_NE(sender_.sent[2].body.find("org_a"), std::string::npos);
  EXPECT_EQ(sender_.Header(2, "svix-id"), sender_.Header(0, "svix-id"));  // the same message
  EXPECT_NE(sender_.sent[3].body.find("organization.updated"), std::string::npos);
}

TEST_P(WebhookDeliveryTest, FailsAfterTheScheduleAndDisablesAnEndpointAfterFiveDays) {
  auto endpoint = Endpoint("http://hooks.test/down");
  sender_.scripts["http://hooks.test/down"] = {500, 503, 502, 500, 500, 500};
  Emit("organization.created", "org_x");
  Run();
  clock_.Advance(12'000);
  Run();
  clock_.Advance(120'000);
  Run();
  auto messages = Messages(endpoint.endpoint.id);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].status, "failed");  // 1 + 2 retries
  EXPECT_EQ(messages[0].attempts, 3);
  EXPECT_EQ(messages[0].last_response_code, 502);
  // A retry through the API starts the attempts over.
  ASSERT_TRUE(Await<WebhookMessageView>([&](auto cb) {
    webhooks_->RetryMessage(SecretKeyContext(), endpoint.endpoint.id, messages[0].id, cb);
  }));
  clock_.Advance(5LL * 24 * 60 * 60 * 1000);
  Run();  // fails again, 5 days after the first failure
  auto e = Await<WebhookEndpointView>(
      [&](auto cb) { webhooks_->GetEndpoint(SecretKeyContext(), endpoint.endpoint.id, cb); });
  EXPECT_TRUE(e->endpoint.disabled);
  ASSERT_TRUE(e->endpoint.disabled_reason);
  const size_t sent = sender_.sent.size();
  Emit("organization.updated", "org_x");
  Run();
  EXPECT_EQ(sender_.sent.size(), sent);  // a disabled endpoint gets nothing
}

TEST_P(WebhookDeliveryTest, TheFeedHasEveryEventOnceInOrderAndRecoverSendsAgain) {
  auto endpoint = Endpoint("http://hooks.test/a");
  for (int i = 0; i < 5; ++i) Emit("organization.updated", "org_" + std::to_string(i));
  Run();
  auto page = Await<EventFeedPage>(
      [&](auto cb) { webhooks_->ListEvents(SecretKeyContext(), 0, 3, cb); });
  ASSERT_EQ(page->events.size(), 3u);
  auto rest = Await<EventFeedPage>(
      [&](auto cb) { webhooks_->ListEvents(SecretKeyContext(), page->next_cursor, 10, cb); });
  ASSERT_EQ(rest->events.size(), 2u);
  EXPECT_EQ(*rest->events[0].position, *page->events[2].position + 1);
  EXPECT_EQ(rest->events[1].object_id, "org_4");

  auto queued = Await<int64_t>([&](auto cb) {
    webhooks_->Recover(SecretKeyContext(), endpoint.endpoint.id, 0, cb);
  });
  EXPECT_EQ(*queued, 5);
  Run();
  EXPECT_EQ(sender_.sent.size(), 10u);
  EXPECT_EQ(Messages(endpoint.endpoint.id).size(), 5u);  // the same messages, sent again
}

TEST_P(WebhookDeliveryTest, ARefusedWriteRecordsNothing) {
  Endpoint("http://hooks.test/a");
  auto refused = Await<bool>([&](auto cb) {
    Write<bool>(
        *db_, SecretKeyContext(),
        [](store::WriteTransaction&, Effects& effects) -> Result<bool> {
          Effect e;
          e.type = "organization.created";
          e.organization_id = "org_no";
          effects.Record(std::move(e));
          return Error(ErrorCode::kInvalidArgument, "form_param_missing", "", "");
        },
        cb);
  });
  EXPECT_FALSE(refused);
  Run();
  EXPECT_TRUE(sender_.sent.empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, WebhookDeliveryTest, testing::kStoreKinds,
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::service
