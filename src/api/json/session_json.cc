#include "api/json/session_json.h"

namespace orgd::api::json {

boost::json::object SessionJson(const service::SessionView& view, boost::json::storage_ptr sp) {
  const domain::Session& s = view.session;
  boost::json::object o(std::move(sp));
  o["object"] = "session";
  o["id"] = s.id;
  o["user_id"] = s.user_id;
  o["client_id"] = s.client_id;
  o["actor"] = nullptr;
  o["status"] = s.Status(view.now);
  if (s.last_active_organization_id) {
    o["last_active_organization_id"] = *s.last_active_organization_id;
  } else {
    o["last_active_organization_id"] = nullptr;
  }
  o["last_active_at"] = s.last_active_at;
  o["expire_at"] = s.expire_at;
  o["abandon_at"] = s.abandon_at;
  o["created_at"] = s.created_at;
  o["updated_at"] = s.updated_at;
  return o;
}

boost::json::value SessionListJson(const store::Page<service::SessionView>& page, bool paginated,
                                   boost::json::storage_ptr sp) {
  boost::json::array data(sp);
  data.reserve(page.data.size());
  for (const auto& view : page.data) data.push_back(SessionJson(view, sp));
  if (!paginated) return data;
  boost::json::object o(sp);
  o["data"] = std::move(data);
  o["total_count"] = page.total_count;
  return o;
}

boost::json::object TokenJson(const std::string& jwt) {
  return {{"object", "token"}, {"jwt", jwt}};
}

boost::json::object SignInTokenJson(const service::SignInTokenView& view) {
  const domain::SignInToken& t = view.token;
  boost::json::object o;
  o["object"] = "sign_in_token";
  o["id"] = t.id;
  o["status"] = t.status;
  o["user_id"] = t.user_id;
  if (view.secret) o["token"] = *view.secret;
  // Clerk's url opens its hosted ticket page; orgd's Frontend API takes the token through
  // clerk-js's ticket sign-in instead, so there is no page to link.
  o["url"] = nullptr;
  o["created_at"] = t.created_at;
  o["updated_at"] = t.updated_at;
  return o;
}

boost::json::object JwksJson(const std::vector<service::PublicJwk>& keys) {
  boost::json::array list;
  for (const auto& k : keys) {
    list.push_back(boost::json::object{
        {"kty", "RSA"}, {"kid", k.kid}, {"alg", "RS256"}, {"use", "sig"}, {"n", k.n}, {"e", k.e}});
  }
  return {{"keys", std::move(list)}};
}

}  // namespace orgd::api::json
