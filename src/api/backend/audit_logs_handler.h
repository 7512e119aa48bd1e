// orgd's audit log extension of the Backend API: GET /audit_logs, who changed what, filtered and
// paged by cursor, as a thin adapter over AuditService. Routes are in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "http/request.h"
#include "service/audit_service.h"
#include "service/request_context.h"

namespace orgd::api {

class AuditLogsHandler {
 public:
  // REQUIRES: `service` outlives the handler.
  explicit AuditLogsHandler(service::AuditService& service) : service_(service) {}

  // GET /audit_logs?organization_id=&actor=&action=&resource=&resource_type=
  //   &created_at_before=&created_at_after=&limit=&cursor=
  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);

 private:
  service::AuditService& service_;
};

}  // namespace orgd::api
