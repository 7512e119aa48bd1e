#include "api/backend/webhooks_handler.h"

#include <charconv>

#include "api/body_reader.h"
#include "api/json/organization_json.h"
#include "api/json/webhook_json.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "common/rfc3339.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

using service::WebhookEndpointView;
using service::WebhookMessageView;

Result<service::WebhookEndpointCommand> ReadCommand(const http::Request& request) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return body.error();
  BodyReader in(*body);
  service::WebhookEndpointCommand cmd;
  cmd.url = in.String("url");
  cmd.description = in.String("description");
  cmd.events = in.StringArray("events", 100);
  cmd.disabled = in.Bool("disabled");
  if (auto done = in.Finish(); !done) return done.error();
  return cmd;
}

service::Callback<WebhookEndpointView> ReplyEndpoint(const http::Request& request,
                                                     http::Responder respond) {
  return ReplyWith<WebhookEndpointView>(
      std::move(respond), request.request_id,
      [](const WebhookEndpointView& view) { return json::WebhookEndpointJson(view); });
}

}  // namespace

void WebhooksHandler::Create(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  auto cmd = ReadCommand(request);
  if (!cmd) return Fail(request, respond, cmd.error());
  service_.CreateEndpoint(ctx, std::move(*cmd), ReplyEndpoint(request, std::move(respond)));
}

void WebhooksHandler::List(const service::RequestContext& ctx, const http::Request& request,
                           http::Responder respond) {
  service_.ListEndpoints(ctx, ReplyWith<std::vector<WebhookEndpointView>>(
                                  std::move(respond), request.request_id,
                                  [](const std::vector<WebhookEndpointView>& all) {
                                    return json::WebhookEndpointListJson(all);
                                  }));
}

void WebhooksHandler::Get(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  service_.GetEndpoint(ctx, std::string(request.PathParam("endpoint_id")),
                       ReplyEndpoint(request, std::move(respond)));
}

void WebhooksHandler::Update(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  auto cmd = ReadCommand(request);
  if (!cmd) return Fail(request, respond, cmd.error());
  service_.UpdateEndpoint(ctx, std::string(request.PathParam("endpoint_id")), std::move(*cmd),
                          ReplyEndpoint(request, std::move(respond)));
}

void WebhooksHandler::Delete(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  service_.DeleteEndpoint(
      ctx, std::string(request.PathParam("endpoint_id")),
      ReplyWith<std::string>(std::move(respond), request.request_id, [](const std::string& id) {
        return json::DeletedObjectJson("webhook_endpoint", id);
      }));
}

void WebhooksHandler::RotateSecret(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  service_.RotateSecret(ctx, std::string(request.PathParam("endpoint_id")),
                        ReplyEndpoint(request, std::move(respond)));
}

void WebhooksHandler::ListMessages(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  store::WebhookMessageQuery query;
  query.endpoint_id = std::string(request.PathParam("endpoint_id"));
  query.limit = page->limit;
  query.offset = page->offset;
  if (auto status = params->Get("status"); status && !status->empty()) {
    if (*status != domain::kMessagePending && *status != domain::kMessageDelivered &&
        *status != domain::kMessageFailed) {
      return Fail(request, respond,
                  errors::ParamInvalid("status", "status must be pending, delivered or failed."));
    }
    query.status = std::string(*status);
  }
  service_.ListMessages(
      ctx, std::move(query),
      ReplyWith<store::Page<WebhookMessageView>>(std::move(respond), request.request_id,
                                                 [](const store::Page<WebhookMessageView>& p) {
                                                   return json::WebhookMessageListJson(p);
                                                 }));
}

void WebhooksHandler::RetryMessage(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  service_.RetryMessage(ctx, std::string(request.PathParam("endpoint_id")),
                        std::string(request.PathParam("message_id")),
                        ReplyWith<WebhookMessageView>(std::move(respond), request.request_id,
                                                      [](const WebhookMessageView& view) {
                                                        return json::WebhookMessageJson(view);
                                                      }));
}

void WebhooksHandler::Recover(const service::RequestContext& ctx, const http::Request& request,
                              http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto since_text = params->Get("since");
  if (!since_text || since_text->empty()) {
    return Fail(request, respond, errors::ParamMissing("since"));
  }
  // Milliseconds since the epoch, or an RFC 3339 time.
  std::optional<int64_t> since = ParseRfc3339Millis(*since_text);
  if (!since) {
    auto ms = ParseCount(*since_text, "since");
    if (!ms) {
      return Fail(request, respond,
                  errors::ParamInvalid("since",
                                       "since must be a time: milliseconds since the "
                                       "epoch or RFC 3339."));
    }
    since = *ms;
  }
  std::string endpoint_id(request.PathParam("endpoint_id"));
  service_.Recover(ctx, endpoint_id, *since,
                   ReplyWith<int64_t>(std::move(respond), request.request_id,
                                      [endpoint_id, since = *since](const int64_t& queued) {
                                        return boost::json::object{{"object", "webhook_recovery"},
                                                                   {"endpoint_id", endpoint_id},
                                                                   {"since", since},
                                                                   {"messages_queued", queued}};
                                      }));
}

void WebhooksHandler::Events(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  int64_t after = 0;
  if (auto v = params->Get("after"); v && !v->empty()) {
    auto parsed = ParseCount(*v, "after");
    if (!parsed) return Fail(request, respond, parsed.error());
    after = *parsed;
  }
  auto limit = ParseCursorLimit(*params, 100);
  if (!limit) return Fail(request, respond, limit.error());
  const std::string instance_id = service_.options().instance_id;
  service_.ListEvents(
      ctx, after, *limit,
      ReplyWith<service::EventFeedPage>(std::move(respond), request.request_id,
                                        [instance_id](const service::EventFeedPage& page) {
                                          return json::EventFeedJson(page, instance_id);
                                        }));
}

}  // namespace orgd::api
