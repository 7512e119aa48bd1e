// Turning service outcomes into HTTP responses. The service callback may run on a store thread;
// ReplyWith() moves the JSON building onto the connection's I/O thread (Responder::Build).
#pragma once

#include <spdlog/spdlog.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "api/error_response.h"
#include "common/json_finite.h"
#include "http/request.h"
#include "service/callback.h"

namespace orgd::api {

// Every successful reply's body is serialized here. A non-finite number (which Boost.JSON would
// write as the non-JSON token Infinity or NaN) is written as null and logged: the API refuses
// such numbers and the store reads them as null, so one reaching a reply is a bug, and the reply
// stays JSON rather than failing the read. Replies without the words Infinity or NaN pay one
// extra scan of the serialized text and no tree walk (SerializeNonFiniteAsNull).
inline http::Response JsonResponse(const boost::json::value& body, int status = 200) {
  http::Response response;
  response.status = status;
  int replaced = 0;
  response.body = SerializeNonFiniteAsNull(body, &replaced);
  if (replaced > 0) {
    spdlog::error("reply: {} non-finite number(s) written as null", replaced);
  }
  return response;
}

// A callback that answers `respond` with to_json(value) on success, or the error envelope.
// When to_json also takes a boost::json::storage_ptr, the response's JSON is built in an arena
// that starts on the stack and is dropped whole after serializing: one list page of members is
// a few hundred small strings and objects, and allocating and freeing each of them was a sixth
// of the page's instructions (callgrind).
template <class T, class ToJson>
service::Callback<T> ReplyWith(http::Responder respond, std::string request_id, ToJson to_json) {
  return [respond = std::move(respond), request_id = std::move(request_id),
          to_json = std::move(to_json)](Result<T> result) mutable {
    respond.Build([result = std::move(result), request_id, to_json]() -> http::Response {
      if (!result) return ErrorResponse(result.error(), request_id);
      if constexpr (std::is_invocable_v<const ToJson&, const T&, boost::json::storage_ptr>) {
        unsigned char first_block[8192];
        boost::json::monotonic_resource arena(first_block, sizeof first_block);
        return JsonResponse(to_json(*result, boost::json::storage_ptr(&arena)));
      } else {
        return JsonResponse(to_json(*result));
      }
    });
  };
}

// Answers `respond` with the error envelope for `error`.
inline void Fail(const http::Request& request, const http::Responder& respond, const Error& error) {
  respond.Send(ErrorResponse(error, request.request_id));
}

// PATCH …/metadata: a null field means "leave it", as an absent one does.
inline std::optional<boost::json::value> NonNull(std::optional<boost::json::value> v) {
  if (v && v->is_null()) return std::nullopt;
  return v;
}

}  // namespace orgd::api
