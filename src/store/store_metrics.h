// StoreMetrics: where a store records its transactions, when the server keeps metrics
// (common/metrics.h). Null members record nothing (tests and tools).
//
//   orgd_store_transaction_duration_seconds{store,kind}   kind="read": one read transaction;
//                                                         kind="write": SQLite one group commit
//                                                         (BEGIN to COMMIT), PostgreSQL one
//                                                         write transaction with its retries
//   orgd_store_queue_wait_seconds{store}                  from Read()/Write() to the work's start:
//                                                         PostgreSQL's wait for a pool connection,
//                                                         SQLite's for the writer (writes only;
//                                                         its reads run inline)
//   orgd_store_commit_batch_size{store}                   SQLite: writes sharing one commit
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/metrics.h"

namespace orgd::store {

struct StoreMetrics {
  metrics::Histogram* read_seconds = nullptr;
  metrics::Histogram* write_seconds = nullptr;
  metrics::Histogram* queue_wait_seconds = nullptr;
  metrics::Histogram* batch_size = nullptr;

  // The series of store `name` ("sqlite", "postgres") in `registry`.
  static StoreMetrics In(metrics::Registry& registry, std::string_view name) {
    const std::string store(name);
    constexpr std::string_view kTransaction = "Store transactions, from BEGIN to COMMIT.";
    StoreMetrics m;
    m.read_seconds =
        &registry.GetHistogram("orgd_store_transaction_duration_seconds", kTransaction,
                               metrics::kLatencyBuckets, {{"store", store}, {"kind", "read"}});
    m.write_seconds =
        &registry.GetHistogram("orgd_store_transaction_duration_seconds", kTransaction,
                               metrics::kLatencyBuckets, {{"store", store}, {"kind", "write"}});
    m.queue_wait_seconds = &registry.GetHistogram(
        "orgd_store_queue_wait_seconds",
        "Time work waited for a connection (PostgreSQL: the pool; SQLite: the writer).",
        metrics::kLatencyBuckets, {{"store", store}});
    if (name == "sqlite") {
      m.batch_size = &registry.GetHistogram("orgd_store_commit_batch_size",
                                            "Writes that shared one commit (group commit).",
                                            metrics::kSizeBuckets, {{"store", store}});
    }
    return m;
  }
};

// Seconds since `start`, for the histograms above.
inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace orgd::store
