// The Frontend API's front door, in front of every one of its routes (api/routes.cc
// FrontendApiRoutes): the Origin policy and CORS, the client credential (the httpOnly __client
// cookie; for native apps the Authorization header with ?_is_native=1), and the caller it
// authenticates (service::ClientService::Authenticate). Handlers then see a RequestContext whose
// caller is the session the credential leads to, never anything a request field says.
//
//   Origin   a state-changing request (anything but GET, HEAD, OPTIONS) from an origin that is
//            not an --allowed-origin is refused with 403 origin_invalid before it reaches a
//            service; so is one without an Origin that carries the cookie (browsers always send
//            Origin on POST; only native apps, with their header credential, omit it). Answers to
//            allowed origins carry Access-Control-Allow-Origin and -Credentials; OPTIONS
//            preflights are answered for them.
//   session  `_clerk_session_id` picks the session on every path but /v1/client/…, where the
//            path's {session_id} does; else the client's last active one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/api_handler.h"
#include "http/request.h"
#include "service/client_service.h"

namespace orgd::api {

struct FrontendSettings {
  std::vector<std::string> allowed_origins;  // exact origins, e.g. http://127.0.0.1:3000
  std::string frontend_url;                  // --frontend-url, no trailing slash
  std::string publishable_key;               // pk_live_ + base64("<frontend host>$")
  std::string cookie_suffix;                 // clerk-js's suffix for that key
  std::string cookie_domain;                 // --cookie-domain; empty: host-only cookies
  bool secure_cookies = false;               // the frontend URL is https
  int64_t cookie_max_age_s = 365LL * 24 * 60 * 60;

  bool IsAllowedOrigin(std::string_view origin) const;
  // A Set-Cookie value for `name`; max_age_s 0 deletes the cookie.
  std::string Cookie(std::string_view name, std::string_view value, bool http_only,
                     int64_t max_age_s) const;
};

// The publishable key apps use with this orgd: pk_live_ + base64 of "<host[:port]>$" of
// `frontend_url`, padding stripped (CLERK-JS.md §1).
std::string PublishableKeyFor(std::string_view frontend_url);
// clerk-js's cookie suffix for a publishable key: the first 8 characters of the URL-safe base64
// of its SHA-1.
std::string CookieSuffix(std::string_view publishable_key);

// How a Frontend API route authenticates.
enum class FrontendAuth {
  kOptional,  // a client when the request has one (environment, client, sign-in, handshake)
  kSession,   // an active session: 401 signed_out otherwise
};

// The value of cookie `name` in the request's Cookie headers, or "".
std::string CookieValue(const http::Request& request, std::string_view name);

// Wraps `handler` in the gate. REQUIRES: `settings` and `clients` outlive the handler.
http::Handler FrontendGate(FrontendAuth auth, const FrontendSettings& settings,
                           service::ClientService& clients, ApiHandler handler);

// The answer to an OPTIONS preflight on a Frontend API path.
http::Handler FrontendPreflight(const FrontendSettings& settings);

}  // namespace orgd::api
