// The Backend API's user endpoints in orgd's scope (BEHAVIOR.md §3.7), as thin adapters over
// UserService. Routes are registered in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "api/json/organization_json.h"
#include "http/request.h"
#include "service/request_context.h"
#include "service/user_service.h"

namespace orgd::api {

class UsersHandler {
 public:
  // Bytes a profile image upload may carry: the 10 MB image plus the multipart framing.
  static constexpr size_t kImageRequestLimit = service::UserService::kMaxImageBytes + 64 * 1024;

  // REQUIRES: `service` outlives the handler.
  UsersHandler(service::UserService& service, json::ImageUrls urls)
      : service_(service), urls_(std::move(urls)) {}

  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST
  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);  // GET
  void Count(const service::RequestContext& ctx, const http::Request& request,
             http::Responder respond);  // GET /count
  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);  // GET {id}
  void Update(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // PATCH {id}
  void Delete(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // DELETE {id}
  void MergeMetadata(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);  // PATCH …/metadata
  void ReplaceMetadata(const service::RequestContext& ctx, const http::Request& request,
                       http::Responder respond);  // PUT …/metadata
  void SetProfileImage(const service::RequestContext& ctx, const http::Request& request,
                       http::Responder respond);  // POST …/profile_image
  void DeleteProfileImage(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond);
  // Answers an upload whose body exceeds kImageRequestLimit (413 image_too_large).
  void ImageTooLarge(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);

 private:
  service::Callback<domain::User> ReplyUser(const http::Request& request,
                                            http::Responder respond) const;

  service::UserService& service_;
  const json::ImageUrls urls_;
};

}  // namespace orgd::api
