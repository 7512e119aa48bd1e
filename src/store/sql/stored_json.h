// Metadata columns hold compact JSON text; this reads one back.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "common/result.h"
#include "domain/errors.h"

namespace orgd::store::sql {

inline Result<boost::json::value> ParseStoredJson(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return errors::Internal("stored metadata is not JSON: " + ec.message());
  return v;
}

}  // namespace orgd::store::sql
