#include "api/json/domain_json.h"

#include <boost/json/array.hpp>

#include "api/json/invitation_json.h"
#include "api/json/user_json.h"

namespace orgd::api::json {
namespace {

boost::json::value VerificationJson(const std::optional<domain::DomainVerification>& v,
                                    int64_t now) {
  if (!v) return nullptr;
  boost::json::object o;
  o["status"] = v->Status(now);
  o["strategy"] = v->strategy;
  o["attempts"] = v->attempts ? boost::json::value(*v->attempts) : nullptr;
  o["expire_at"] = v->expire_at ? boost::json::value(*v->expire_at) : nullptr;
  o["verified_at"] = v->verified_at ? boost::json::value(*v->verified_at) : nullptr;
  return o;
}

}  // namespace

boost::json::object DomainJson(const service::DomainView& view, const ImageUrls& urls,
                               DomainJsonOptions options) {
  const domain::OrganizationDomain& d = view.domain;
  boost::json::object o;
  o["object"] = "organization_domain";
  o["id"] = d.id;
  o["organization_id"] = d.organization_id;
  o["name"] = d.name;
  o["enrollment_mode"] = d.enrollment_mode;
  o["affiliation_email_address"] =
      d.affiliation_email_address ? boost::json::value(*d.affiliation_email_address) : nullptr;
  boost::json::value affiliation = VerificationJson(d.affiliation, view.now);
  o["affiliation_verification"] = affiliation;
  // The deprecated alias clerk-js and @clerk/backend still read.
  o["verification"] = affiliation;
  boost::json::value ownership = VerificationJson(d.ownership, view.now);
  if (auto* own = ownership.if_object()) {
    const bool outstanding = !d.txt_record_value.empty() &&
                             d.ownership->Status(view.now) == domain::kVerificationUnverified;
    if (options.show_txt_record || view.shows_challenge) {
      (*own)["txt_record_name"] =
          outstanding ? boost::json::value(std::string(service::kTxtRecordPrefix) + d.name)
                      : nullptr;
      (*own)["txt_record_value"] = outstanding ? boost::json::value(d.txt_record_value) : nullptr;
    }
  }
  o["ownership_verification"] = std::move(ownership);
  o["total_pending_invitations"] = d.total_pending_invitations;
  o["total_pending_suggestions"] = d.total_pending_suggestions;
  if (view.organization) {
    o["public_organization_data"] = PublicOrganizationDataJson(*view.organization, urls);
  }
  o["created_at"] = d.created_at;
  o["updated_at"] = d.updated_at;
  return o;
}

boost::json::object DomainListJson(const store::Page<service::DomainView>& page,
                                   const ImageUrls& urls, DomainJsonOptions options) {
  boost::json::array data;
  for (const auto& view : page.data) data.push_back(DomainJson(view, urls, options));
  return {{"data", std::move(data)}, {"total_count", page.total_count}};
}

boost::json::object MembershipRequestJson(const service::RequestView& view, const ImageUrls& urls) {
  const domain::MembershipRequest& r = view.request;
  boost::json::object o;
  o["object"] = "organization_membership_request";
  o["id"] = r.id;
  o["organization_id"] = r.organization_id;
  o["status"] = r.status;
  o["public_user_data"] = PublicUserDataJson(view.user, urls);
  o["created_at"] = r.created_at;
  o["updated_at"] = r.updated_at;
  return o;
}

boost::json::object MembershipRequestListJson(const store::Page<service::RequestView>& page,
                                              const ImageUrls& urls) {
  boost::json::array data;
  for (const auto& view : page.data) data.push_back(MembershipRequestJson(view, urls));
  return {{"data", std::move(data)}, {"total_count", page.total_count}};
}

boost::json::object SuggestionJson(const service::SuggestionView& view, const ImageUrls& urls) {
  const domain::OrganizationSuggestion& s = view.suggestion;
  boost::json::object o;
  o["object"] = "organization_suggestion";
  o["id"] = s.id;
  o["status"] = s.status;
  o["public_organization_data"] = PublicOrganizationDataJson(view.organization, urls);
  o["created_at"] = s.created_at;
  o["updated_at"] = s.updated_at;
  return o;
}

boost::json::object SuggestionListJson(const store::Page<service::SuggestionView>& page,
                                       const ImageUrls& urls) {
  boost::json::array data;
  for (const auto& view : page.data) data.push_back(SuggestionJson(view, urls));
  return {{"data", std::move(data)}, {"total_count", page.total_count}};
}

}  // namespace orgd::api::json
