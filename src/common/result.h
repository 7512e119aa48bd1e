// Result<T>: a T or an orgd::Error, returned by every fallible function in domain, service and
// store code (the house style chooses values over exceptions; see docs/architecture.md).
//
//   Result<Organization> r = store.Get(id);
//   if (!r) return r.error();
//   Use(*r);
#pragma once

#include <boost/system/result.hpp>

#include "common/error.h"

namespace orgd {

template <class T>
using Result = boost::system::result<T, Error>;

// A successful Result<void>: `return Ok();` from a function that returns Result<void>.
inline boost::system::result<void, Error> Ok() { return {}; }

}  // namespace orgd
