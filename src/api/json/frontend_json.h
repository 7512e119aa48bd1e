// The Frontend API's own objects as clerk-js reads them (CLERK-JS.md §2–4, fapi-organizations.yml
// Client.*): the client, its sessions, the signed-in user, the environment and sign-in attempts.
// Organizations, memberships, invitations and roles reuse the Backend API's JSON; every Frontend
// API reply then goes through FitForFrontend (api/frontend/frontend_reply.h).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "api/json/organization_json.h"
#include "domain/organization_settings.h"
#include "service/client_service.h"

namespace orgd::api::json {

// How the Frontend API shows an organization wherever it appears: with members_count and
// pending_invitations_count (clerk-js builds clerk.organization from the memberships).
OrganizationJsonOptions FrontendOrganizationOptions();

// The user as the Frontend API shows them: their addresses (verified), their memberships with
// organizations and permissions, no private metadata.
boost::json::object FrontendUserJson(const domain::User& user,
                                     const std::vector<service::MembershipView>& memberships,
                                     const ImageUrls& urls);
// A session of a client, with its user and last_active_token.
boost::json::object FrontendSessionJson(const service::ClientSessionView& view, int64_t now,
                                        const ImageUrls& urls);
// A session the client no longer shows (ended, removed), with its user; no token.
boost::json::object EndedSessionJson(const service::SessionView& view, const domain::User& user,
                                     const ImageUrls& urls);
boost::json::object ClientJson(const service::ClientView& view, const ImageUrls& urls);
// A sign-in (sia_…) or sign-up (sua_…) attempt that completed with a session.
boost::json::object SignInAttemptJson(const service::SignInResult& result, const ImageUrls& urls);
boost::json::object SignUpAttemptJson(const service::SignInResult& result, const ImageUrls& urls);
// GET /v1/environment. `production`: the publishable key is pk_live_.
boost::json::object EnvironmentJson(const domain::OrganizationSettings& settings,
                                    std::string_view application_name, bool production);

// Fits a reply for the Frontend API, at any depth: removes every "private_metadata" (what the
// Frontend API never shows), and the Backend API's own organization fields (created_by,
// role_set_key) that Client.Organization does not have; a role's null description becomes "".
void FitForFrontend(boost::json::value& value);

}  // namespace orgd::api::json
