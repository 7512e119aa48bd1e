// Error: the failure value that domain, store and service code return instead of throwing.
//
// An Error carries what the client may see (Clerk's string code, a short and a long message, the
// offending parameter) apart from what only the log may see (`detail`), as userver separates an
// exception's external body from its internal message. The HTTP status is derived from `code` in
// exactly one place (api/error_response.cc).
//
// Thread safety: a value type; distinct objects may be used from distinct threads.
#pragma once

#include <boost/assert/source_location.hpp>
#include <string>
#include <utility>

namespace orgd {

// Protocol-agnostic classes of failure. Each maps to one HTTP status in api/error_response.cc.
enum class ErrorCode {
  kInvalidArgument,       // a parameter is missing, malformed or out of range (422)
  kBadRequest,            // the request as a whole cannot be understood or is refused (400)
  kUnauthenticated,       // missing or wrong credentials (401)
  kPermissionDenied,      // authenticated, but not allowed (403)
  kNotFound,              // the addressed resource does not exist (404)
  kAlreadyExists,         // a unique value (a slug, an email) is taken (422 form_identifier_exists)
  kFailedPrecondition,    // the request is valid but the state forbids it (400)
  kMethodNotAllowed,      // the path exists, the method does not (405)
  kConflict,              // a concurrent modification won (409)
  kPayloadTooLarge,       // the body is larger than the route accepts (413)
  kUnsupportedMediaType,  // the body's content type is not accepted (415)
  kResourceExhausted,     // a rate limit was hit (429)
  kInternal,              // a bug or an unexpected failure of a dependency (500)
  kUnavailable,           // a dependency (the database) cannot serve right now (503)
};

// Why a store operation failed, in the store's own terms (store/store_errors.h makes these).
// Stores set it with `constraint` and leave every Clerk field empty; services map it to the error
// the API answers (service/transaction.h), so no Clerk code is chosen in a store.
enum class StoreReason {
  kNone,             // not a store outcome, or a driver failure (kUnavailable, kInternal)
  kNotFound,         // constraint: the entity ("organization", "user", …)
  kUniqueViolation,  // constraint: the unique value that is taken (store::constraint::…)
  kLimitReached,     // constraint: the limit that is reached
  kInUse,            // constraint: what still refers to the row
  kForeignKey,       // a reference to a row that does not exist, or a row still referred to
  kLeaseLost,        // a job's lease passed to another node
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string clerk_code;    // e.g. "resource_not_found", "form_param_missing"
  std::string message;       // Clerk's short message, e.g. "not found"
  std::string long_message;  // a full sentence for people
  std::string param_name;    // meta.param_name when the error is about one parameter
  std::string detail;        // logged, never sent to the client
  StoreReason store_reason = StoreReason::kNone;
  std::string constraint;  // with store_reason: which entity, unique value or limit

  Error() = default;
  Error(ErrorCode c, std::string clerk, std::string msg, std::string long_msg,
        std::string param = {}, std::string det = {})
      : code(c),
        clerk_code(std::move(clerk)),
        message(std::move(msg)),
        long_message(std::move(long_msg)),
        param_name(std::move(param)),
        detail(std::move(det)) {}
};

// Boost.System's result<T, E> calls this (found by argument-dependent lookup) when value() is read
// from a result that holds an error. Reading the value of a failed result is a bug: it throws.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace orgd
