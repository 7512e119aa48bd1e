#include "jobs/dns_txt_resolver.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace orgd::jobs {
namespace {

using std::chrono::milliseconds;

// A tiny authoritative DNS responder on a loopback UDP port, answering from a fixed table with
// DNS messages built byte by byte (RFC 1035 §4.1):
//   _orgd-verification.acme.test  TXT "orgd-domain-verification=abc"
//   multi.acme.test               TXT "part1" "part2" (one record) and TXT "second"
//   empty.acme.test               NOERROR, no answers (NODATA)
//   servfail.acme.test            SERVFAIL
//   silent.acme.test              never answered
//   anything else                 NXDOMAIN
class TestDnsServer {
 public:
  explicit TestDnsServer(int family = AF_INET) {
    fd_ = socket(family, SOCK_DGRAM, 0);
    if (fd_ < 0) return;
    if (family == AF_INET) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t size = sizeof(address);
      if (bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
          getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        Close();
        return;
      }
      address_ = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    } else {
      sockaddr_in6 address{};
      address.sin6_family = AF_INET6;
      address.sin6_addr = in6addr_loopback;
      socklen_t size = sizeof(address);
      if (bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
          getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        Close();
        return;
      }
      address_ = "[::1]:" + std::to_string(ntohs(address.sin6_port));
    }
    thread_ = std::thread([this] { Serve(); });
  }
  ~TestDnsServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    Close();
  }

  bool ok() const { return fd_ >= 0; }
  const std::string& address() const { return address_; }
  int silent_queries() const { return silent_; }

 private:
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      unsigned char query[512];
      sockaddr_storage from{};
      socklen_t from_size = sizeof(from);
      const ssize_t n =
          recvfrom(fd_, query, sizeof(query), 0, reinterpret_cast<sockaddr*>(&from), &from_size);
      if (n <= 0) continue;
      const std::vector<unsigned char> reply = Answer(query, static_cast<size_t>(n));
      if (reply.empty()) continue;
      sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), from_size);
    }
  }

  static void Put16(std::vector<unsigned char>& out, unsigned value) {
    out.push_back(static_cast<unsigned char>(value >> 8));
    out.push_back(static_cast<unsigned char>(value & 0xff));
  }

  // One TXT resource record naming the question (a compression pointer to offset 12).
  static void PutTxt(std::vector<unsigned char>& out, const std::vector<std::string>& strings) {
    Put16(out, 0xc00c);  // NAME: pointer to the question's name
    Put16(out, 16);      // TYPE TXT
    Put16(out, 1);       // CLASS IN
    Put16(out, 0);       // TTL (32 bits)
    Put16(out, 60);
    size_t rdlength = 0;
    for (const auto& s : strings) rdlength += 1 + s.size();
    Put16(out, static_cast<unsigned>(rdlength));
    for (const auto& s : strings) {
      out.push_back(static_cast<unsigned char>(s.size()));
      out.insert(out.end(), s.begin(), s.end());
    }
  }

  std::vector<unsigned char> Answer(const unsigned char* query, size_t size) {
    if (size < 12) return {};
    // The question's name, as dotted lower-case text, and where the question ends.
    std::string name;
    size_t pos = 12;
    while (pos < size && query[pos] != 0) {
      const size_t len = query[pos];
      if (len > 63 || pos + 1 + len > size) return {};
      if (!name.empty()) name += '.';
      for (size_t i = 0; i < len; ++i) {
        name += static_cast<char>(std::tolower(query[pos + 1 + i]));
      }
      pos += 1 + len;
    }
    pos += 1 + 4;  // the root label, QTYPE, QCLASS
    if (pos > size) return {};
    const unsigned qtype = (query[pos - 4] << 8) | query[pos - 3];

    if (name == "silent.acme.test") {
      ++silent_;
      return {};
    }
    unsigned rcode = 0;
    std::vector<std::vector<std::string>> records;
    if (name == "_orgd-verification.acme.test") {
      records = {{"orgd-domain-verification=abc"}};
    } else if (name == "multi.acme.test") {
      records = {{"part1", "part2"}, {"second"}};
    } else if (name == "empty.acme.test") {
    } else if (name == "servfail.acme.test") {
      rcode = 2;
    } else {
      rcode = 3;
    }
    if (qtype != 16) records.clear();

    std::vector<unsigned char> out;
    out.push_back(query[0]);  // ID
    out.push_back(query[1]);
    out.push_back(static_cast<unsigned char>(0x84 | (query[2] & 0x01)));  // QR, AA, RD copied
    out.push_back(static_cast<unsigned char>(0x80 | rcode));              // RA, RCODE
    Put16(out, 1);                                                        // QDCOUNT
    Put16(out, static_cast<unsigned>(records.size()));                    // ANCOUNT
    Put16(out, 0);                                                        // NSCOUNT
    Put16(out, 0);                                                        // ARCOUNT
    out.insert(out.end(), query + 12, query + pos);                       // the question
    for (const auto& record : records) PutTxt(out, record);
    return out;
  }

  int fd_ = -1;
  std::string address_;
  std::atomic<bool> stop_{false};
  std::atomic<int> silent_{0};
  std::thread thread_;
};

DnsOptions At(const TestDnsServer& server) {
  DnsOptions options;
  options.server = server.address();
  options.timeout = milliseconds(1000);
  options.attempts = 1;
  return options;
}

TEST(DnsTxtResolverTest, ReturnsTheTxtRecord) {
  TestDnsServer server;
  ASSERT_TRUE(server.ok());
  auto txt = ResolveTxt("_orgd-verification.acme.test", At(server));
  ASSERT_TRUE(txt) << txt.error().detail;
  EXPECT_EQ(*txt, std::vector<std::string>{"orgd-domain-verification=abc"});
}

TEST(DnsTxtResolverTest, NamesAreCaseInsensitiveAndMayEndWithADot) {
  TestDnsServer server;
  ASSERT_TRUE(server.ok());
  auto txt = ResolveTxt("_ORGD-Verification.Acme.Test.", At(server));
  ASSERT_TRUE(txt) << txt.error().detail;
  EXPECT_EQ(*txt, std::vector<std::string>{"orgd-domain-verification=abc"});
}

TEST(DnsTxtResolverTest, ConcatenatesTheStringsOfOneRecordAndKeepsRecordsApart) {
  TestDnsServer server;
  ASSERT_TRUE(server.ok());
  auto txt = ResolveTxt("multi.acme.test", At(server));
  ASSERT_TRUE(txt) << txt.error().detail;
  EXPECT_EQ(*txt, (std::vector<std::string>{"part1part2", "second"}));
}

TEST(DnsTxtResolverTest, NxdomainIsAnEmptyAnswer) {
  TestDnsServer server;
  ASSERT_TRUE(server.ok());
  auto txt = ResolveTxt("_orgd-verification.other.test", At(server));
  ASSERT_TRUE(txt) << txt.error().detail;
  EXPECT_TRUE(txt->empty());
}

TEST(DnsTxtResolverTest, NodataIsAnEmptyAnswer) {
  TestDnsServer server;
  ASSERT_TRUE(server.ok());
  auto txt = ResolveTxt("empty.acme.test", At(server));
  ASSERT_TRUE(txt) << txt.error().detail;
  EXPECT_TRUE(txt->empty());
}

TEST(DnsTxtResolverTest, ServfailIsUnavailable) {
  TestDnsServer server;
  ASSERT_TRUE(server.ok());
  auto txt = ResolveTxt("servfail.acme.test", At(server));
  ASSERT_FALSE(txt);
  EXPECT_EQ(txt.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(txt.error().detail.find("SERVFAIL"), std::string::npos) << txt.error().detail;
}

TEST(DnsTxtResolverTest, NoAnswerTimesOutAsUnavailableAfterEachAttempt) {
  TestDnsServer server;
  ASSERT_TRUE(server.ok());
  DnsOptions options = At(server);
  options.attempts = 2;
  const auto start = std::chrono::steady_clock::now();
  auto txt = ResolveTxt("silent.acme.test", options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(txt);
  EXPECT_EQ(txt.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(txt.error().detail.find("no answer"), std::string::npos) << txt.error().detail;
  EXPECT_GE(elapsed, milliseconds(1900));
  EXPECT_LT(elapsed, milliseconds(5000));
  EXPECT_EQ(server.silent_queries(), 2);
}

TEST(DnsTxtResolverTest, AClosedPortIsUnavailable) {
  std::string address;
  {
    TestDnsServer gone;  // bound, then closed: nothing listens on its port any more
    ASSERT_TRUE(gone.ok());
    address = gone.address();
  }
  DnsOptions options;
  options.server = address;
  options.timeout = milliseconds(1000);
  options.attempts = 1;
  auto txt = ResolveTxt("_orgd-verification.acme.test", options);
  ASSERT_FALSE(txt);
  EXPECT_EQ(txt.error().code, ErrorCode::kUnavailable);
}

TEST(DnsTxtResolverTest, AsksAnIpv6Server) {
  TestDnsServer server(AF_INET6);
  if (!server.ok()) GTEST_SKIP() << "no IPv6 loopback";
  auto txt = ResolveTxt("_orgd-verification.acme.test", At(server));
  ASSERT_TRUE(txt) << txt.error().detail;
  EXPECT_EQ(*txt, std::vector<std::string>{"orgd-domain-verification=abc"});
}

TEST(DnsTxtResolverTest, CallsFromManyThreadsDoNotInterfere) {
  TestDnsServer server;
  ASSERT_TRUE(server.ok());
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const bool multi = (t + i) % 2 == 0;
        auto txt =
            ResolveTxt(multi ? "multi.acme.test" : "_orgd-verification.acme.test", At(server));
        if (txt && txt->size() == (multi ? 2u : 1u)) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good, 8 * 20);
}

TEST(DnsTxtResolverTest, RefusesInvalidNamesWithoutAsking) {
  const std::string label63(63, 'a');
  const std::string too_long = label63 + "." + label63 + "." + label63 + "." + label63 + ".com";
  for (const std::string& name :
       {std::string(), std::string("."), std::string("acme..test"), std::string("acme test"),
        std::string("-acme.test"), std::string("acme-.test"), std::string("acme.test/x"),
        std::string("acme.test\n"), label63 + "a.test", too_long}) {
    DnsOptions options;
    options.server = "127.0.0.1:9";  // never reached
    auto txt = ResolveTxt(name, options);
    ASSERT_FALSE(txt) << name;
    EXPECT_EQ(txt.error().code, ErrorCode::kInvalidArgument) << name;
    EXPECT_EQ(txt.error().param_name, "name") << name;
  }
}

TEST(DnsTxtResolverTest, ValidatesServerAddresses) {
  EXPECT_TRUE(IsValidDnsServer(""));
  EXPECT_TRUE(IsValidDnsServer("127.0.0.1:5353"));
  EXPECT_TRUE(IsValidDnsServer("10.0.0.1"));
  EXPECT_TRUE(IsValidDnsServer("[::1]:5353"));
  EXPECT_TRUE(IsValidDnsServer("[2001:db8::1]"));
  EXPECT_FALSE(IsValidDnsServer("localhost:53"));
  EXPECT_FALSE(IsValidDnsServer("127.0.0.1:"));
  EXPECT_FALSE(IsValidDnsServer("127.0.0.1:0"));
  EXPECT_FALSE(IsValidDnsServer("127.0.0.1:65536"));
  EXPECT_FALSE(IsValidDnsServer("::1:53"));
  EXPECT_FALSE(IsValidDnsServer("[::1"));
  EXPECT_FALSE(IsValidDnsServer("[127.0.0.1]:53"));

  DnsOptions options;
  options.server = "dns.example:53";
  auto txt = ResolveTxt("acme.test", options);
  ASSERT_FALSE(txt);
  EXPECT_EQ(txt.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace orgd::jobs
