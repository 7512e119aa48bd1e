#include "api/json/frontend_json.h"

#include <boost/json/array.hpp>

#include "api/json/user_json.h"

namespace orgd::api::json {
namespace {

boost::json::value OptionalString(const std::optional<std::string>& s) {
  if (s) return boost::json::value(*s);
  return nullptr;
}

boost::json::object VerifiedEmailJson(const domain::Identifier& e) {
  boost::json::object o;
  o["object"] = "email_address";
  o["id"] = e.id;
  o["email_address"] = e.value;
  o["reserved"] = false;
  // Addresses come from the app's backend or an invitation's ticket: both vouch for them.
  o["verification"] = {
      {"status", "verified"}, {"strategy", "admin"}, {"attempts", nullptr}, {"expire_at", nullptr}};
  o["linked_to"] = boost::json::array();
  o["created_at"] = e.created_at;
  o["updated_at"] = e.updated_at;
  return o;
}

}  // namespace

OrganizationJsonOptions FrontendOrganizationOptions() {
  OrganizationJsonOptions options;
  options.include_members_count = true;
  return options;
}

boost::json::object FrontendUserJson(const domain::User& user,
                                     const std::vector<service::MembershipView>& memberships,
                                     const ImageUrls& urls) {
  boost::json::object o = UserJson(user, urls);
  o.erase("private_metadata");
  boost::json::array emails;
  for (const auto& e : user.email_addresses) emails.push_back(VerifiedEmailJson(e));
  o["email_addresses"] = std::move(emails);
  for (const char* empty :
       {"web3_wallets", "external_accounts", "passkeys", "enterprise_accounts", "saml_accounts"}) {
    o[empty] = boost::json::array();
  }
  boost::json::array list;
  for (const auto& m : memberships) {
    list.push_back(MembershipJson(m, urls, {}, FrontendOrganizationOptions()));
  }
  o["organization_memberships"] = std::move(list);
  // Client.User has an integer or nothing here.
  if (o["create_organizations_limit"].is_null()) o.erase("create_organizations_limit");
  o["password_enabled"] = false;
  o["two_factor_enabled"] = false;
  o["totp_enabled"] = false;
  o["backup_code_enabled"] = false;
  return o;
}

boost::json::object FrontendSessionJson(const service::ClientSessionView& view, int64_t now,
                                        const ImageUrls& urls) {
  const domain::Session& s = view.session;
  boost::json::object o;
  o["object"] = "session";
  o["id"] = s.id;
  o["status"] = s.Status(now);
  o["expire_at"] = s.expire_at;
  o["abandon_at"] = s.abandon_at;
  o["last_active_at"] = s.last_active_at;
  o["last_active_organization_id"] = OptionalString(s.last_active_organization_id);
  o["actor"] = nullptr;
  o["tasks"] = nullptr;
  o["factor_verification_age"] =
      boost::json::array{std::max<int64_t>(0, (now - s.created_at) / 60000), -1};
  o["public_user_data"] = PublicUserDataJson(view.user, urls);
  o["user"] = FrontendUserJson(view.user, view.memberships, urls);
  o["last_active_token"] = {{"object", "token"}, {"jwt", view.jwt}};
  o["created_at"] = s.created_at;
  o["updated_at"] = s.updated_at;
  return o;
}

boost::json::object EndedSessionJson(const service::SessionView& view, const domain::User& user,
                                     const ImageUrls& urls) {
  service::ClientSessionView shown{view.session, user, {}, {}};
  boost::json::object o = FrontendSessionJson(shown, view.now, urls);
  o["last_active_token"] = nullptr;
  return o;
}

boost::json::object ClientJson(const service::ClientView& view, const ImageUrls& urls) {
  boost::json::object o;
  o["object"] = "client";
  o["id"] = view.client.id;
  boost::json::array sessions;
  for (const auto& s : view.sessions) sessions.push_back(FrontendSessionJson(s, view.now, urls));
  o["sessions"] = std::move(sessions);
  o["sign_in"] = nullptr;
  o["sign_up"] = nullptr;
  // The last active session only while it is active (the list holds only active ones).
  boost::json::value last = nullptr;
  for (const auto& s : view.sessions) {
    if (view.client.last_active_session_id == s.session.id) last = s.session.id;
  }
  if (last.is_null() && !view.sessions.empty()) last = view.sessions.front().session.id;
  o["last_active_session_id"] = std::move(last);
  o["last_authentication_strategy"] = nullptr;
  o["cookie_expires_at"] = nullptr;
  o["captcha_bypass"] = false;
  o["created_at"] = view.client.created_at;
  o["updated_at"] = view.client.updated_at;
  return o;
}

namespace {

boost::json::object VerifiedByTicket() {
  return {{"status", "verified"},
          {"strategy", "ticket"},
          {"attempts", nullptr},
          {"expire_at", nullptr}};
}

std::string Identifier(const domain::User& user) { return user.DisplayIdentifier().value_or(""); }

}  // namespace

boost::json::object SignInAttemptJson(const service::SignInResult& r, const ImageUrls& urls) {
  boost::json::object o;
  o["object"] = "sign_in_attempt";
  o["id"] = r.attempt_id;
  o["status"] = "complete";
  o["supported_identifiers"] = boost::json::array();
  o["supported_first_factors"] = boost::json::array();
  o["supported_second_factors"] = nullptr;
  o["first_factor_verification"] = VerifiedByTicket();
  o["second_factor_verification"] = nullptr;
  o["identifier"] = Identifier(r.user);
  const boost::json::object public_data = PublicUserDataJson(r.user, urls);
  boost::json::object user_data;
  for (const char* key :
       {"first_name", "last_name", "image_url", "has_image", "profile_image_url"}) {
    user_data[key] = public_data.at(key);
  }
  o["user_data"] = std::move(user_data);
  o["created_session_id"] = r.session.session.id;
  o["abandon_at"] = r.session.session.abandon_at;
  return o;
}

boost::json::object SignUpAttemptJson(const service::SignInResult& r, const ImageUrls&) {
  boost::json::object o;
  o["object"] = "sign_up_attempt";
  o["id"] = r.attempt_id;
  o["status"] = "complete";
  o["required_fields"] = boost::json::array();
  o["optional_fields"] = boost::json::array();
  o["missing_fields"] = boost::json::array();
  o["unverified_fields"] = boost::json::array();
  boost::json::object email_verification = VerifiedByTicket();
  email_verification["next_action"] = "";
  email_verification["supported_strategies"] = boost::json::array();
  o["verifications"] = {{"email_address", std::move(email_verification)},
                        {"phone_number", nullptr},
                        {"web3_wallet", nullptr},
                        {"external_account", nullptr}};
  o["username"] = OptionalString(r.user.username);
  const domain::Identifier* email = r.user.PrimaryEmail();
  o["email_address"] = email ? boost::json::value(email->value) : nullptr;
  o["phone_number"] = nullptr;
  o["web3_wallet"] = nullptr;
  o["password_enabled"] = false;
  o["first_name"] = OptionalString(r.user.first_name);
  o["last_name"] = OptionalString(r.user.last_name);
  o["unsafe_metadata"] = r.user.unsafe_metadata;
  o["public_metadata"] = r.user.public_metadata;
  o["custom_action"] = false;
  o["legal_accepted_at"] = nullptr;
  o["external_id"] = nullptr;
  o["created_session_id"] = r.session.session.id;
  o["created_user_id"] = r.user.id;
  o["abandon_at"] = r.session.session.abandon_at;
  return o;
}

boost::json::object EnvironmentJson(const domain::OrganizationSettings& s,
                                    std::string_view application_name, bool production) {
  boost::json::object o;
  o["object"] = "environment";
  o["id"] = "env_orgd";
  o["maintenance_mode"] = false;
  o["auth_config"] = {{"object", "auth_config"},
                      {"id", "aac_orgd"},
                      {"single_session_mode", true},
                      {"reverification", false},
                      {"claimed_at", nullptr}};
  boost::json::object display;
  display["object"] = "display_config";
  display["id"] = "display_config_orgd";
  display["instance_environment_type"] = production ? "production" : "development";
  display["application_name"] = application_name;
  display["branded"] = false;
  display["show_devmode_warning"] = false;
  for (const char* url :
       {"home_url", "sign_in_url", "sign_up_url", "user_profile_url", "organization_profile_url",
        "create_organization_url", "after_create_organization_url", "after_leave_organization_url",
        "after_sign_in_url", "after_sign_up_url", "after_sign_out_one_url",
        "after_sign_out_all_url"}) {
    display[url] = "";
  }
  o["display_config"] = std::move(display);
  // No attributes: clerk-js keeps its defaults (a partial list would replace them).
  o["user_settings"] = boost::json::object();
  boost::json::object orgs;
  orgs["object"] = "organization_settings";
  orgs["enabled"] = s.enabled;
  orgs["max_allowed_memberships"] = s.max_allowed_memberships;
  orgs["force_organization_selection"] = false;
  orgs["actions"] = {{"admin_delete", s.admin_delete_enabled}};
  boost::json::array modes;
  for (const auto& m : s.domains_enrollment_modes) modes.push_back(boost::json::value(m));
  orgs["domains"] = {{"enabled", s.domains_enabled},
                     {"enrollment_modes", std::move(modes)},
                     {"default_role", s.domains_default_role}};
  orgs["slug"] = {{"disabled", s.slug_disabled}};
  orgs["creator_role"] = s.creator_role;
  o["organization_settings"] = std::move(orgs);
  return o;
}

void FitForFrontend(boost::json::value& value) {
  if (auto* o = value.if_object()) {
    o->erase("private_metadata");
    if (auto it = o->find("object"); it != o->end() && it->value().is_string()) {
      const auto& kind = it->value().get_string();
      if (kind == "organization") {
        o->erase("created_by");
        o->erase("role_set_key");
      } else if (kind == "role") {
        if (auto d = o->find("description"); d != o->end() && d->value().is_null()) {
          d->value() = "";
        }
      }
    }
    for (auto& [key, child] : *o) FitForFrontend(child);
  } else if (auto* a = value.if_array()) {
    for (auto& child : *a) FitForFrontend(child);
  }
}

}  // namespace orgd::api::json
