#include "api/backend/settings_handler.h"

#include "api/body_reader.h"
#include "api/json/role_json.h"
#include "api/reply.h"

namespace orgd::api {

void SettingsHandler::Get(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  service_.Get(ctx, ReplyWith<domain::OrganizationSettings>(std::move(respond), request.request_id,
                                                            json::OrganizationSettingsJson));
}

void SettingsHandler::Update(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::UpdateSettingsCommand cmd;
  cmd.enabled = in.Bool("enabled");
  cmd.max_allowed_memberships = in.Int("max_allowed_memberships");
  cmd.admin_delete_enabled = in.Bool("admin_delete_enabled");
  cmd.domains_enabled = in.Bool("domains_enabled");
  cmd.slug_disabled = in.Bool("slug_disabled");
  cmd.domains_enrollment_modes = in.StringArray("domains_enrollment_modes");
  cmd.creator_role_id = in.String("creator_role_id");
  cmd.domains_default_role_id = in.String("domains_default_role_id");
  cmd.max_allowed_roles = in.Int("max_allowed_roles");
  cmd.max_allowed_domains = in.Int("max_allowed_domains");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Update(ctx, std::move(cmd),
                  ReplyWith<domain::OrganizationSettings>(std::move(respond), request.request_id,
                                                          json::OrganizationSettingsJson));
}

}  // namespace orgd::api
