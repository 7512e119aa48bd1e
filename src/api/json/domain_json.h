// JSON of organization domains (BEHAVIOR.md §2.4; BAPI OrganizationDomain, FAPI
// Client.OrganizationDomain), membership requests (§2.5) and suggestions (§2.6).
#pragma once

#include <boost/json/object.hpp>
#include <optional>

#include "api/json/organization_json.h"
#include "service/domain_service.h"

namespace orgd::api::json {

struct DomainJsonOptions {
  // ownership_verification.txt_record_name/value while a TXT challenge is outstanding (the
  // Frontend API shows them to callers who may manage domains).
  bool show_txt_record = false;
};

boost::json::object DomainJson(const service::DomainView& view, const ImageUrls& urls,
                               DomainJsonOptions options = {});
boost::json::object DomainListJson(const store::Page<service::DomainView>& page,
                                   const ImageUrls& urls, DomainJsonOptions options = {});
boost::json::object MembershipRequestJson(const service::RequestView& view, const ImageUrls& urls);
boost::json::object MembershipRequestListJson(const store::Page<service::RequestView>& page,
                                              const ImageUrls& urls);
boost::json::object SuggestionJson(const service::SuggestionView& view, const ImageUrls& urls);
boost::json::object SuggestionListJson(const store::Page<service::SuggestionView>& page,
                                       const ImageUrls& urls);

}  // namespace orgd::api::json
