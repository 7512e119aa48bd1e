#include "service/organization_service.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <future>

#include "domain/errors.h"
#include "domain/organization_rules.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/store_sync.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

using domain::Organization;

// Counts how often it is asked, and answers with a fixed image or a fixed error.
class FakeImageProcessor final : public media::ImageProcessor {
 public:
  Result<media::NormalizedImage> Normalize(std::string_view input) override {
    ++calls;
    if (input == "not an image")
      return errors::RequestBodyInvalid("'text/plain' images are not currently supported");
    return media::NormalizedImage{"PNG:" + std::string(input), "image/png", 10, 10};
  }
  int calls = 0;
};

using testing::Await;

class OrganizationServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  OrganizationServiceTest() : clock_(1'700'000'000'000), ids_(clock_) {
    db_ = testing::OpenTestStore(GetParam(), dir_.path());
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    EXPECT_TRUE(authority_->Load());
    service_ = std::make_unique<OrganizationService>(*db_, clock_, ids_, images_, executor_,
                                                     *authority_, payloads_);
  }

  Result<Organization> Create(CreateOrganizationCommand cmd) {
    return Await<Organization>(
        [&](auto cb) { service_->Create(testing::SecretKeyContext(), std::move(cmd), cb); });
  }
  Result<Organization> CreateNamed(std::string name) {
    CreateOrganizationCommand cmd;
    cmd.name = std::move(name);
    return Create(std::move(cmd));
  }
  Result<Organization> Get(std::string id) {
    return Await<Organization>(
        [&](auto cb) { service_->Get(testing::SecretKeyContext(), id, cb); });
  }
  Result<Organization> Update(std::string id, UpdateOrganizationCommand cmd) {
    return Await<Organization>(
        [&](auto cb) { service_->Update(testing::SecretKeyContext(), id, std::move(cmd), cb); });
  }
  Result<Organization> Merge(std::string id, MetadataCommand cmd) {
    return Await<Organization>([&](auto cb) {
      service_->MergeMetadata(testing::SecretKeyContext(), id, std::move(cmd), cb);
    });
  }
  Result<Organization> Replace(std::string id, MetadataCommand cmd) {
    return Await<Organization>([&](auto cb) {
      service_->ReplaceMetadata(testing::SecretKeyContext(), id, std::move(cmd), cb);
    });
  }
  Result<Organization> SetLogo(std::string id, std::string bytes) {
    return Await<Organization>([&](auto cb) {
      service_->SetLogo(testing::SecretKeyContext(), id, LogoUpload{std::move(bytes), std::nullopt},
                        cb);
    });
  }
  Result<store::Image> GetImage(std::string id) {
    return testing::ReadSync<store::Image>(
        *db_, [id](store::ReadTransaction& tx) { return tx.images().Get(id); });
  }

  testing::TempDir dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  FakeImageProcessor images_;
  InlineExecutor executor_;
  testing::TestEventPayloads payloads_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PermissionAuthority> authority_;
  std::unique_ptr<OrganizationService> service_;
};

TEST_P(OrganizationServiceTest, CreateAppliesClerkDefaults) {
  auto org = CreateNamed("  Acme Corp ");
  ASSERT_TRUE(org) << org.error().long_message;
  EXPECT_TRUE(LooksLikeId(org->id, "org"));
  EXPECT_EQ(org->name, "Acme Corp");
  EXPECT_EQ(org->slug, "acme-corp");
  EXPECT_EQ(org->max_allowed_memberships, 5);  // the instance default
  EXPECT_TRUE(org->admin_delete_enabled);
  EXPECT_EQ(org->public_metadata, boost::json::object());
  EXPECT_EQ(org->private_metadata, boost::json::object());
  EXPECT_EQ(org->created_at, 1'700'000'000'000);
  EXPECT_EQ(org->updated_at, 1'700'000'000'000);
  EXPECT_FALSE(org->created_by);
}

TEST_P(OrganizationServiceTest, DerivedSlugThatIsTakenGetsASuffix) {
  auto first = CreateNamed("Acme Corp");
  auto second = CreateNamed("Acme Corp");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(first->slug, second->slug);
  EXPECT_EQ(second->slug.rfind("acme-corp-", 0), 0u) << second->slug;
  EXPECT_TRUE(domain::ValidateSlug(second->slug));
}

TEST_P(OrganizationServiceTest, GivenSlugThatIsTakenIsRefused) {
  ASSERT_TRUE(CreateNamed("Acme Corp"));
  CreateOrganizationCommand cmd;
  cmd.name = "Other";
  cmd.slug = "acme-corp";
  auto r = Create(cmd);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(r.error().clerk_code, "form_identifier_exists");
  EXPECT_EQ(r.error().param_name, "slug");
}

TEST_P(OrganizationServiceTest, CreateRejectsInvalidInput) {
  struct Case {
    std::function<void(CreateOrganizationCommand&)> edit;
    std::string clerk_code;
    std::string param;
  };
  std::vector<Case> cases = {
      {[](auto& c) { c.name.reset(); }, "form_param_missing", "name"},
      {[](auto& c) { c.name = std::string(257, 'a'); }, "form_param_max_length_exceeded", "name"},
      {[](auto& c) { c.name = "<b>x</b>"; }, "form_param_value_invalid", "name"},
      {[](auto& c) { c.slug = "Acme"; }, "form_param_format_invalid", "slug"},
      {[](auto& c) { c.created_by = "bob"; }, "form_param_format_invalid", "created_by"},
      {[](auto& c) { c.max_allowed_memberships = -1; }, "form_param_value_invalid",
       "max_allowed_memberships"},
      {[](auto& c) { c.created_at = "yesterday"; }, "form_param_invalid_time", "created_at"},
      {[](auto& c) { c.public_metadata = boost::json::value("x"); }, "form_param_value_invalid",
       "public_metadata"},
      {[](auto& c) {
         c.private_metadata = boost::json::object{{"k", std::string(9000, 'x')}};
       },
       "form_param_exceeds_allowed_size", "private_metadata"},
      {[](auto& c) { c.role_set_key = "role_set:x"; }, "form_param_value_invalid", "role_set_key"},
  };
  for (const auto& c : cases) {
    CreateOrganizationCommand cmd;
    cmd.name = "Valid";
    c.edit(cmd);
    auto r = Create(cmd);
    ASSERT_FALSE(r) << c.clerk_code;
    EXPECT_EQ(r.error().clerk_code, c.clerk_code);
    EXPECT_EQ(r.error().param_name, c.param);
  }
  store::OrganizationListQuery all;
  auto page = Await<store::Page<Organization>>(
      [&](auto cb) { service_->List(testing::SecretKeyContext(), all, cb); });
  EXPECT_EQ(page->total_count, 0);
}

TEST_P(OrganizationServiceTest, CreateKeepsImportedCreatedAtAndNullMetadataMeansEmpty) {
  CreateOrganizationCommand cmd;
  cmd.name = "Imported";
  cmd.created_at = "2012-10-20T07:15:20.902Z";
  cmd.public_metadata = boost::json::value(nullptr);
  cmd.max_allowed_memberships = 0;
  auto org = Create(cmd);
  ASSERT_TRUE(org);
  EXPECT_EQ(org->created_at, 1350717320902);
  EXPECT_EQ(org->public_metadata, boost::json::object());
  EXPECT_EQ(org->max_allowed_memberships, 0);
}

TEST_P(OrganizationServiceTest, UpdateChangesOnlyGivenFields) {
  auto org = CreateNamed("Acme");
  clock_.Advance(5000);
  UpdateOrganizationCommand cmd;
  cmd.name = "Acme 2";
  cmd.admin_delete_enabled = false;
  auto updated = Update(org->id, cmd);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->name, "Acme 2");
  EXPECT_EQ(updated->slug, "acme");
  EXPECT_FALSE(updated->admin_delete_enabled);
  EXPECT_EQ(updated->created_at, org->created_at);
  EXPECT_EQ(updated->updated_at, org->created_at + 5000);
}

TEST_P(OrganizationServiceTest, UpdateRefusesUnknownIdsSlugsAndTakenSlugs) {
  auto one = CreateNamed("One");
  auto two = CreateNamed("Two");
  UpdateOrganizationCommand cmd;
  cmd.slug = "one";
  auto taken = Update(two->id, cmd);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().clerk_code, "form_identifier_exists");
  EXPECT_EQ(Get(two->id)->slug, "two");
  EXPECT_EQ(Update("org_missing", {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Update("one", {}).error().code, ErrorCode::kNotFound);  // IDs only
}

TEST_P(OrganizationServiceTest, MergeMetadataDeepMergesAndEnforcesTheLimitOnTheResult) {
  CreateOrganizationCommand create;
  create.name = "Acme";
  create.public_metadata = boost::json::parse(R"({"a":{"b":1,"c":2},"d":3})");
  auto org = Create(create);
  MetadataCommand merge;
  merge.public_metadata = boost::json::parse(R"({"a":{"c":null,"e":4},"d":null})");
  auto merged = Merge(org->id, merge);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->public_metadata, boost::json::parse(R"({"a":{"b":1,"e":4}})"));
  EXPECT_EQ(merged->private_metadata, boost::json::object());

  // Two halves that fit alone but not together.
  MetadataCommand half;
  half.private_metadata = boost::json::object{{"x", std::string(5000, 'x')}};
  ASSERT_TRUE(Merge(org->id, half));
  half.private_metadata = boost::json::object{{"y", std::string(5000, 'y')}};
  auto over = Merge(org->id, half);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().clerk_code, "form_param_exceeds_allowed_size");
  EXPECT_FALSE(Get(org->id)->private_metadata.as_object().contains("y"));
}

TEST_P(OrganizationServiceTest, ReplaceMetadataReplacesWholesaleAndMayStoreNull) {
  CreateOrganizationCommand create;
  create.name = "Acme";
  create.public_metadata = boost::json::parse(R"({"a":{"b":1}})");
  create.private_metadata = boost::json::parse(R"({"keep":true})");
  auto org = Create(create);
  MetadataCommand replace;
  replace.public_metadata = boost::json::parse(R"({"a":{"z":1}})");
  auto replaced = Replace(org->id, replace);
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->public_metadata, boost::json::parse(R"({"a":{"z":1}})"));
  EXPECT_EQ(replaced->private_metadata, boost::json::parse(R"({"keep":true})"));
  replace.public_metadata = boost::json::value(nullptr);
  EXPECT_TRUE(Replace(org->id, replace)->public_metadata.is_null());
  replace.public_metadata = boost::json::array{1};
  EXPECT_EQ(Replace(org->id, replace).error().clerk_code, "form_param_value_invalid");
}

TEST_P(OrganizationServiceTest, SetLogoStoresTheNormalizedImageAndReplacesTheOldOne) {
  auto org = CreateNamed("Acme");
  auto first = SetLogo(org->id, "one");
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->image_id);
  EXPECT_EQ(GetImage(*first->image_id)->bytes, "PNG:one");
  auto second = SetLogo(org->id, "two");
  ASSERT_TRUE(second);
  EXPECT_NE(*second->image_id, *first->image_id);
  EXPECT_FALSE(GetImage(*first->image_id));
  EXPECT_EQ(GetImage(*second->image_id)->content_type, "image/png");

  auto removed = Await<Organization>(
      [&](auto cb) { service_->DeleteLogo(testing::SecretKeyContext(), org->id, cb); });
  ASSERT_TRUE(removed);
  EXPECT_FALSE(removed->image_id);
  EXPECT_FALSE(GetImage(*second->image_id));
}

TEST_P(OrganizationServiceTest, SetLogoRefusesBeforeDecodingWhenItCan) {
  auto org = CreateNamed("Acme");
  EXPECT_EQ(SetLogo("org_missing", "one").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(images_.calls, 0);
  auto big = SetLogo(org->id, std::string(OrganizationService::kMaxLogoBytes + 1, 'x'));
  EXPECT_EQ(big.error().clerk_code, "image_too_large");
  EXPECT_EQ(images_.calls, 0);
  auto bad = SetLogo(org->id, "not an image");
  EXPECT_EQ(bad.error().clerk_code, "request_body_invalid");
  EXPECT_FALSE(Get(org->id)->image_id);
}

TEST_P(OrganizationServiceTest, DeleteRemovesEverythingAndReportsIdAndSlug) {
  auto org = CreateNamed("Acme");
  auto logo = SetLogo(org->id, "one");
  auto deleted = Await<DeletedOrganization>(
      [&](auto cb) { service_->Delete(testing::SecretKeyContext(), org->id, cb); });
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->id, org->id);
  EXPECT_EQ(deleted->slug, "acme");
  EXPECT_EQ(Get(org->id).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(GetImage(*logo->image_id));
  auto again = Await<DeletedOrganization>(
      [&](auto cb) { service_->Delete(testing::SecretKeyContext(), org->id, cb); });
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Stores, OrganizationServiceTest, testing::kStoreKinds,
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::service
