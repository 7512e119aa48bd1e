#include "api/backend/domains_handler.h"

#include "api/body_reader.h"
#include "api/json/domain_json.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

// verified as a query value: "true" or "false" (the SDK sends strings), absent stays absent.
Result<std::optional<bool>> ParseVerified(const QueryParams& params) {
  auto v = params.Get("verified");
  if (!v || v->empty()) return std::optional<bool>();
  if (*v == "true") return std::optional<bool>(true);
  if (*v == "false") return std::optional<bool>(false);
  return errors::ParamInvalid("verified", "verified must be true or false.");
}

}  // namespace

void DomainsHandler::Create(const service::RequestContext& ctx, const http::Request& request,
                            http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::CreateDomainCommand cmd;
  cmd.name = in.String("name");
  cmd.enrollment_mode = in.String("enrollment_mode");
  cmd.verified = in.Bool("verified");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Create(ctx, std::string(request.PathParam("organization_id")), std::move(cmd),
                  ReplyWith<service::DomainView>(
                      std::move(respond), request.request_id,
                      [this](const service::DomainView& v) { return json::DomainJson(v, urls_); }));
}

void DomainsHandler::RunList(const service::RequestContext& ctx, const http::Request& request,
                             http::Responder respond, bool instance) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  auto page = ParsePagination(*params);
  if (!page) return Fail(request, respond, page.error());
  auto verified = ParseVerified(*params);
  if (!verified) return Fail(request, respond, verified.error());
  auto modes = ParseSignedList(*params, "enrollment_mode");
  if (!modes) return Fail(request, respond, modes.error());
  store::DomainListQuery query;
  query.limit = page->limit;
  query.offset = page->offset;
  query.verified = *verified;
  query.enrollment_modes = std::move(modes->include);
  query.exclude_enrollment_modes = std::move(modes->exclude);
  if (instance) {
    if (auto org = params->Get("organization_id"); org && !org->empty()) {
      query.organization_id = std::string(*org);
    }
    if (auto q = params->Get("query"); q) {
      std::string trimmed(*q);
      while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
      while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(trimmed.begin());
      if (trimmed.empty()) {
        return Fail(request, respond, errors::ParamInvalid("query", "query must not be empty."));
      }
      if (trimmed.starts_with("org_")) {
        query.organization_id = trimmed;
      } else {
        query.name_query = trimmed;
      }
    }
    auto names = ParseList(*params, "domains");
    if (!names) return Fail(request, respond, names.error());
    query.names = std::move(*names);
    auto order = ParseOrderBy(*params, {"name", "created_at"},
                              {"created_at", store::SortDirection::kDescending});
    if (!order) return Fail(request, respond, order.error());
    query.order_by_name = order->field == "name";
    query.direction = order->direction;
  } else {
    query.organization_id = std::string(request.PathParam("organization_id"));
  }
  // The instance-wide list (no organization_id) needs a trusted caller and shows each domain's
  // organization; with organization_id it is that organization's list.
  service_.List(ctx, std::move(query),
                ReplyWith<store::Page<service::DomainView>>(
                    std::move(respond), request.request_id,
                    [this](const store::Page<service::DomainView>& p) {
                      return json::DomainListJson(p, urls_);
                    }));
}

void DomainsHandler::List(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  RunList(ctx, request, std::move(respond), /*instance=*/false);
}

void DomainsHandler::ListInstance(const service::RequestContext& ctx,
                                  const http::Request& request, http::Responder respond) {
  RunList(ctx, request, std::move(respond), /*instance=*/true);
}

void DomainsHandler::Update(const service::RequestContext& ctx, const http::Request& request,
                            http::Responder respond) {
  auto body = ParseJsonObjectBody(request);
  if (!body) return Fail(request, respond, body.error());
  BodyReader in(*body);
  service::UpdateDomainCommand cmd;
  cmd.enrollment_mode = in.String("enrollment_mode");
  cmd.verified = in.Bool("verified");
  if (auto done = in.Finish(); !done) return Fail(request, respond, done.error());
  service_.Update(ctx, std::string(request.PathParam("organization_id")),
                  std::string(request.PathParam("domain_id")), std::move(cmd),
                  ReplyWith<service::DomainView>(
                      std::move(respond), request.request_id,
                      [this](const service::DomainView& v) { return json::DomainJson(v, urls_); }));
}

void DomainsHandler::Delete(const service::RequestContext& ctx, const http::Request& request,
                            http::Responder respond) {
  service_.Delete(ctx, std::string(request.PathParam("organization_id")),
                  std::string(request.PathParam("domain_id")),
                  ReplyWith<service::DomainView>(
                      std::move(respond), request.request_id, [](const service::DomainView& v) {
                        return json::DeletedObjectJson("organization_domain", v.domain.id);
                      }));
}

void DomainsHandler::VerifyOwnership(const service::RequestContext& ctx,
                                     const http::Request& request, http::Responder respond) {
  service_.VerifyOwnership(
      ctx, std::string(request.PathParam("organization_id")),
      std::string(request.PathParam("domain_id")),
      ReplyWith<service::DomainView>(
          std::move(respond), request.request_id,
          [this](const service::DomainView& v) { return json::DomainJson(v, urls_); }));
}

}  // namespace orgd::api
