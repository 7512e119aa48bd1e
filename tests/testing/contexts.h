// Request contexts for tests that call services directly: the secret-key holder (what the
// Backend API builds), and a signed-in user (what the Frontend API will build).
#pragma once

#include <string>

#include "service/request_context.h"

namespace orgd::testing {

inline const service::RequestContext& SecretKeyContext() {
  static const service::RequestContext ctx = [] {
    service::RequestContext c;
    c.request_id = "req_test";
    c.api = service::Api::kBackend;
    c.api_version = "2026-05-12";
    c.caller = service::Caller::SecretKey("key_test");
    c.remote_ip = "127.0.0.1";
    c.user_agent = "orgd-tests";
    return c;
  }();
  return ctx;
}

inline service::RequestContext SessionContext(std::string user_id) {
  service::RequestContext c;
  c.request_id = "req_test_session";
  c.api = service::Api::kFrontend;
  c.caller = service::Caller::Session(std::move(user_id), "sess_test");
  return c;
}

}  // namespace orgd::testing
