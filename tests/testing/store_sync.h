// Blocking wrappers over the asynchronous Database API, for tests.
#pragma once

#include <future>

#include "store/database.h"

namespace orgd::testing {

template <class T, class Work>
Result<T> ReadSync(store::Database& db, Work work) {
  return store::ReadBlocking<T>(db, std::move(work));
}

template <class T, class Work>
Result<T> WriteSync(store::Database& db, Work work) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  store::WriteAsync<T>(db, std::move(work),
                       [promise](Result<T> r) { promise->set_value(std::move(r)); });
  return future.get();
}

}  // namespace orgd::testing
