// orgd's webhook extension of the Backend API (Clerk keeps endpoints in its dashboard): endpoints,
// their messages and repairs, and the event feed, as thin adapters over WebhookService. Routes
// are in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "http/request.h"
#include "service/request_context.h"
#include "service/webhook_service.h"

namespace orgd::api {

class WebhooksHandler {
 public:
  // REQUIRES: `service` outlives the handler.
  explicit WebhooksHandler(service::WebhookService& service) : service_(service) {}

  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST /webhook_endpoints
  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);  // GET /webhook_endpoints
  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);  // GET /webhook_endpoints/{endpoint_id}
  void Update(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // PATCH /webhook_endpoints/{endpoint_id}
  void Delete(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // DELETE /webhook_endpoints/{endpoint_id}
  void RotateSecret(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);  // POST …/{endpoint_id}/rotate_secret
  void ListMessages(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);  // GET …/{endpoint_id}/messages
  void RetryMessage(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);  // POST …/messages/{message_id}/retry
  void Recover(const service::RequestContext& ctx, const http::Request& request,
               http::Responder respond);  // POST …/{endpoint_id}/recover?since=
  void Events(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // GET /events?after=&limit=

 private:
  service::WebhookService& service_;
};

}  // namespace orgd::api
