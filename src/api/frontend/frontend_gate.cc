#include "api/frontend/frontend_gate.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "api/error_response.h"
#include "api/query_params.h"
#include "common/base64.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

bool IsStateChanging(http::Method m) {
  return m != http::Method::kGet && m != http::Method::kHead && m != http::Method::kOptions;
}

void AddCors(http::Response& r, std::string_view origin) {
  r.headers.push_back({"Access-Control-Allow-Origin", std::string(origin)});
  r.headers.push_back({"Access-Control-Allow-Credentials", "true"});
  r.headers.push_back(
      {"Access-Control-Expose-Headers", "Authorization, Retry-After, X-Request-Id"});
  r.headers.push_back({"Vary", "Origin"});
}

// Answers through `respond` with CORS headers for `origin` (when allowed) on every response, and
// no caching: a Frontend API answer is one user's.
http::Responder WithHeaders(http::Responder respond, std::string origin) {
  return http::Responder([respond = std::move(respond),
                          origin = std::move(origin)](std::function<http::Response()> make) {
    respond.Build([make = std::move(make), origin]() {
      http::Response r = make();
      if (!origin.empty()) AddCors(r, origin);
      // Images say how they may be cached; everything else is one user's.
      const bool has_cache_control = std::any_of(r.headers.begin(), r.headers.end(), [](auto& h) {
        return http::EqualsIgnoreCase(h.name, "cache-control");
      });
      if (!has_cache_control) r.headers.push_back({"Cache-Control", "no-store"});
      return r;
    });
  });
}

}  // namespace

bool FrontendSettings::IsAllowedOrigin(std::string_view origin) const {
  return !origin.empty() &&
         std::find(allowed_origins.begin(), allowed_origins.end(), origin) != allowed_origins.end();
}

std::string FrontendSettings::Cookie(std::string_view name, std::string_view value, bool http_only,
                                     int64_t max_age_s) const {
  std::string c = fmt::format("{}={}; Path=/; Max-Age={}; SameSite=Lax", name, value, max_age_s);
  if (!cookie_domain.empty()) c += "; Domain=" + cookie_domain;
  if (secure_cookies) c += "; Secure";
  if (http_only) c += "; HttpOnly";
  return c;
}

std::string PublishableKeyFor(std::string_view frontend_url) {
  std::string_view host = frontend_url;
  if (auto scheme = host.find("://"); scheme != std::string_view::npos) {
    host.remove_prefix(scheme + 3);
  }
  if (auto slash = host.find('/'); slash != std::string_view::npos) host = host.substr(0, slash);
  std::string encoded = Base64Encode(std::string(host) + "$");
  while (encoded.ends_with('=')) encoded.pop_back();
  return "pk_live_" + encoded;
}

std::string CookieSuffix(std::string_view publishable_key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(publishable_key.data(), publishable_key.size(), digest, &n, EVP_sha1(), nullptr);
  std::string b64 = Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), n));
  std::replace(b64.begin(), b64.end(), '+', '-');
  std::replace(b64.begin(), b64.end(), '/', '_');
  return b64.substr(0, 8);
}

std::string CookieValue(const http::Request& request, std::string_view name) {
  for (const auto& h : request.headers) {
    if (h.name != "cookie") continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      size_t end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return {};
}

http::Handler FrontendGate(FrontendAuth auth, const FrontendSettings& settings,
                           service::ClientService& clients, ApiHandler handler) {
  return [auth, &settings, &clients, handler = std::move(handler)](const http::Request& request,
                                                                   http::Responder raw) {
    const std::string_view origin = request.Header("origin");
    const bool allowed = settings.IsAllowedOrigin(origin);
    http::Responder respond = WithHeaders(std::move(raw), allowed ? std::string(origin) : "");
    auto fail = [&](const Error& e) { respond.Send(ErrorResponse(e, request.request_id)); };
    auto params = QueryParams::Parse(request.query);
    if (!params) return fail(params.error());
    // The __client cookie is this API's credential, as Authorization is the Backend API's: a
    // browser sends one Cookie field (RFC 6265 §5.4; an HTTP/2 hop joins its fields, RFC 9113
    // §8.2.3), so two are a forgery or a broken proxy, not a choice between credentials.
    if (std::count_if(request.headers.begin(), request.headers.end(),
                      [](const http::HeaderField& h) { return h.name == "cookie"; }) > 1) {
      return fail(Error(ErrorCode::kBadRequest, "malformed_request", "Malformed request",
                        "The request has more than one cookie header."));
    }
    const bool native = params->Get("_is_native") == "1";
    std::string credential;
    if (native) {
      std::string_view header = request.Header("authorization");
      if (header.starts_with("Bearer ")) header.remove_prefix(7);
      credential = std::string(header);
    } else {
      credential = CookieValue(request, "__client");
    }
    // Another site cannot act with this browser's cookie: a change needs an allowed Origin, or
    // no Origin and the native credential (which no other site can send).
    if (IsStateChanging(request.method)) {
      if (!origin.empty() ? !allowed : !native) return fail(errors::OriginInvalid());
    }

    service::RequestContext ctx;
    ctx.request_id = request.request_id;
    ctx.api = service::Api::kFrontend;
    ctx.remote_ip = request.remote_ip;
    ctx.user_agent = request.Header("user-agent");
    ctx.caller = service::Caller::Anonymous();
    if (credential.empty()) {
      if (auth == FrontendAuth::kSession) return fail(errors::SignedOut());
      return handler(ctx, request, std::move(respond));
    }
    std::string session_id(request.PathParam("session_id"));
    if (session_id.empty() && !request.path.starts_with("/v1/client")) {
      session_id = std::string(params->Get("_clerk_session_id").value_or(""));
    }
    clients.Authenticate(
        std::move(credential), std::move(session_id),
        [auth, ctx, &request, respond, &handler](Result<service::ClientAuth> found) mutable {
          if (!found) {
            // A stale cookie on a route that works without one is no client at all.
            if (auth == FrontendAuth::kOptional &&
                found.error().code == ErrorCode::kUnauthenticated) {
              return handler(ctx, request, std::move(respond));
            }
            return respond.Send(ErrorResponse(found.error(), request.request_id));
          }
          if (found->session) {
            const domain::Session& s = *found->session;
            ctx.caller = service::Caller::Session(
                s.user_id, s.id, s.last_active_organization_id.value_or(""), found->client.id);
            request.caller_kind = "session";
            request.caller_id = s.user_id;
          } else {
            if (auth == FrontendAuth::kSession) {
              return respond.Send(ErrorResponse(errors::SignedOut(), request.request_id));
            }
            ctx.caller = service::Caller::Anonymous(found->client.id);
          }
          handler(ctx, request, std::move(respond));
        });
  };
}

http::Handler FrontendPreflight(const FrontendSettings& settings) {
  return [&settings](const http::Request& request, http::Responder respond) {
    http::Response r;
    r.status = 204;
    r.content_type.clear();
    const std::string_view origin = request.Header("origin");
    if (settings.IsAllowedOrigin(origin)) {
      AddCors(r, origin);
      r.headers.push_back({"Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE"});
      std::string asked(request.Header("access-control-request-headers"));
      r.headers.push_back(
          {"Access-Control-Allow-Headers", asked.empty() ? "Content-Type, Authorization" : asked});
      r.headers.push_back({"Access-Control-Max-Age", "600"});
    }
    respond.Send(std::move(r));
  };
}

}  // namespace orgd::api
