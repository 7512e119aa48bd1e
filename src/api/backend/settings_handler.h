// GET/PATCH /v1/instance/organization_settings (BEHAVIOR.md §3.6).
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "http/request.h"
#include "service/request_context.h"
#include "service/settings_service.h"

namespace orgd::api {

class SettingsHandler {
 public:
  // REQUIRES: `service` outlives the handler.
  explicit SettingsHandler(service::SettingsService& service) : service_(service) {}

  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);
  void Update(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);

 private:
  service::SettingsService& service_;
};

}  // namespace orgd::api
