#include "api/json/user_json.h"

namespace orgd::api::json {
namespace {

boost::json::value OptionalString(const std::optional<std::string>& s,
                                  const boost::json::storage_ptr& sp) {
  if (s) return boost::json::value(*s, sp);
  return boost::json::value(nullptr, sp);
}

// Identifiers created through the Backend API count as verified by the admin (strategy "admin").
boost::json::object AdminVerification(const boost::json::storage_ptr& sp) {
  return boost::json::object({{"object", "verification_admin"},
                              {"status", "verified"},
                              {"strategy", "admin"},
                              {"attempts", nullptr},
                              {"expire_at", nullptr}},
                             sp);
}

boost::json::object IdentifierJson(const domain::Identifier& i, std::string_view object,
                                   std::string_view field, const boost::json::storage_ptr& sp) {
  boost::json::object o(sp);
  o["id"] = i.id;
  o["object"] = object;
  o[field] = i.value;
  o["reserved"] = false;
  o["verification"] = AdminVerification(sp);
  o["linked_to"] = boost::json::array();  // the SDK maps over it: never null
  o["created_at"] = i.created_at;
  o["updated_at"] = i.updated_at;
  return o;
}

}  // namespace

std::string UserImageUrl(const domain::User& user, const ImageUrls& urls) {
  return user.image_id ? urls.Stored(*user.image_id) : urls.DefaultFor(user.id);
}

boost::json::object UserJson(const domain::User& user, const ImageUrls& urls,
                             boost::json::storage_ptr sp) {
  boost::json::object o(sp);
  o.reserve(40);
  o["id"] = user.id;
  o["object"] = "user";
  o["external_id"] = OptionalString(user.external_id, sp);
  o["primary_email_address_id"] = OptionalString(user.primary_email_address_id, sp);
  o["primary_phone_number_id"] = OptionalString(user.primary_phone_number_id, sp);
  o["primary_web3_wallet_id"] = nullptr;
  o["username"] = OptionalString(user.username, sp);
  o["first_name"] = OptionalString(user.first_name, sp);
  o["last_name"] = OptionalString(user.last_name, sp);
  std::string image_url = UserImageUrl(user, urls);
  o["profile_image_url"] = image_url;
  o["image_url"] = std::move(image_url);
  o["has_image"] = user.image_id.has_value();
  o["public_metadata"] = user.public_metadata;
  o["private_metadata"] = user.private_metadata;
  o["unsafe_metadata"] = user.unsafe_metadata;
  boost::json::array emails(sp);
  for (const auto& e : user.email_addresses) {
    emails.push_back(IdentifierJson(e, "email_address", "email_address", sp));
  }
  o["email_addresses"] = std::move(emails);
  boost::json::array phones(sp);
  for (const auto& p : user.phone_numbers) {
    phones.push_back(IdentifierJson(p, "phone_number", "phone_number", sp));
  }
  o["phone_numbers"] = std::move(phones);
  for (const char* empty :
       {"web3_wallets", "passkeys", "external_accounts", "saml_accounts", "enterprise_accounts"}) {
    o[empty] = boost::json::array();
  }
  for (const char* off : {"password_enabled", "two_factor_enabled", "totp_enabled",
                          "backup_code_enabled", "banned", "locked"}) {
    o[off] = false;
  }
  for (const char* never :
       {"mfa_enabled_at", "mfa_disabled_at", "last_sign_in_at", "lockout_expires_in_seconds",
        "verification_attempts_remaining", "last_active_at", "legal_accepted_at"}) {
    o[never] = nullptr;
  }
  o["created_at"] = user.created_at;
  o["updated_at"] = user.updated_at;
  o["delete_self_enabled"] = user.delete_self_enabled;
  o["create_organization_enabled"] = user.create_organization_enabled;
  if (user.create_organizations_limit) {
    o["create_organizations_limit"] = *user.create_organizations_limit;
  } else {
    o["create_organizations_limit"] = nullptr;
  }
  return o;
}

boost::json::array UserListJson(const std::vector<domain::User>& users, const ImageUrls& urls,
                                boost::json::storage_ptr sp) {
  boost::json::array out(sp);
  out.reserve(users.size());
  for (const auto& user : users) out.push_back(UserJson(user, urls, sp));
  return out;
}

boost::json::object TotalCountJson(int64_t total_count) {
  return {{"object", "total_count"}, {"total_count", total_count}};
}

boost::json::object PublicUserDataJson(const domain::User& user, const ImageUrls& urls,
                                       boost::json::storage_ptr sp) {
  boost::json::object o(sp);
  o["user_id"] = user.id;
  o["first_name"] = OptionalString(user.first_name, sp);
  o["last_name"] = OptionalString(user.last_name, sp);
  std::string image_url = UserImageUrl(user, urls);
  o["profile_image_url"] = image_url;
  o["image_url"] = std::move(image_url);
  o["has_image"] = user.image_id.has_value();
  o["identifier"] = OptionalString(user.DisplayIdentifier(), sp);
  o["username"] = OptionalString(user.username, sp);
  o["banned"] = false;
  o["deprovisioned"] = false;
  return o;
}

boost::json::object MembershipJson(const service::MembershipView& view, const ImageUrls& urls,
                                   boost::json::storage_ptr sp,
                                   OrganizationJsonOptions org_options) {
  const domain::Membership& m = view.membership;
  boost::json::object o(sp);
  o["object"] = "organization_membership";
  o["id"] = m.id;
  o["role"] = m.role;
  o["role_name"] = view.role.name;
  boost::json::array permissions(sp);
  for (const auto& p : view.role.permissions) permissions.emplace_back(p.key);
  o["permissions"] = std::move(permissions);
  o["public_metadata"] = m.public_metadata;
  o["private_metadata"] = m.private_metadata;
  o["organization"] = OrganizationJson(view.organization, urls, org_options, sp);
  o["public_user_data"] = PublicUserDataJson(view.user, urls, sp);
  o["created_at"] = m.created_at;
  o["updated_at"] = m.updated_at;
  return o;
}

boost::json::object MembershipListJson(const store::Page<service::MembershipView>& page,
                                       const ImageUrls& urls, boost::json::storage_ptr sp,
                                       OrganizationJsonOptions org_options) {
  boost::json::array data(sp);
  data.reserve(page.data.size());
  for (const auto& view : page.data) data.push_back(MembershipJson(view, urls, sp, org_options));
  return boost::json::object({{"data", std::move(data)}, {"total_count", page.total_count}}, sp);
}

}  // namespace orgd::api::json
