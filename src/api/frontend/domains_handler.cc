#include "api/frontend/domains_handler.h"

#include <algorithm>
#include <memory>

#include "api/frontend/frontend_body.h"
#include "api/json/domain_json.h"
#include "api/query_params.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

// Errors about the call itself, not one item: they answer the whole bulk call.
bool AboutTheCall(const Error& e) {
  return e.code == ErrorCode::kUnauthenticated || e.code == ErrorCode::kPermissionDenied ||
         e.clerk_code == "organization_not_found_or_unauthorized" ||
         errors::IsNotFound(e, "organization") || e.code == ErrorCode::kUnavailable ||
         e.code == ErrorCode::kInternal;
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

void FrontendDomainsHandler::List(const service::RequestContext& ctx, const http::Request& request,
                                  http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  store::DomainListQuery query;
  query.organization_id = OrgOf(request);
  query.limit = page->limit;
  query.offset = page->offset;
  auto verified = ParseOptionalFlag(*params, "verified");
  if (!verified) return Fail(request, respond, verified.error());
  query.verified = *verified;
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
  cmd.name = FormText(*body, "name");
  cmd.enrollment_mode = FormText(*body, "enrollment_mode");
  if (body->contains("verified")) return Fail(request, respond, errors::ParamUnknown("verified"));
  domains_.Create(ctx, OrgOf(request), std::move(cmd),
                  DomainChange(ctx, request, std::move(respond)));
}

void FrontendDomainsHandler::Get(const service::RequestContext& ctx, const http::Request& request,
                                 http::Responder respond) {
  domains_.Get(
      ctx, OrgOf(request), DomainOf(request),
      replies_.Read<service::DomainView>(request, std::move(respond),
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
  cmd.enrollment_mode = FormText(*body, "enrollment_mode");
  if (!cmd.enrollment_mode) return Fail(request, respond, errors::ParamMissing("enrollment_mode"));
  const auto pending = FormText(*body, "delete_pending");
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
                              FormText(*body, "affiliation_email_address"),
                              DomainChange(ctx, request, std::move(respond)));
}

void FrontendDomainsHandler::AttemptAffiliation(const service::RequestContext& ctx,
                                                const http::Request& request,
                                                http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  domains_.AttemptAffiliation(ctx, OrgOf(request), DomainOf(request), FormText(*body, "code"),
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

void FrontendDomainsHandler::RunBulk(const service::RequestContext& ctx,
                                     const http::Request& request, http::Responder respond,
                                     std::vector<std::string> items, std::string key_name,
                                     Step step) {
  if (items.empty()) {
    return Fail(request, respond,
                errors::ParamMissing(key_name == "id" ? "organization_domain_ids" : "names"));
  }
  if (items.size() > 10) {
    return Fail(
        request, respond,
        Error(ErrorCode::kInvalidArgument, "form_param_array_size_exceeded", "too many items",
              "At most 10 items at once.", key_name == "id" ? "organization_domain_ids" : "names"));
  }
  struct State {
    std::vector<std::string> items;
    size_t next = 0;
    boost::json::array data;
    boost::json::array errors;
    Step step;
    std::function<void()> run;
  };
  auto state = std::make_shared<State>();
  state->items = std::move(items);
  state->step = std::move(step);
  const std::string client_id = ctx.caller.client_id;
  const std::string origin(request.Header("origin"));
  const std::string request_id = request.request_id;
  // `run` holds the state weakly (no cycle); each step's callback holds it while it waits.
  std::weak_ptr<State> weak = state;
  state->run = [this, weak, client_id, origin, request_id, respond, key_name]() mutable {
    auto state = weak.lock();
    if (!state) return;
    if (state->next == state->items.size()) {
      boost::json::object result{{"data", std::move(state->data)},
                                 {"errors", std::move(state->errors)}};
      replies_.SendWithClient(client_id, origin, request_id, respond, std::move(result), {});
      return;
    }
    const std::string item = state->items[state->next++];
    state->step(item, [this, state, item, key_name, respond,
                       request_id](Result<service::DomainView> r) mutable {
      if (!r) {
        if (AboutTheCall(r.error())) {
          return respond.Send(ErrorResponse(FrontendError(r.error()), request_id));
        }
        state->errors.push_back(
            boost::json::object{{key_name, item}, {"code", r.error().clerk_code}});
      } else {
        state->data.push_back(json::DomainJson(*r, replies_.urls(), {.show_txt_record = true}));
      }
      state->run();
    });
  };
  state->run();
}

void FrontendDomainsHandler::CreateBulk(const service::RequestContext& ctx,
                                        const http::Request& request, http::Responder respond) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  std::vector<std::string> names = FormValues(*body, "names");
  // Duplicate names in one request are skipped (the contract).
  std::vector<std::string> unique;
  for (auto& n : names) {
    if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(std::move(n));
  }
  auto mode = FormText(*body, "enrollment_mode");
  RunBulk(ctx, request, std::move(respond), std::move(unique), "name",
          [this, ctx, org = OrgOf(request), mode](const std::string& name,
                                                  service::Callback<service::DomainView> done) {
            service::CreateDomainCommand cmd;
            cmd.name = name;
            cmd.enrollment_mode = mode;
            domains_.Create(ctx, org, std::move(cmd), std::move(done));
          });
}

void FrontendDomainsHandler::OwnershipBulk(const service::RequestContext& ctx,
                                           const http::Request& request, http::Responder respond,
                                           OwnershipStep step) {
  auto body = ParseFrontendBody(request);
  if (!body) return Fail(request, respond, body.error());
  RunBulk(ctx, request, std::move(respond), FormValues(*body, "organization_domain_ids"), "id",
          [this, ctx, org = OrgOf(request), step](const std::string& id,
                                                  service::Callback<service::DomainView> done) {
            (domains_.*step)(ctx, org, id, std::move(done));
          });
}

void FrontendDomainsHandler::PrepareOwnershipBulk(const service::RequestContext& ctx,
                                                  const http::Request& request,
                                                  http::Responder respond) {
  OwnershipBulk(ctx, request, std::move(respond), &service::DomainService::PrepareOwnership);
}

void FrontendDomainsHandler::AttemptOwnershipBulk(const service::RequestContext& ctx,
                                                  const http::Request& request,
                                                  http::Responder respond) {
  OwnershipBulk(ctx, request, std::move(respond), &service::DomainService::AttemptOwnership);
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
                                           const http::Request& request, http::Responder respond) {
  domains_.AcceptRequest(ctx, OrgOf(request), std::string(request.PathParam("request_id")),
                         replies_.Change<service::RequestView>(
                             ctx, request, std::move(respond),
                             [&urls = replies_.urls()](const service::RequestView& v) {
                               return json::MembershipRequestJson(v, urls);
                             }));
}

void FrontendDomainsHandler::RejectRequest(const service::RequestContext& ctx,
                                           const http::Request& request, http::Responder respond) {
  domains_.RejectRequest(ctx, OrgOf(request), std::string(request.PathParam("request_id")),
                         replies_.Change<service::RequestView>(
                             ctx, request, std::move(respond),
                             [&urls = replies_.urls()](const service::RequestView& v) {
                               return json::MembershipRequestJson(v, urls);
                             }));
}

void FrontendDomainsHandler::MySuggestions(const service::RequestContext& ctx,
                                           const http::Request& request, http::Responder respond) {
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
