// WebhookPayloads: the `data` of each webhook event (service/event_payloads.h), in the Backend
// API's shapes (webhooks-organizations.yml takes them from BAPI: private metadata included), built
// by the same builders as the API's responses, so an event and a GET of the object agree.
//
// Thread safety: immutable; every method may be called from any thread at once.
#pragma once

#include <string>

#include "service/event_payloads.h"

namespace orgd::api::json {

class WebhookPayloads final : public service::EventPayloads {
 public:
  // `public_url`: where image URLs point, as for the API's responses (json::ImageUrls), read at
  // each render. REQUIRES: `public_url` outlives this object and no longer changes once a write
  // may render (the app fixes it before it serves or runs jobs).
  explicit WebhookPayloads(const std::string& public_url) : public_url_(public_url) {}

  std::string Organization(const domain::Organization& org) const override;
  std::string Membership(const service::MembershipView& view) const override;
  std::string Invitation(const service::InvitationView& view,
                         const domain::Organization& org) const override;
  std::string Role(const domain::Role& role) const override;
  std::string Permission(const domain::Permission& permission) const override;
  std::string User(const domain::User& user) const override;
  std::string Session(const service::SessionView& view, const domain::User* user) const override;
  std::string Domain(const service::DomainView& view) const override;
  std::string Deleted(const service::DeletedObject& deleted) const override;

 private:
  const std::string& public_url_;
};

}  // namespace orgd::api::json
