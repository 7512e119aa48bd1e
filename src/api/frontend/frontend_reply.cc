#include "api/frontend/frontend_reply.h"

#include <boost/json/object.hpp>

#include "domain/errors.h"

namespace orgd::api {

http::Response FrontendReplies::Bare(boost::json::value body) {
  json::FitForFrontend(body);
  return JsonResponse(body);
}

http::Response FrontendReplies::Envelope(boost::json::value response, boost::json::value client) {
  boost::json::value body =
      boost::json::object{{"response", std::move(response)}, {"client", std::move(client)}};
  json::FitForFrontend(body);
  return JsonResponse(body);
}

Error FrontendError(Error e) {
  // An organization that does not exist looks like one the caller is no member of: the
  // Frontend API never reveals which organizations exist.
  if (errors::IsNotFound(e, "organization")) {
    return errors::OrganizationNotFoundOrUnauthorized();
  }
  return e;
}

http::Response FrontendReplies::WithClient(
    const service::ClientView& view,
    const std::function<boost::json::value(const boost::json::object&)>& response,
    std::vector<http::HeaderField> headers) const {
  boost::json::object client = json::ClientJson(view, urls_);
  boost::json::value shown = response(client);
  http::Response r = Envelope(std::move(shown), std::move(client));
  r.headers = std::move(headers);
  // __client_uat: when the client last changed while signed in; 0 once signed out.
  const int64_t uat = view.sessions.empty() ? 0 : view.client.updated_at / 1000;
  for (auto& c : ClientUatCookies(uat)) r.headers.push_back(std::move(c));
  return r;
}

std::vector<http::HeaderField> FrontendReplies::ClientUatCookies(int64_t uat) const {
  const std::string value = std::to_string(uat);
  std::vector<http::HeaderField> out;
  out.push_back(
      {"Set-Cookie", settings_.Cookie("__client_uat", value, false, settings_.cookie_max_age_s)});
  out.push_back({"Set-Cookie", settings_.Cookie("__client_uat_" + settings_.cookie_suffix, value,
                                                false, settings_.cookie_max_age_s)});
  return out;
}

void FrontendReplies::SendWithClient(std::string client_id, std::string origin,
                                     std::string request_id, http::Responder respond,
                                     boost::json::value response,
                                     std::vector<http::HeaderField> headers) const {
  if (client_id.empty()) {
    respond.Build([this, response = std::move(response), headers = std::move(headers)]() mutable {
      http::Response r = Envelope(std::move(response), nullptr);
      r.headers = std::move(headers);
      for (auto& c : ClientUatCookies(0)) r.headers.push_back(std::move(c));
      return r;
    });
    return;
  }
  service::RequestContext ctx;
  clients_.Snapshot(
      ctx, std::move(client_id), std::move(origin),
      [this, respond = std::move(respond), request_id = std::move(request_id),
       response = std::move(response),
       headers = std::move(headers)](Result<service::ClientView> view) mutable {
        respond.Build([this, view = std::move(view), request_id, response = std::move(response),
                       headers = std::move(headers)]() mutable -> http::Response {
          if (!view) return ErrorResponse(view.error(), request_id);
          return WithClient(
              *view, [&](const boost::json::object&) { return std::move(response); },
              std::move(headers));
        });
      });
}

}  // namespace orgd::api
