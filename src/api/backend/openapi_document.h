// The OpenAPI document of the Backend API this build serves (GET /v1/openapi.json), made from the
// route table and the vendored contracts (tests/compat/contract/, embedded at build time by
// scripts/embed_openapi.py): exactly the routes orgd has, each with the contract's operation,
// so a client generator sees Clerk's schemas for Clerk's routes.
//
//   - a route whose method and path shape (placeholders compared as placeholders, whatever they
//     are named) Clerk's contract has gets Clerk's operation, under Clerk's spelling of the path;
//     else orgd's extensions contract's (webhook endpoints, the event feed); else a minimal
//     operation of orgd's own (the probes, the images, this document), marked x-orgd-extension;
//   - nothing the build does not route is in it;
//   - components: those the operations reach by $ref, transitively, and the security scheme.
//
// Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/request.h"

namespace orgd::api {

struct RouteKey {
  http::Method method;
  std::string path;          // as routed, e.g. "/v1/organizations/{organization_id}"
  bool requires_key = true;  // false: public (no security)
};

// The vendored contracts as JSON (generated source, scripts/embed_openapi.py).
std::string_view ClerkBackendOpenApi();
std::string_view OrgdExtensionsOpenApi();

// REQUIRES: `clerk` and `extensions` are OpenAPI 3 documents whose paths are relative to /v1
// (their servers end in /v1). kInternal when either does not parse.
Result<boost::json::object> BuildOpenApiDocument(const std::vector<RouteKey>& routes,
                                                 std::string_view clerk,
                                                 std::string_view extensions,
                                                 std::string_view server_url,
                                                 std::string_view version);

}  // namespace orgd::api
