// Executor: somewhere to run work off the calling thread, injected so services never block an I/O
// thread on CPU-heavy work (image decoding) and tests can run work inline.
//
// Thread safety: implementations must accept Post() from any thread.
#pragma once

#include <functional>

namespace orgd {

class Executor {
 public:
  virtual ~Executor() = default;
  // Queues `task`. Returns false, without running it, when the executor's queue is full or the
  // executor is shutting down; the caller then answers "unavailable" instead of queueing forever.
  virtual bool Post(std::function<void()> task) = 0;
};

// Runs every task at once on the calling thread. For tests.
class InlineExecutor final : public Executor {
 public:
  bool Post(std::function<void()> task) override {
    task();
    return true;
  }
};

}  // namespace orgd
