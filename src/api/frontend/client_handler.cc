#include "api/frontend/client_handler.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <functional>

#include "api/frontend/frontend_body.h"
#include "api/json/session_json.h"
#include "api/query_params.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

using service::Caller;

// The origin (scheme://host[:port]) of an absolute http(s) URL, or "".
std::string OriginOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const std::string_view s = url.substr(0, scheme);
  if (s != "http" && s != "https") return {};
  const size_t end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, end));
}

// The client JSON's session `id`, or null.
boost::json::value SessionIn(const boost::json::object& client, std::string_view id) {
  for (const auto& s : client.at("sessions").as_array()) {
    if (s.at("id").as_string() == id) return s;
  }
  return nullptr;
}

}  // namespace

void FrontendClientHandler::Environment(const service::RequestContext&,
                                        const http::Request& request, http::Responder respond) {
  // The environment is public: what any page of the app may know before signing in.
  settings_.Get(
      service::RequestContext::ForSystem("frontend environment"),
      [respond = std::move(respond), request_id = request.request_id,
       production = replies_.settings().publishable_key.starts_with("pk_live_")](
          Result<domain::OrganizationSettings> settings) {
        if (!settings) return respond.Send(ErrorResponse(settings.error(), request_id));
        // Bare, as clerk-js reads it (json.response || json).
        respond.Send(FrontendReplies::Bare(json::EnvironmentJson(*settings, "orgd", production)));
      });
}

void FrontendClientHandler::GetClient(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond) {
  if (ctx.caller.client_id.empty()) {
    return respond.Send(FrontendReplies::Envelope(nullptr, nullptr));
  }
  clients_.Snapshot(ctx, ctx.caller.client_id, std::string(request.Header("origin")),
                    [this, respond = std::move(respond),
                     request_id = request.request_id](Result<service::ClientView> view) {
                      respond.Build([this, view = std::move(view), request_id]() {
                        if (!view) return ErrorResponse(view.error(), request_id);
                        return FrontendReplies::Envelope(json::ClientJson(*view, replies_.urls()),
                                                         nullptr);
                      });
                    });
}

void FrontendClientHandler::ReplyFromClient(
    const service::RequestContext& ctx, const http::Request& request, http::Responder respond,
    std::vector<http::HeaderField> headers,
    std::function<boost::json::value(const boost::json::object& client)> response) {
  clients_.Snapshot(
      ctx, ctx.caller.client_id, std::string(request.Header("origin")),
      [this, respond = std::move(respond), request_id = request.request_id,
       headers = std::move(headers),
       response = std::move(response)](Result<service::ClientView> view) mutable {
        respond.Build([this, view = std::move(view), request_id, headers = std::move(headers),
                       response = std::move(response)]() mutable {
          if (!view) return ErrorResponse(view.error(), request_id);
          return replies_.WithClient(*view, response, std::move(headers));
        });
      });
}

void FrontendClientHandler::DeleteClient(const service::RequestContext& ctx,
                                         const http::Request& request, http::Responder respond) {
  if (ctx.caller.client_id.empty()) return Fail(request, respond, errors::SignedOut());
  clients_.EndAll(ctx, [this, ctx, &request,
                        respond = std::move(respond)](Result<domain::Client> ended) mutable {
    if (!ended) return Fail(request, respond, ended.error());
    // The browser forgets the client: its cookie goes.
    ReplyFromClient(ctx, request, std::move(respond),
                    {{"Set-Cookie", replies_.settings().Cookie("__client", "", true, 0)}},
                    [](const boost::json::object& client) { return client; });
  });
}

void FrontendClientHandler::RemoveAll(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond) {
  if (ctx.caller.client_id.empty()) return Fail(request, respond, errors::SignedOut());
  clients_.EndAll(ctx, [this, ctx, &request,
                        respond = std::move(respond)](Result<domain::Client> ended) mutable {
    if (!ended) return Fail(request, respond, ended.error());
    ReplyFromClient(ctx, request, std::move(respond), {},
                    [](const boost::json::object& client) { return client; });
  });
}

void FrontendClientHandler::SignIn(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  RunTicket(ctx, request, std::move(respond), /*sign_up=*/false);
}

void FrontendClientHandler::SignUp(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  RunTicket(ctx, request, std::move(respond), /*sign_up=*/true);
}

void FrontendClientHandler::RunTicket(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond,
                                      bool sign_up) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  service::TicketCommand cmd;
  cmd.strategy = FormText(*body, "strategy").value_or("");
  cmd.ticket = FormText(*body, "ticket").value_or("");
  if (sign_up) {
    cmd.first_name = FormText(*body, "first_name");
    cmd.last_name = FormText(*body, "last_name");
  }
  auto params = QueryParams::Parse(request.query);
  const bool native = params && params->Get("_is_native") == "1";
  auto done = [this, sign_up, native, origin = std::string(request.Header("origin")),
               respond = std::move(respond),
               request_id = request.request_id](Result<service::SignInResult> result) mutable {
    if (!result) return respond.Send(ErrorResponse(result.error(), request_id));
    std::vector<http::HeaderField> headers;
    if (result->credential) {
      if (native) {
        headers.push_back({"Authorization", *result->credential});
      } else {
        headers.push_back(
            {"Set-Cookie", replies_.settings().Cookie("__client", *result->credential, true,
                                                      replies_.settings().cookie_max_age_s)});
      }
    }
    boost::json::object attempt = sign_up ? json::SignUpAttemptJson(*result, replies_.urls())
                                          : json::SignInAttemptJson(*result, replies_.urls());
    replies_.SendWithClient(result->client.id, std::move(origin), std::move(request_id),
                            std::move(respond), std::move(attempt), std::move(headers));
  };
  if (sign_up) {
    clients_.SignUp(ctx, std::move(cmd), std::move(done));
  } else {
    clients_.SignIn(ctx, std::move(cmd), std::move(done));
  }
}

void FrontendClientHandler::Touch(const service::RequestContext& ctx, const http::Request& request,
                                  http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  std::optional<std::string> org = FormString(*body, "active_organization_id");
  const std::string session_id(request.PathParam("session_id"));
  clients_.Touch(ctx, session_id, std::move(org),
                 [this, ctx, session_id, &request,
                  respond = std::move(respond)](Result<service::SessionView> touched) mutable {
                   if (!touched) return Fail(request, respond, touched.error());
                   // The session as the client now shows it, with a token for its new organization.
                   ReplyFromClient(ctx, request, std::move(respond), {},
                                   [session_id](const boost::json::object& client) {
                                     return SessionIn(client, session_id);
                                   });
                 });
}

void FrontendClientHandler::CreateToken(const service::RequestContext& ctx,
                                        const http::Request& request, http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  service::CreateTokenCommand cmd;
  cmd.session_id = std::string(request.PathParam("session_id"));
  cmd.origin = std::string(request.Header("origin"));
  cmd.organization_id = FormString(*body, "organization_id");
  if (auto name = request.PathParam("template_name"); !name.empty()) {
    cmd.template_name = std::string(name);
  }
  if (ctx.caller.session_id != cmd.session_id) return Fail(request, respond, errors::SignedOut());
  sessions_.CreateToken(
      ctx, std::move(cmd),
      [respond = std::move(respond), request_id = request.request_id](Result<std::string> jwt) {
        if (!jwt) return respond.Send(ErrorResponse(jwt.error(), request_id));
        // Not enveloped: clerk-js reads json.jwt (CLERK-JS.md §3).
        respond.Send(FrontendReplies::Bare(json::TokenJson(*jwt)));
      });
}

void FrontendClientHandler::End(const service::RequestContext& ctx, const http::Request& request,
                                http::Responder respond) {
  EndOne(ctx, request, std::move(respond), /*remove=*/false);
}

void FrontendClientHandler::Remove(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond) {
  EndOne(ctx, request, std::move(respond), /*remove=*/true);
}

void FrontendClientHandler::EndOne(const service::RequestContext& ctx, const http::Request& request,
                                   http::Responder respond, bool remove) {
  clients_.EndSession(ctx, std::string(request.PathParam("session_id")), remove,
                      replies_.Change<service::ClientSessionView>(
                          ctx, request, std::move(respond),
                          [&urls = replies_.urls()](const service::ClientSessionView& ended) {
                            return json::EndedSessionJson({ended.session, ended.session.updated_at},
                                                          ended.user, urls);
                          }));
}

void FrontendClientHandler::Me(const service::RequestContext& ctx, const http::Request& request,
                               http::Responder respond) {
  clients_.Snapshot(
      ctx, ctx.caller.client_id, std::string(request.Header("origin")),
      [this, session_id = ctx.caller.session_id, respond = std::move(respond),
       request_id = request.request_id](Result<service::ClientView> view) {
        respond.Build([this, view = std::move(view), session_id, request_id]() {
          if (!view) return ErrorResponse(view.error(), request_id);
          for (const auto& s : view->sessions) {
            if (s.session.id != session_id) continue;
            return FrontendReplies::Envelope(
                json::FrontendUserJson(s.user, s.memberships, replies_.urls()), nullptr);
          }
          return ErrorResponse(errors::SignedOut(), request_id);
        });
      },
      /*with_tokens=*/false);
}

void FrontendClientHandler::Handshake(const service::RequestContext& ctx,
                                      const http::Request& request, http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  const std::string redirect_url(params->Get("redirect_url").value_or(""));
  if (redirect_url.empty()) return Fail(request, respond, errors::ParamMissing("redirect_url"));
  // Only back to the app: never an open redirect carrying a session token elsewhere.
  if (!replies_.settings().IsAllowedOrigin(OriginOf(redirect_url))) {
    return Fail(request, respond,
                errors::ParamInvalid(
                    "redirect_url", "redirect_url must be on an allowed origin of this instance."));
  }
  const bool secure = redirect_url.starts_with("https://");
  const std::string suffix = replies_.settings().cookie_suffix;
  // Cookies for the app's own host, as clerk-js writes them (not HttpOnly: clerk-js rewrites
  // them); the handshake token travels in the redirect's query, so it needs no cookie.
  auto app_cookie = [secure](std::string_view name, std::string_view value, bool remove) {
    std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; SameSite=Lax";
    c += remove ? "; Max-Age=0" : "; Max-Age=31536000";
    if (secure) c += "; Secure";
    return c;
  };
  auto finish = [this, redirect_url, respond,
                 request_id = request.request_id](std::vector<std::string> directives) {
    boost::json::array list;
    for (auto& d : directives) list.emplace_back(d);
    sessions_.SignPayload(
        boost::json::serialize(boost::json::object{{"handshake", std::move(list)}}),
        [redirect_url, respond, request_id](Result<std::string> token) {
          if (!token) return respond.Send(ErrorResponse(token.error(), request_id));
          http::Response r;
          r.status = 307;
          r.content_type.clear();
          const char sep = redirect_url.find('?') == std::string::npos ? '?' : '&';
          r.headers.push_back({"Location", redirect_url + sep + "__clerk_handshake=" + *token});
          respond.Send(std::move(r));
        });
  };
  auto signed_out = [app_cookie, suffix] {
    return std::vector<std::string>{
        app_cookie("__session", "", true), app_cookie("__session_" + suffix, "", true),
        app_cookie("__client_uat", "0", false), app_cookie("__client_uat_" + suffix, "0", false),
        app_cookie("__clerk_handshake", "", true)};
  };
  if (ctx.caller.kind != Caller::Kind::kSession) return finish(signed_out());
  clients_.Snapshot(ctx, ctx.caller.client_id, OriginOf(redirect_url),
                    [finish, signed_out, app_cookie, suffix,
                     session_id = ctx.caller.session_id](Result<service::ClientView> view) {
                      if (!view) return finish(signed_out());
                      for (const auto& s : view->sessions) {
                        if (s.session.id != session_id) continue;
                        const std::string uat = std::to_string(view->client.updated_at / 1000);
                        return finish({app_cookie("__session", s.jwt, false),
                                       app_cookie("__session_" + suffix, s.jwt, false),
                                       app_cookie("__client_uat", uat, false),
                                       app_cookie("__client_uat_" + suffix, uat, false),
                                       app_cookie("__clerk_handshake", "", true)});
                      }
                      finish(signed_out());
                    });
}

}  // namespace orgd::api
