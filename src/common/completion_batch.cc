#include "common/completion_batch.h"

#include <utility>

namespace orgd {
namespace {

thread_local CompletionBatch* open_batch = nullptr;

}  // namespace

CompletionBatch::CompletionBatch() : outermost_(open_batch == nullptr) {
  if (outermost_) open_batch = this;
}

CompletionBatch::~CompletionBatch() {
  if (!outermost_) return;
  open_batch = nullptr;
  for (auto& p : pending_) {
    if (p.tasks.size() == 1) {
      p.post(std::move(p.tasks.front()));
      continue;
    }
    p.post([tasks = std::move(p.tasks)]() mutable {
      for (auto& task : tasks) task();
    });
  }
}

bool CompletionBatch::IsOpen() { return open_batch != nullptr; }

bool CompletionBatch::Defer(const void* destination, const Poster& post, Task&& task) {
  CompletionBatch* batch = open_batch;
  if (batch == nullptr) return false;
  for (auto& p : batch->pending_) {
    if (p.destination == destination) {
      p.tasks.push_back(std::move(task));
      return true;
    }
  }
  batch->pending_.push_back({destination, post, {}});
  batch->pending_.back().tasks.push_back(std::move(task));
  return true;
}

}  // namespace orgd
