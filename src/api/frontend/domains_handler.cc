#include "api/frontend/domains_handler.h"

#include "api/frontend/frontend_body.h"
#include "api/json/domain_json.h"
#include "api/query_params.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

std::optional<std::string> TextField(const boost::json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end()) return std::nullopt;
  if (const auto* s = it->value().if_string(); s && !s->empty()) return std::string(*s);
  return std::nullopt;
}

std::string OrgOf(const http::Request& request) {
  return std::string(request.PathParam("organization_id"));
}
std::string DomainOf(const http::Request& request) {
  return std::string(request.PathParam("domain_id"));
}

}  // namespace

service::Callback<service::DomainView> FrontendDomainsHandler::DomainChange(
    const service::RequestContext& ctx, const http::Request& request,
    http::Responder respond) const {
  return replies_.Change<service::DomainView>(
      ctx, request, std::move(respond), [&urls = replies_.urls()](const service::DomainView& v) {
        return json::DomainJson(v, urls, {.show_txt_record = true});
      });
}

void FrontendDomainsHandler::List(const service::RequestContext& ctx,
                                  const http::Request& request, http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  store::DomainListQuery query;
  query.organization_id = OrgOf(request);
  query.limit = page->limit;
  query.offset = page->offset;
  if (auto v = params->Get("verified"); v && !v->empty()) {
    if (*v != "true" && *v != "false") {
      return Fail(request, respond,
                  errors::ParamInvalid("verified", "verified must be true or false."));
    }
    query.verified = *v == "true";
  }
  auto modes = ParseList(*params, "enrollment_mode");
  if (!modes) return Fail(request, respond, modes.error());
  query.enrollment_modes = std::move(*modes);
  domains_.List(ctx, std::move(query),
                replies_.Read<store::Page<service::DomainView>>(
                    request, std::move(respond),
                    [&urls = replies_.urls()](const store::Page<service::DomainView>& p) {
                      return json::DomainListJson(p, urls);
                    }));
}

void FrontendDomainsHandler::Create(const service::RequestContext& ctx,
                                    const http::Request& request, http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  service::CreateDomainCommand cmd;
  cmd.name = TextField(*body, "name");
  cmd.enrollment_mode = TextField(*body, "enrollment_mode");
  if (body->contains("verified")) return Fail(request, respond, errors::ParamUnknown("verified"));
  domains_.Create(ctx, OrgOf(request), std::move(cmd), DomainChange(ctx, request, std::move(respond)));
}

void FrontendDomainsHandler::Get(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond) {
  domains_.Get(ctx, OrgOf(request), DomainOf(request),
               replies_.Read<service::DomainView>(
                   request, std::move(respond),
                   [&urls = replies_.urls()](const service::DomainView& v) {
                     return json::DomainJson(v, urls);
                   }));
}

void FrontendDomainsHandler::Delete(const service::RequestContext& ctx,
                                    const http::Request& request, http::Responder respond) {
  domains_.Delete(ctx, OrgOf(request), DomainOf(request),
                  replies_.Change<service::DomainView>(
                      ctx, request, std::move(respond), [](const service::DomainView& v) {
                        return json::DeletedObjectJson("organization_domain", v.domain.id);
                      }));
}

void FrontendDomainsHandler::UpdateEnrollmentMode(const service::RequestContext& ctx,
                                                  const http::Request& request,
                                                  http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  service::UpdateDomainCommand cmd;
  cmd.enrollment_mode = TextField(*body, "enrollment_mode");
  if (!cmd.enrollment_mode) return Fail(request, respond, errors::ParamMissing("enrollment_mode"));
  const auto pending = TextField(*body, "delete_pending");
  if (pending && *pending != "true" && *pending != "false") {
    return Fail(request, respond,
                errors::ParamInvalid("delete_pending", "delete_pending must be true or false."));
  }
  cmd.delete_pending = pending == "true";
  domains_.Update(ctx, OrgOf(request), DomainOf(request), std::move(cmd),
                  DomainChange(ctx, request, std::move(respond)));
}

void FrontendDomainsHandler::PrepareAffiliation(const service::RequestContext& ctx,
                                                const http::Request& request,
                                                http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  domains_.PrepareAffiliation(ctx, OrgOf(request), DomainOf(request),
                              TextField(*body, "affiliation_email_address"),
                              DomainChange(ctx, request, std::move(respond)));
}

void FrontendDomainsHandler::AttemptAffiliation(const service::RequestContext& ctx,
                                                const http::Request& request,
                                                http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  domains_.AttemptAffiliation(ctx, OrgOf(request), DomainOf(request), TextField(*body, "code"),
                              DomainChange(ctx, request, std::move(respond)));
}

void FrontendDomainsHandler::PrepareOwnership(const service::RequestContext& ctx,
                                              const http::Request& request,
                                              http::Responder respond) {
  domains_.PrepareOwnership(ctx, OrgOf(request), DomainOf(request),
                            DomainChange(ctx, request, std::move(respond)));
}

void FrontendDomainsHandler::AttemptOwnership(const service::RequestContext& ctx,
                                              const http::Request& request,
                                              http::Responder respond) {
  domains_.AttemptOwnership(ctx, OrgOf(request), DomainOf(request),
                            DomainChange(ctx, request, std::move(respond)));
}

void FrontendDomainsHandler::ListRequests(const service::RequestContext& ctx,
                                          const http::Request& request, http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  auto statuses = ParseList(*params, "status");
  if (!statuses) return Fail(request, respond, statuses.error());
  store::RequestListQuery query;
  query.organization_id = OrgOf(request);
  query.limit = page->limit;
  query.offset = page->offset;
  query.statuses = std::move(*statuses);
  domains_.ListRequests(ctx, std::move(query),
                        replies_.Read<store::Page<service::RequestView>>(
                            request, std::move(respond),
                            [&urls = replies_.urls()](const store::Page<service::RequestView>& p) {
                              return json::MembershipRequestListJson(p, urls);
                            }));
}

void FrontendDomainsHandler::AcceptRequest(const service::RequestContext& ctx,
                                           const http::Request& request,
                                           http::Responder respond) {
  domains_.AcceptRequest(ctx, OrgOf(request), std::string(request.PathParam("request_id")),
                         replies_.Change<service::RequestView>(
                             ctx, request, std::move(respond),
                             [&urls = replies_.urls()](const service::RequestView& v) {
                               return json::MembershipRequestJson(v, urls);
                             }));
}

void FrontendDomainsHandler::RejectRequest(const service::RequestContext& ctx,
                                           const http::Request& request,
                                           http::Responder respond) {
  domains_.RejectRequest(ctx, OrgOf(request), std::string(request.PathParam("request_id")),
                         replies_.Change<service::RequestView>(
                             ctx, request, std::move(respond),
                             [&urls = replies_.urls()](const service::RequestView& v) {
                               return json::MembershipRequestJson(v, urls);
                             }));
}

void FrontendDomainsHandler::MySuggestions(const service::RequestContext& ctx,
                                           const http::Request& request,
                                           http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  auto statuses = ParseList(*params, "status");
  if (!statuses) return Fail(request, respond, statuses.error());
  store::SuggestionListQuery query;
  query.limit = page->limit;
  query.offset = page->offset;
  query.statuses = std::move(*statuses);
  domains_.ListSuggestions(
      ctx, std::move(query),
      replies_.Read<store::Page<service::SuggestionView>>(
          request, std::move(respond),
          [&urls = replies_.urls()](const store::Page<service::SuggestionView>& p) {
            return json::SuggestionListJson(p, urls);
          }));
}

void FrontendDomainsHandler::AcceptSuggestion(const service::RequestContext& ctx,
                                              const http::Request& request,
                                              http::Responder respond) {
  domains_.AcceptSuggestion(ctx, std::string(request.PathParam("suggestion_id")),
                            replies_.Change<service::SuggestionView>(
                                ctx, request, std::move(respond),
                                [&urls = replies_.urls()](const service::SuggestionView& v) {
                                  return json::SuggestionJson(v, urls);
                                }));
}

}  // namespace orgd::api
