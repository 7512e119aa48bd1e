#include "common/completion_batch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace orgd {
namespace {

// A destination that records each delivery (one post) and runs it at once.
struct Destination {
  int posts = 0;
  CompletionBatch::Poster Poster() {
    return [this](CompletionBatch::Task task) {
      ++posts;
      task();
    };
  }
};

TEST(CompletionBatchTest, WithoutABatchNothingIsHeldAndTheTaskIsLeftWhole) {
  Destination d;
  bool ran = false;
  CompletionBatch::Task task = [&] { ran = true; };
  EXPECT_FALSE(CompletionBatch::IsOpen());
  EXPECT_FALSE(CompletionBatch::Defer(&d, d.Poster(), std::move(task)));
  EXPECT_FALSE(ran);
  EXPECT_EQ(d.posts, 0);
  ASSERT_TRUE(task);  // the caller sends it itself
  task();
  EXPECT_TRUE(ran);
}

TEST(CompletionBatchTest, OneDeliveryPerDestinationInOrder) {
  Destination a, b;
  std::vector<std::string> log;
  {
    CompletionBatch batch;
    EXPECT_TRUE(CompletionBatch::IsOpen());
    for (int i = 0; i < 3; ++i) {
      EXPECT_TRUE(CompletionBatch::Defer(&a, a.Poster(), [&, i] { log.push_back("a" + std::to_string(i)); }));
    }
    EXPECT_TRUE(CompletionBatch::Defer(&b, b.Poster(), [&] { log.push_back("b"); }));
    EXPECT_TRUE(log.empty());  // held until the batch closes
  }
  EXPECT_EQ(a.posts, 1);
  EXPECT_EQ(b.posts, 1);
  EXPECT_EQ(log, (std::vector<std::string>{"a0", "a1", "a2", "b"}));
}

TEST(CompletionBatchTest, AnInnerBatchLeavesDeliveryToTheOuterOne) {
  Destination d;
  int ran = 0;
  {
    CompletionBatch outer;
    {
      CompletionBatch inner;
      CompletionBatch::Defer(&d, d.Poster(), [&] { ++ran; });
    }
    EXPECT_EQ(ran, 0);
    CompletionBatch::Defer(&d, d.Poster(), [&] { ++ran; });
  }
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(d.posts, 1);
  EXPECT_FALSE(CompletionBatch::Defer(&d, d.Poster(), [] {}));  // closed
}

}  // namespace
}  // namespace orgd
