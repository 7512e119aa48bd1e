// Await: blocks until a callback-style call (service/callback.h) answers, for tests.
//
//   auto org = Await<Organization>([&](auto cb) { service.Get(id, cb); });
#pragma once

#include <future>
#include <memory>

#include "common/result.h"

namespace orgd::testing {

template <class T, class Call>
Result<T> Await(Call call) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  call([promise](Result<T> r) { promise->set_value(std::move(r)); });
  return future.get();
}

}  // namespace orgd::testing
