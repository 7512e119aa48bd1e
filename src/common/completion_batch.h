// CompletionBatch: hand-offs from one thread to others, held while a batch is open on the sending
// thread and delivered when it closes, one delivery per destination.
//
// The SQLite writer completes a whole group commit at once (often 30 requests or more); handing
// each answer to its I/O thread separately woke that thread once per request (a futex or an
// epoll_ctl per request, in the one thread every write waits for). Inside a batch the answers
// bound for one I/O thread travel together.
//
// Thread safety: a batch belongs to the thread that opened it. Defer() from a thread with no open
// batch returns false and queues nothing.
#pragma once

#include <functional>
#include <vector>

namespace orgd {

class CompletionBatch {
 public:
  using Task = std::function<void()>;
  // Sends a task to a destination (e.g. posts it to an io_context).
  using Poster = std::function<void(Task)>;

  // Opens a batch on this thread. A batch opened inside another one adds nothing: the outer one
  // delivers.
  CompletionBatch();
  // Delivers what was deferred: for each destination, one task that runs its tasks in the order
  // they were deferred.
  ~CompletionBatch();
  CompletionBatch(const CompletionBatch&) = delete;
  CompletionBatch& operator=(const CompletionBatch&) = delete;

  // True when a batch is open on this thread.
  static bool IsOpen();

  // When a batch is open on this thread, takes `task` for `destination` (any stable pointer that
  // names it; `post` delivers to it) and returns true. Otherwise returns false and leaves `task`
  // untouched, for the caller to send itself.
  static bool Defer(const void* destination, const Poster& post, Task&& task);

 private:
  struct Pending {
    const void* destination;
    Poster post;
    std::vector<Task> tasks;
  };
  bool outermost_;
  std::vector<Pending> pending_;
};

}  // namespace orgd
