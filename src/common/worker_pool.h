// WorkerPool: a fixed set of threads draining a bounded queue of tasks.
//
// Thread safety: Post() may be called from any thread. The destructor stops accepting work, runs
// what is already queued, and joins the threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/executor.h"

namespace orgd {

class WorkerPool final : public Executor {
 public:
  // REQUIRES: threads >= 1, max_queue >= 1.
  WorkerPool(std::string name, int threads, size_t max_queue);
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool Post(std::function<void()> task) override;

 private:
  void Loop();

  const std::string name_;
  const size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

}  // namespace orgd
