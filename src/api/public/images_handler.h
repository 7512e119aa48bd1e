// The public image endpoints (no authentication, like Clerk's image CDN):
//   GET /images/{image_id}            a stored logo, immutable, cached for a year
//   GET /images/default/{org_id}.svg  the generated default logo of an organization
// Both answer conditional requests (If-None-Match) with 304.
//
// Thread safety: immutable after construction; methods run on I/O threads.
#pragma once

#include <string>
#include <string_view>

#include "http/request.h"
#include "service/image_service.h"
#include "service/request_context.h"

namespace orgd::api {

class ImagesHandler {
 public:
  // REQUIRES: `images` outlives the handler.
  explicit ImagesHandler(service::ImageService& images) : images_(images) {}

  void GetStored(const service::RequestContext& ctx, const http::Request& request,
                 http::Responder respond);
  void GetDefault(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);

 private:
  service::ImageService& images_;
};

// A deterministic SVG avatar for `seed` (an organization ID): a colored square with a pattern
// derived from the seed's hash. Contains no user-supplied text.
std::string DefaultLogoSvg(std::string_view seed);

}  // namespace orgd::api
