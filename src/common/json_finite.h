// Non-finite numbers in JSON values. JSON has no Infinity or NaN, but Boost.JSON 1.81 parses a
// number too large for a double (1e400, -1e400, a 400-digit integer) as an infinite double, and
// serializes infinite and NaN doubles as the bare tokens Infinity, -Infinity and NaN, which no
// JSON parser (Boost.JSON's included) reads back. These helpers find such numbers, replace them,
// and repair text that already holds the tokens.
//
// Thread safety: pure functions.
#pragma once

#include <boost/json/fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace orgd {

// True when every number in `value`, at any depth, is finite.
bool AllNumbersFinite(const boost::json::value& value);

// Replaces every non-finite number in `value`, at any depth, with null. Returns how many.
int NullNonFiniteNumbers(boost::json::value& value);

// Serializes `value` as compact JSON, or nullopt when it holds a non-finite number (so that
// nothing writes the non-JSON tokens Infinity or NaN).
std::optional<std::string> SerializeFinite(const boost::json::value& value);

// Serializes `value` as compact JSON, with every non-finite number written as null.
// `*replaced` (when given) is set to how many were. Costs one extra scan of the output when no
// number was replaced.
std::string SerializeNonFiniteAsNull(const boost::json::value& value, int* replaced = nullptr);

// `text` with each bare Infinity, -Infinity or NaN token outside strings replaced by null, or
// nullopt when it holds no such token. Tokens inside strings are left alone; nothing else is
// checked (the result may still not be JSON).
std::optional<std::string> NullNonFiniteTokens(std::string_view text);

}  // namespace orgd
