#include "api/public/images_handler.h"

#include <fmt/format.h>

#include <cstdint>

#include "api/error_response.h"
#include "common/ids.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

bool Matches(const http::Request& request, std::string_view etag) {
  std::string_view header = request.Header("if-none-match");
  return !header.empty() && (header == "*" || header.find(etag) != std::string_view::npos);
}

http::Response ImageResponse(const http::Request& request, std::string etag,
                             std::string content_type, std::string body) {
  http::Response response;
  response.headers.push_back({"Cache-Control", kImmutable});
  response.headers.push_back({"ETag", etag});
  response.headers.push_back({"X-Content-Type-Options", "nosniff"});
  // Public bytes that @clerk/ui loads with <img crossOrigin="anonymous"> from the app's origin.
  response.headers.push_back({"Access-Control-Allow-Origin", "*"});
  // Logos are images, never documents: nothing in them may run or load anything.
  response.headers.push_back(
      {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox"});
  if (Matches(request, etag)) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string DefaultLogoSvg(std::string_view seed) {
  const uint64_t h = Fnv1a(seed);
  const int hue = static_cast<int>(h % 360);
  std::string cells;
  // A symmetric 5x5 pattern (columns 0-2 mirrored onto 4-3), as identicons do.
  for (int row = 0; row < 5; ++row) {
    for (int col = 0; col < 3; ++col) {
      if (((h >> (8 + row * 3 + col)) & 1) == 0) continue;
      for (int x : {col, 4 - col}) {
        cells += fmt::format(R"(<rect x="{}" y="{}" width="16" height="16"/>)", 12 + x * 16,
                             12 + row * 16);
      }
    }
  }
  return fmt::format(
      R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="104" height="104" viewBox="0 0 104 104">)svg"
      R"svg(<rect width="104" height="104" fill="hsl({},55%,88%)"/><g fill="hsl({},55%,42%)">{}</g></svg>)svg",
      hue, hue, cells);
}

void ImagesHandler::GetStored(const service::RequestContext& ctx, const http::Request& request,
                              http::Responder respond) {
  std::string id(request.PathParam("image_id"));
  if (!LooksLikeId(id, id_prefix::kImage)) {
    return respond.Send(ErrorResponse(errors::NotFound("image"), request.request_id));
  }
  images_.Get(ctx, id, [respond, &request](Result<store::Image> image) {
    respond.Build([image = std::move(image), &request]() {
      if (!image) return ErrorResponse(image.error(), request.request_id);
      return ImageResponse(request, "\"" + image->id + "\"", image->content_type, image->bytes);
    });
  });
}

void ImagesHandler::GetDefault(const service::RequestContext& ctx, const http::Request& request,
                               http::Responder respond) {
  std::string_view file = request.PathParam("file");
  std::string_view owner = file.substr(0, file.size() < 4 ? 0 : file.size() - 4);
  if (!file.ends_with(".svg") ||
      !(LooksLikeId(owner, id_prefix::kOrganization) || LooksLikeId(owner, id_prefix::kUser))) {
    return respond.Send(ErrorResponse(errors::NotFound("image"), request.request_id));
  }
  std::string seed(file.substr(0, file.size() - 4));
  respond.Send(
      ImageResponse(request, "\"default-" + seed + "\"", "image/svg+xml", DefaultLogoSvg(seed)));
}

}  // namespace orgd::api
