#include "api/backend/openapi_document.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace orgd::api {
namespace {

namespace json = boost::json;
using http::Method;

// A contract in the vendored shape: paths relative to /v1, operations with $refs.
constexpr std::string_view kClerk = R"({
  "openapi": "3.0.3",
  "security": [{"bearerAuth": []}],
  "paths": {
    "/organizations/{organization_id}": {
      "get": {"operationId": "GetOrganization",
              "responses": {"200": {"$ref": "#/components/responses/Organization"}}},
      "delete": {"operationId": "DeleteOrganization", "responses": {"200": {"description": "x"}}}
    },
    "/users/{user_id}/ban": {"post": {"operationId": "BanUser", "responses": {}}}
  },
  "components": {
    "responses": {"Organization": {"content": {"application/json": {"schema":
        {"$ref": "#/components/schemas/Organization"}}}}},
    "schemas": {
      "Organization": {"type": "object", "properties": {"m": {"$ref": "#/components/schemas/Meta"}}},
      "Meta": {"type": "object"},
      "Unused": {"type": "string"}
    },
    "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
  }
})";
constexpr std::string_view kExtensions = R"({
  "openapi": "3.0.3",
  "paths": {"/webhook_endpoints/{webhook_endpoint_id}": {"get": {"operationId": "GetWebhookEndpoint",
      "responses": {"200": {"content": {"application/json": {"schema":
          {"$ref": "#/components/schemas/WebhookEndpoint"}}}}}}}},
  "components": {"schemas": {"WebhookEndpoint": {"type": "object"}, "Other": {"type": "object"}}}
})";

json::object Build(const std::vector<RouteKey>& routes) {
  auto doc = BuildOpenApiDocument(routes, kClerk, kExtensions, "http://127.0.0.1:8080", "0.1.0");
  EXPECT_TRUE(doc);
  return doc ? *doc : json::object{};
}

TEST(OpenApiDocumentTest, HasExactlyTheRoutedOperationsUnderTheContractsSpelling) {
  auto doc = Build({{Method::kGet, "/v1/organizations/{organization_id}"},
                    {Method::kGet, "/v1/webhook_endpoints/{endpoint_id}"},
                    {Method::kGet, "/healthz", false}});
  const json::object& paths = doc.at("paths").as_object();
  ASSERT_EQ(paths.size(), 3u) << json::serialize(paths);
  // Clerk's operation, only the routed method: DELETE is in the contract but not routed here.
  const json::object& org = paths.at("/v1/organizations/{organization_id}").as_object();
  EXPECT_EQ(org.size(), 1u);
  EXPECT_EQ(org.at("get").at("operationId"), "GetOrganization");
  // The extension's, under its own placeholder name.
  EXPECT_EQ(paths.at("/v1/webhook_endpoints/{webhook_endpoint_id}").at("get").at("operationId"),
            "GetWebhookEndpoint");
  // No contract has it: orgd's own, public.
  const json::object& health = paths.at("/healthz").at("get").as_object();
  EXPECT_EQ(health.at("operationId"), "GetHealthz");
  EXPECT_EQ(health.at("x-orgd-extension"), true);
  EXPECT_TRUE(health.at("security").as_array().empty());
  EXPECT_FALSE(paths.contains("/v1/users/{user_id}/ban"));
  EXPECT_EQ(doc.at("servers").at(0).at("url"), "http://127.0.0.1:8080");
}

TEST(OpenApiDocumentTest, KeepsOnlyTheComponentsTheOperationsReach) {
  auto doc = Build({{Method::kGet, "/v1/organizations/{organization_id}"},
                    {Method::kGet, "/v1/webhook_endpoints/{endpoint_id}"}});
  const json::object& components = doc.at("components").as_object();
  const json::object& schemas = components.at("schemas").as_object();
  EXPECT_TRUE(schemas.contains("Organization"));
  EXPECT_TRUE(schemas.contains("Meta"));  // reached through Organization
  EXPECT_TRUE(schemas.contains("WebhookEndpoint"));
  EXPECT_FALSE(schemas.contains("Unused"));
  EXPECT_FALSE(schemas.contains("Other"));
  EXPECT_TRUE(components.at("responses").as_object().contains("Organization"));
  EXPECT_TRUE(components.at("securitySchemes").as_object().contains("bearerAuth"));
}

TEST(OpenApiDocumentTest, OwnOperationsNameTheirPathParameters) {
  auto doc = Build({{Method::kGet, "/images/{image_id}", false}});
  const json::object& op = doc.at("paths").at("/images/{image_id}").at("get").as_object();
  EXPECT_EQ(op.at("operationId"), "GetImagesByImageId");
  EXPECT_EQ(op.at("parameters").at(0).at("name"), "image_id");
  EXPECT_EQ(op.at("parameters").at(0).at("in"), "path");
}

// The embedded contracts parse, and every operation orgd takes from them keeps its operationId.
TEST(OpenApiDocumentTest, TheEmbeddedContractsParse) {
  auto doc = BuildOpenApiDocument({{Method::kGet, "/v1/organizations"}}, ClerkBackendOpenApi(),
                                  OrgdExtensionsOpenApi(), "http://x", "0.1.0");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->at("paths").at("/v1/organizations").at("get").at("operationId"),
            "ListOrganizations");
}

}  // namespace
}  // namespace orgd::api
