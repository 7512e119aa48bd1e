#include "api/backend/domains_handler.h"

#include "api/body_reader.h"
#include "api/json/domain_json.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "domain/errors.h"

namespace orgd::api {
namespace {

// enrollment_mode, repeated or comma-separated, each value optionally signed ("-mode" excludes),
// each one of the four modes.
Result<SignedList> ParseModes(const QueryParams& params) {
  SignedList out;
  for (std::string_view value : params.GetAll("enrollment_mode")) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string_view::npos) comma = value.size();
      std::string_view one = value.substr(start, comma - start);
      start = comma + 1;
      if (one.empty()) continue;
      const bool exclude = one.front() == '-';
      if (exclude || one.front() == '+' || one.front() == ' ') one.remove_prefix(1);
      if (one != "manual_invitation" && one != "automatic_invitation" &&
          one != "automatic_suggestion" && one != "enterprise_sso") {
        return errors::ParamInvalid(
            "enrollment_mode",
            "enrollment_mode must be manual_invitation, "
            "automatic_invitation, automatic_suggestion or enterprise_sso.");
      }
      (exclude ? out.exclude : out.include).emplace_back(one);
    }
  }
  return out;
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
  auto verified = ParseOptionalFlag(*params, "verified");
  if (!verified) return Fail(request, respond, verified.error());
  auto modes = ParseModes(*params);
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
      auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
      while (!trimmed.empty() && blank(trimmed.back())) trimmed.pop_back();
      while (!trimmed.empty() && blank(trimmed.front())) trimmed.erase(trimmed.begin());
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
                    }),
                /*instance_wide=*/instance);
}

void DomainsHandler::List(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  RunList(ctx, request, std::move(respond), /*instance=*/false);
}

void DomainsHandler::ListInstance(const service::RequestContext& ctx, const http::Request& request,
                                  http::Responder respond) {
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
  service_.VerifyOwnership(ctx, std::string(request.PathParam("organization_id")),
                           std::string(request.PathParam("domain_id")),
                           ReplyWith<service::DomainView>(std::move(respond), request.request_id,
                                                          [this](const service::DomainView& v) {
                                                            return json::DomainJson(v, urls_);
                                                          }));
}

}  // namespace orgd::api
