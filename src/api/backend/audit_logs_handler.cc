#include "api/backend/audit_logs_handler.h"

#include "api/json/audit_json.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "domain/errors.h"

namespace orgd::api {

void AuditLogsHandler::List(const service::RequestContext& ctx, const http::Request& request,
                            http::Responder respond) {
  auto params = QueryParams::Parse(request.query);
  if (!params) return Fail(request, respond, params.error());
  store::AuditQuery query;
  // Exact-match filters; an empty value is no filter (the SDKs leave falsy values out).
  for (auto [param, field] :
       {std::pair{"organization_id", &query.organization_id}, std::pair{"actor", &query.actor_id},
        std::pair{"action", &query.action}, std::pair{"resource", &query.resource_id},
        std::pair{"resource_type", &query.resource_type}}) {
    if (auto v = params->Get(param); v && !v->empty()) *field = std::string(*v);
  }
  for (auto [param, field] : {std::pair{"created_at_before", &query.created_before},
                              std::pair{"created_at_after", &query.created_after}}) {
    auto ms = ParseMillis(*params, param);
    if (!ms) return Fail(request, respond, ms.error());
    *field = *ms;
  }
  auto limit = ParseCursorLimit(*params, query.limit);
  if (!limit) return Fail(request, respond, limit.error());
  query.limit = *limit;
  if (auto v = params->Get("cursor"); v && !v->empty()) {
    auto cursor = ParseCount(*v, "cursor");
    if (!cursor) {
      return Fail(
          request, respond,
          errors::ParamInvalid("cursor", "cursor must be a next_cursor of an earlier page."));
    }
    query.before_seq = *cursor;
  }
  service_.List(ctx, std::move(query),
                ReplyWith<service::AuditPage>(
                    std::move(respond), request.request_id,
                    [](const service::AuditPage& page) { return json::AuditPageJson(page); }));
}

}  // namespace orgd::api
