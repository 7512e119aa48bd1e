// The JSON shapes of orgd's audit log extension of the Backend API (GET /v1/audit_logs; the
// contract is tests/compat/contract/orgd-extensions.yml).
#pragma once

#include <boost/json/object.hpp>

#include "service/audit_service.h"
#include "store/audit_store.h"

namespace orgd::api::json {

// `{object:"audit_log_entry", id, action, resource_type, resource_id, organization_id,
// actor: {type, id}, request_id, ip_address, user_agent, before, after, created_at}`; before and
// after are the objects as JSON (null when the object did not exist or no longer does).
boost::json::object AuditEntryJson(const store::AuditEntry& entry);
// `{data: [...], next_cursor}`; the cursor is a decimal string, null on the last page.
boost::json::object AuditPageJson(const service::AuditPage& page);

}  // namespace orgd::api::json
