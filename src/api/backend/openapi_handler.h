// GET /v1/openapi.json (an orgd extension, behind the secret key like the rest of the Backend
// API): the OpenAPI document of the routes this build serves (api/backend/openapi_document.h),
// made once, when the routes are mounted, and served as is.
//
// Thread safety: Describe() once while setting up; Get() from any thread after.
#pragma once

#include <string>
#include <vector>

#include "api/backend/openapi_document.h"
#include "http/request.h"
#include "service/request_context.h"

namespace orgd::api {

class OpenApiHandler {
 public:
  // `server_url`: the Backend API's public URL, the document's server.
  OpenApiHandler(std::string server_url, std::string version)
      : server_url_(std::move(server_url)), version_(std::move(version)) {}

  // Builds the document of `routes` (api/routes.cc calls it with the whole table).
  void Describe(const std::vector<RouteKey>& routes);

  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);

 private:
  const std::string server_url_;
  const std::string version_;
  std::string document_;  // JSON text; empty when it could not be built
};

}  // namespace orgd::api
