#include "api/backend/openapi_handler.h"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include "api/error_response.h"

namespace orgd::api {

void OpenApiHandler::Describe(const std::vector<RouteKey>& routes) {
  auto doc = BuildOpenApiDocument(routes, ClerkBackendOpenApi(), OrgdExtensionsOpenApi(),
                                  server_url_, version_);
  if (!doc) {
    spdlog::error("openapi: the embedded contracts do not parse ({})", doc.error().detail);
    return;
  }
  document_ = boost::json::serialize(*doc);
}

void OpenApiHandler::Get(const service::RequestContext&, const http::Request& request,
                         http::Responder respond) {
  if (document_.empty()) {
    return respond.Send(ErrorResponse(
        Error(ErrorCode::kInternal, "", "", "", "", "the OpenAPI document could not be built"),
        request.request_id));
  }
  http::Response response;
  response.body = document_;
  respond.Send(std::move(response));
}

}  // namespace orgd::api
