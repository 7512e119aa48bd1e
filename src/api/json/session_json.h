// The JSON shapes of sessions, session tokens, sign-in tokens and the JWKS (BEHAVIOR.md §2.12;
// BAPI schemas Session, Token, SignInToken, JWKS).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "service/session_service.h"
#include "service/sign_in_token_service.h"
#include "service/signing_keys.h"
#include "store/page.h"

namespace orgd::api::json {

// `{object:"session", id, user_id, client_id, actor:null, status, last_active_organization_id,
// last_active_at, expire_at, abandon_at, created_at, updated_at}`; status as at view.now.
boost::json::object SessionJson(const service::SessionView& view, boost::json::storage_ptr sp = {});

// GET /sessions: a plain array, or `{data, total_count}` with paginated=true.
boost::json::value SessionListJson(const store::Page<service::SessionView>& page, bool paginated,
                                   boost::json::storage_ptr sp = {});

// `{object:"token", jwt}`.
boost::json::object TokenJson(const std::string& jwt);

// `{object:"sign_in_token", id, status, user_id, token?, url:null, created_at, updated_at}`:
// `token` only in the create response (the secret is not kept).
boost::json::object SignInTokenJson(const service::SignInTokenView& view);

// `{keys:[{kty:"RSA", kid, alg:"RS256", use:"sig", n, e}]}`.
boost::json::object JwksJson(const std::vector<service::PublicJwk>& keys);

}  // namespace orgd::api::json
