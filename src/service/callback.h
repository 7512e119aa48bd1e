// Callback<T>: how a service hands back its outcome. Services are asynchronous because the store
// is (writes complete on the writer thread after the commit); a callback runs exactly once, on
// whichever thread finished the work, and must not block.
#pragma once

#include <functional>

#include "common/result.h"

namespace orgd::service {

template <class T>
using Callback = std::function<void(Result<T>)>;

}  // namespace orgd::service
