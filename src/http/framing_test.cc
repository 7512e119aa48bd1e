#include "http/framing.h"

#include <gtest/gtest.h>

namespace orgd::http {
namespace {

using Verdict = FramingCheck::Verdict;

Verdict Check(unsigned version, std::vector<HeaderField> headers) {
  return CheckFraming(version, headers).verdict;
}

TEST(FramingTest, PlainRequestsPass) {
  EXPECT_EQ(Check(11, {{"host", "t"}, {"content-length", "3"}}), Verdict::kOk);
  EXPECT_EQ(Check(11, {{"host", "t"}, {"transfer-encoding", "chunked"}}), Verdict::kOk);
  EXPECT_EQ(Check(11, {{"transfer-encoding", " Chunked "}}), Verdict::kOk);
  EXPECT_EQ(Check(10, {{"content-length", "3"}}), Verdict::kOk);
  // Headers that may repeat do.
  EXPECT_EQ(Check(11, {{"accept", "a"}, {"accept", "b"}, {"x-other", "1"}, {"x-other", "2"}}),
            Verdict::kOk);
}

// Issue 12, item 3: a coding orgd ignored let the body's bytes run as a second request.
TEST(FramingTest, CodingsOtherThanChunkedAreNotImplemented) {
  for (const char* te : {"xchunked", "gzip", "identity", "gzip, chunked", "chunked;x=1"}) {
    EXPECT_EQ(Check(11, {{"transfer-encoding", te}}), Verdict::kNotImplemented) << te;
  }
}

TEST(FramingTest, ChunkedNotLastOrTwiceIsABadRequest) {
  for (const char* te : {"chunked, identity", "chunked, chunked", "chunked, gzip", ", ,"}) {
    EXPECT_EQ(Check(11, {{"transfer-encoding", te}}), Verdict::kBadRequest) << te;
  }
}

TEST(FramingTest, TransferEncodingWithContentLengthOrOnHttp10IsABadRequest) {
  EXPECT_EQ(Check(11, {{"transfer-encoding", "chunked"}, {"content-length", "5"}}),
            Verdict::kBadRequest);
  EXPECT_EQ(Check(10, {{"transfer-encoding", "chunked"}}), Verdict::kBadRequest);
}

// Issue 12, item 8: a second Authorization after the valid one was accepted.
TEST(FramingTest, SingletonHeadersMayNotRepeat) {
  for (std::string_view name : kSingletonHeaders) {
    FramingCheck check = CheckFraming(11, {{std::string(name), "a"}, {std::string(name), "b"}});
    EXPECT_EQ(check.verdict, Verdict::kBadRequest) << name;
    EXPECT_NE(check.reason.find(name), std::string::npos) << check.reason;
  }
}

TEST(FramingTest, ReasonsQuoteNothingFromTheRequest) {
  FramingCheck check = CheckFraming(11, {{"transfer-encoding", "\xff\xfe-secret"}});
  EXPECT_EQ(check.verdict, Verdict::kNotImplemented);
  EXPECT_EQ(check.reason.find("secret"), std::string::npos);
}

TEST(FramingTest, BareLineFeeds) {
  EXPECT_FALSE(HasBareLineFeed(""));
  EXPECT_FALSE(HasBareLineFeed("5\r\nhello\r\n"));
  EXPECT_TRUE(HasBareLineFeed("b\n{\"bogus\":1}\n0\n\n"));
  EXPECT_TRUE(HasBareLineFeed("\n"));
  EXPECT_TRUE(HasBareLineFeed("0\r\nX-T: a\n\r\n"));
}

}  // namespace
}  // namespace orgd::http
