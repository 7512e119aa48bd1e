// Metadata columns (and instance_settings.value) hold compact JSON text. These read it back,
// write it, and repair what older orgd versions wrote.
//
// Before issue 12, a metadata number too large for a double (1e400) was stored as the non-JSON
// token Infinity (Boost.JSON's serialization of an infinite double), after which every read of
// the record failed. Now such numbers are refused at the API, refused again here on the way in,
// repaired at open (RepairStoredJson) and, should any still be met, read as null.
//
// Thread safety: ParseStoredJson and StoredJsonText are pure (but for logging); RepairStoredJson
// uses the connection it is given, which the caller owns for the duration.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

// Parses stored JSON `text` from `column` ("organizations.public_metadata") of row `row_id`.
// Never fails, so that nothing the store holds can make a read fail: bare Infinity, -Infinity
// and NaN tokens outside strings, and numbers beyond a double's range, are read as null; text
// that is not JSON even then is read as null as a whole. Either logs a warning naming the
// column and row (never the value).
boost::json::value ParseStoredJson(std::string_view text, std::string_view column,
                                   std::string_view row_id);

// The text to store for `value` in `column`. kInternal (nothing is stored) when `value` holds a
// non-finite number: the API refuses those, so one reaching the store is a bug, and Boost.JSON
// would write it as a token no JSON parser reads.
Result<std::string> StoredJsonText(const boost::json::value& value, std::string_view column);

// Rewrites, as valid JSON, every stored JSON value that holds a non-finite token (every
// metadata column of organizations, users and organization_memberships, and
// instance_settings.value), with the same repair ParseStoredJson applies in memory; logs each
// repaired row's id. Rows are found by a LIKE scan for "Infinity" and "NaN" (one pass over each
// table), then parsed; a row is updated only if its text has not changed meanwhile, so nodes
// that start together do not undo each other's writes. Returns how many values were rewritten.
// Errors are the connection's.
Result<int> RepairStoredJson(Connection& conn);

}  // namespace orgd::store::sql
