// Answers of the Frontend API as clerk-js reads them (CLERK-JS.md §3): every result wrapped as
// {"response": …, "client": …}, where reads carry "client": null and every change carries the
// caller's complete client as it is after the change (sessions, user, memberships with
// organizations and permissions, a fresh last_active_token), so clerk-js rebuilds its state from
// it. Changes also set the __client_uat cookie (and its suffixed twin) that @clerk/backend's
// authenticateRequest compares with the session token. Every answer loses its private_metadata
// here, at any depth: the Frontend API never shows it (json::FitForFrontend).
//
// Thread safety: the callbacks may run on any thread; JSON is built on the connection's thread.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/error_response.h"
#include "api/frontend/frontend_gate.h"
#include "api/json/frontend_json.h"
#include "api/reply.h"
#include "service/client_service.h"

namespace orgd::api {

// The Frontend API's form of a service error (an unknown organization reads as one the caller
// may not see).
Error FrontendError(Error e);

class FrontendReplies {
 public:
  // REQUIRES: `clients` and `settings` outlive the object.
  FrontendReplies(service::ClientService& clients, const FrontendSettings& settings)
      : clients_(clients), settings_(settings), urls_{settings.frontend_url} {}

  const json::ImageUrls& urls() const { return urls_; }
  const FrontendSettings& settings() const { return settings_; }

  // {"response": to_json(value), "client": null}.
  template <class T, class ToJson>
  service::Callback<T> Read(const http::Request& request, http::Responder respond,
                            ToJson to_json) const {
    return [respond = std::move(respond), request_id = request.request_id,
            to_json = std::move(to_json)](Result<T> result) mutable {
      respond.Build([result = std::move(result), request_id, to_json]() -> http::Response {
        if (!result) return ErrorResponse(FrontendError(result.error()), request_id);
        return Envelope(boost::json::value(to_json(*result)), nullptr);
      });
    };
  }

  // {"response": to_json(value), "client": <the caller's client after the change>}.
  template <class T, class ToJson>
  service::Callback<T> Change(const service::RequestContext& ctx, const http::Request& request,
                              http::Responder respond, ToJson to_json) const {
    return [this, client_id = ctx.caller.client_id, origin = std::string(request.Header("origin")),
            respond = std::move(respond), request_id = request.request_id,
            to_json = std::move(to_json)](Result<T> result) mutable {
      if (!result) return respond.Send(ErrorResponse(FrontendError(result.error()), request_id));
      SendWithClient(std::move(client_id), std::move(origin), std::move(request_id),
                     std::move(respond), boost::json::value(to_json(*result)), {});
    };
  }

  // The envelope of `response` with client `client_id` as it is now (null when empty), the
  // __client_uat cookies, and `headers` (further Set-Cookies, Authorization for native apps).
  void SendWithClient(std::string client_id, std::string origin, std::string request_id,
                      http::Responder respond, boost::json::value response,
                      std::vector<http::HeaderField> headers) const;

  // The envelope of `response` with `view` as its client, `headers`, and the __client_uat
  // cookies for it. `response` may name the client's own JSON (see SendWithClient).
  http::Response WithClient(
      const service::ClientView& view,
      const std::function<boost::json::value(const boost::json::object&)>& response,
      std::vector<http::HeaderField> headers) const;

  // The __client_uat cookies for `uat` (unix seconds; 0: signed out).
  std::vector<http::HeaderField> ClientUatCookies(int64_t uat) const;

  // A JSON reply without the envelope and with private_metadata removed (the token response).
  static http::Response Bare(boost::json::value body);
  static http::Response Envelope(boost::json::value response, boost::json::value client);

 private:
  service::ClientService& clients_;
  const FrontendSettings& settings_;
  const json::ImageUrls urls_;
};

}  // namespace orgd::api
