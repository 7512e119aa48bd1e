// The HTTP server against raw sockets: what goes over the wire, byte for byte.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace orgd::http {
namespace {

using namespace std::chrono_literals;

// A blocking loopback client with a receive timeout, enough for tests.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  // Returns false when the peer stopped the transfer (a reset or a broken pipe).
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // Reads until `stop` appears in what was read, the peer closes, or `timeout` passes.
  std::string ReadUntil(std::string_view stop, std::chrono::milliseconds timeout = 3000ms) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.find(stop) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // True when the server closed the connection within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    ReadUntil("\x01never\x01", timeout);
    return closed_;
  }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
};

Response Text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options = {}) {
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    options.handle_signals = false;
    server_ = std::make_unique<Server>(options, router_, [](TransportFailure f, const Request&) {
      return Text(f == TransportFailure::kNotFound           ? 404
                  : f == TransportFailure::kMethodNotAllowed ? 405
                  : f == TransportFailure::kBodyTooLarge     ? 413
                  : f == TransportFailure::kHeadersTooLarge  ? 431
                  : f == TransportFailure::kBadRequest       ? 400
                                                             : 500,
                  "failure");
    });
    auto address = server_->Bind();
    ASSERT_TRUE(address);
    port_ = std::stoi(address->substr(address->rfind(':') + 1));
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(ServerTest, AnswersKeepAliveRequestsInOrder) {
  router_.Add(Method::kPost, "/echo/{word}", [](const Request& r, Responder respond) {
    respond.Send(Text(200, std::string(r.PathParam("word")) + ":" + r.body + ":" + r.query));
  });
  Start();
  RawClient c(port_);
  ASSERT_TRUE(c.connected());
  c.Send("POST /echo/one?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
  std::string first = c.ReadUntil("one:abc:x=1");
  EXPECT_NE(first.find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_NE(first.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(first.find("X-Request-Id: req_"), std::string::npos);
  c.Send("POST /echo/two HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
  EXPECT_NE(c.ReadUntil("two::").find("two::"), std::string::npos);
}

TEST_F(ServerTest, HandlersMayAnswerFromAnotherThread) {
  router_.Add(Method::kGet, "/later", [](const Request&, Responder respond) {
    std::thread([respond] {
      std::this_thread::sleep_for(20ms);
      respond.Build([] { return Text(201, "built"); });
    }).detach();
  });
  Start();
  RawClient c(port_);
  c.Send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string reply = c.ReadUntil("built");
  EXPECT_NE(reply.find("HTTP/1.1 201"), std::string::npos);
}

TEST_F(ServerTest, UnknownPathsAndWrongMethodsAreRendered) {
  router_.Add(Method::kGet, "/things", [](const Request&, Responder r) { r.Send(Text(200, "")); });
  Start();
  RawClient c(port_);
  c.Send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(c.ReadUntil("failure").find("HTTP/1.1 404"), std::string::npos);
  c.Send("DELETE /things HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string reply = c.ReadUntil("failure");
  EXPECT_NE(reply.find("HTTP/1.1 405"), std::string::npos);
  EXPECT_NE(reply.find("Allow: GET"), std::string::npos);
}

TEST_F(ServerTest, RefusesADeclaredOversizeBodyWithoutReadingIt) {
  std::atomic<bool> called{false};
  RouteOptions small;
  small.body_limit = 10;
  router_.Add(
      Method::kPost, "/small",
      [&](const Request&, Responder r) {
        called = true;
        r.Send(Text(200, ""));
      },
      small);
  Start();
  RawClient c(port_);
  c.Send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n0123456789");
  std::string reply = c.ReadUntil("failure");
  EXPECT_NE(reply.find("HTTP/1.1 413"), std::string::npos);
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(c.ClosedWithin(2000ms));
  EXPECT_FALSE(called);
}

// A client that sends its whole body before reading (most HTTP clients do) must get the 413,
// not a connection reset from unread bytes.
TEST_F(ServerTest, ARefusedBodyIsDrainedSoTheClientReadsThe413) {
  RouteOptions small;
  small.body_limit = 10;
  router_.Add(
      Method::kPost, "/small", [](const Request&, Responder r) { r.Send(Text(200, "")); }, small);
  Start();
  RawClient c(port_);
  const std::string body(8 * 1024 * 1024, 'x');  // far more than the socket buffers hold
  c.Send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n");
  EXPECT_TRUE(c.Send(body)) << "the server reset the connection instead of reading the body";
  std::string reply = c.ReadUntil("failure");
  EXPECT_NE(reply.find("HTTP/1.1 413"), std::string::npos) << reply;
}

TEST_F(ServerTest, RefusesAChunkedBodyOnceItPassesTheLimit) {
  RouteOptions small;
  small.body_limit = 10;
  small.on_body_too_large = [](const Request&, Responder r) { r.Send(Text(413, "custom")); };
  router_.Add(
      Method::kPost, "/small", [](const Request&, Responder r) { r.Send(Text(200, "")); }, small);
  Start();
  RawClient c(port_);
  c.Send(
      "POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "8\r\n01234567\r\n8\r\n01234567\r\n");
  std::string reply = c.ReadUntil("custom");
  EXPECT_NE(reply.find("HTTP/1.1 413"), std::string::npos);
  EXPECT_TRUE(c.ClosedWithin(2000ms));
}

TEST_F(ServerTest, RefusesOversizeHeaders) {
  router_.Add(Method::kGet, "/", [](const Request&, Responder r) { r.Send(Text(200, "")); });
  ServerOptions options;
  options.header_limit = 1024;
  Start(options);
  RawClient c(port_);
  c.Send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  EXPECT_NE(c.ReadUntil("failure").find("HTTP/1.1 431"), std::string::npos);
}

TEST_F(ServerTest, AnswersExpectContinueBeforeTheBody) {
  router_.Add(Method::kPut, "/upload", [](const Request& r, Responder respond) {
    respond.Send(Text(200, "got " + std::to_string(r.body.size())));
  });
  Start();
  RawClient c(port_);
  c.Send("PUT /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_NE(c.ReadUntil("\r\n\r\n").find("HTTP/1.1 100 Continue"), std::string::npos);
  c.Send("hello");
  EXPECT_NE(c.ReadUntil("got 5").find("got 5"), std::string::npos);
}

TEST_F(ServerTest, ClosesConnectionsThatStayIdle) {
  ServerOptions options;
  options.idle_timeout = 200ms;
  Start(options);
  RawClient c(port_);
  c.Send("GET / HTTP/1.1\r\n");  // a slow client that never finishes its headers
  EXPECT_TRUE(c.ClosedWithin(3000ms));
}

TEST_F(ServerTest, BadRequestsGet400) {
  Start();
  RawClient c(port_);
  c.Send("GARBAGE\r\n\r\n");
  EXPECT_NE(c.ReadUntil("failure").find(" 400 "), std::string::npos);
}

TEST_F(ServerTest, StopFinishesInFlightRequestsAndClosesIdleOnes) {
  std::promise<Responder> pending;
  router_.Add(Method::kGet, "/slow", [&](const Request&, Responder r) { pending.set_value(r); });
  Start();
  RawClient idle(port_), busy(port_);
  ASSERT_TRUE(idle.connected());
  busy.Send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  Responder responder = pending.get_future().get();
  server_->Stop();
  EXPECT_TRUE(idle.ClosedWithin(2000ms));
  responder.Send(Text(200, "finished"));
  std::string reply = busy.ReadUntil("finished");
  EXPECT_NE(reply.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
  thread_.join();  // Run() returns once everything is drained
}

TEST_F(ServerTest, HeadAnswersWithHeadersOnly) {
  router_.Add(Method::kGet, "/img",
              [](const Request&, Responder r) { r.Send(Text(200, "12345")); });
  Start();
  RawClient c(port_);
  c.Send("HEAD /img HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string reply = c.ReadUntil("\r\n\r\n");
  EXPECT_NE(reply.find("Content-Length: 5"), std::string::npos);
  c.Send("HEAD /img HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string second = c.ReadUntil("\r\n\r\n");
  EXPECT_EQ(second.find("12345"), std::string::npos);
  EXPECT_NE(second.find("HTTP/1.1 200"), std::string::npos);
}

}  // namespace
}  // namespace orgd::http
