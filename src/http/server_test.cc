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
#include <random>
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
  ~RawClient() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Says the client will send nothing more (a half close): a server waiting for more bytes
  // sees the end of the stream.
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }
  bool closed() const { return closed_; }
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
    server_ = std::make_unique<Server>(
        options, router_, [](TransportFailure f, const Request&, std::string_view) {
          return Text(f == TransportFailure::kNotFound             ? 404
                      : f == TransportFailure::kMethodNotAllowed   ? 405
                      : f == TransportFailure::kBodyTooLarge       ? 413
                      : f == TransportFailure::kHeadersTooLarge    ? 431
                      : f == TransportFailure::kBadRequest         ? 400
                      : f == TransportFailure::kNotImplemented     ? 501
                      : f == TransportFailure::kTooManyConnections ? 429
                      : f == TransportFailure::kOverloaded         ? 503
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
  metrics::Registry registry_;  // outlives the server, which records into it
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

// Found by tests/hostile: what arrived in one read was handed to the parser whole, so a head of
// 20 KB of small fields, a 40 KB trailer or a 20 KB chunk extension passed a 16 KiB header_limit.
TEST_F(ServerTest, HeaderLimitHoldsHoweverTheBytesArrive) {
  router_.Add(Method::kGet, "/", [](const Request&, Responder r) { r.Send(Text(200, "")); });
  Start();  // header_limit: the default 16 KiB
  std::string fields;
  for (int i = 0; i < 400; ++i) {
    fields += "X-H" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
  }
  const std::string chunked = "GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const std::string& request :
       {"GET / HTTP/1.1\r\nHost: t\r\n" + fields + "\r\n",
        chunked + "0\r\nX-T: " + std::string(40000, 't') + "\r\n\r\n",
        chunked + "2;" + std::string(20000, 'e') + "\r\n{}\r\n0\r\n\r\n"}) {
    RawClient c(port_);
    c.Send(request);  // in one write: the server reads it in as few reads as it can
    EXPECT_NE(c.ReadUntil("failure").find("HTTP/1.1 431"), std::string::npos)
        << request.substr(0, 60);
  }
}

// RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400; HTTP/1.0 needs none.
TEST_F(ServerTest, AnHttp11RequestNeedsAHost) {
  router_.Add(Method::kGet, "/", [](const Request&, Responder r) { r.Send(Text(200, "ok")); });
  Start();
  RawClient c(port_);
  c.Send("GET / HTTP/1.1\r\n\r\n");
  EXPECT_NE(c.ReadUntil("failure").find("HTTP/1.1 400"), std::string::npos);
  RawClient old(port_);
  old.Send("GET / HTTP/1.0\r\n\r\n");
  EXPECT_NE(old.ReadUntil("ok").find(" 200 "), std::string::npos);
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
  RawClient c(port_);  // connects and sends nothing
  EXPECT_TRUE(c.ClosedWithin(3000ms));
}

TEST_F(ServerTest, AHeadMustArriveWithinTheHeaderTimeoutHoweverSlowly) {
  ServerOptions options;
  options.header_timeout = 300ms;
  options.idle_timeout = 60s;  // the idle timeout is not what closes it
  Start(options);
  RawClient c(port_);
  // A slowloris client: a byte now and then, each well within any per-read timeout.
  const auto started = std::chrono::steady_clock::now();
  for (char ch : std::string("GET / HTTP/1.1\r\nHost: t\r\n")) {
    c.Send(std::string(1, ch));
    std::this_thread::sleep_for(20ms);
    if (std::chrono::steady_clock::now() - started > 2s) break;
  }
  EXPECT_TRUE(c.ClosedWithin(3000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
}

TEST_F(ServerTest, CapsConnectionsPerAddress) {
  router_.Add(Method::kGet, "/",
              [](const Request&, Responder respond) { respond.Send(Text(200, "ok")); });
  ServerOptions options;
  options.max_connections_per_ip = 2;
  Start(options);
  RawClient a(port_), b(port_);
  a.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(a.ReadUntil("ok").find("200"), std::string::npos);  // both are open and served
  b.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(b.ReadUntil("ok").find("200"), std::string::npos);
  RawClient third(port_);  // refused without reading: the answer comes unasked
  std::string reply = third.ReadUntil("failure");
  EXPECT_NE(reply.find("HTTP/1.1 429"), std::string::npos) << reply;
  EXPECT_TRUE(third.ClosedWithin(2000ms));
  a.Close();
  // The closed connection's place is free again.
  for (int attempt = 0; attempt < 50; ++attempt) {
    RawClient again(port_);
    again.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    if (again.ReadUntil("ok").find("200 OK") != std::string::npos) return;
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "a closed connection's place was never freed";
}

TEST_F(ServerTest, CapsConnectionsInTotalWith503) {
  ServerOptions options;
  options.max_connections = 1;
  options.max_connections_per_ip = 0;
  Start(options);
  RawClient held(port_);
  held.Send("GET");  // an open connection, mid-request
  std::this_thread::sleep_for(50ms);
  RawClient refused(port_);
  std::string reply = refused.ReadUntil("failure");
  EXPECT_NE(reply.find("HTTP/1.1 503"), std::string::npos) << reply;
  EXPECT_TRUE(refused.ClosedWithin(2000ms));
}

TEST_F(ServerTest, ClosesAConnectionAfterItsLastKeepAliveRequest) {
  router_.Add(Method::kGet, "/",
              [](const Request&, Responder respond) { respond.Send(Text(200, "ok")); });
  ServerOptions options;
  options.keepalive_requests = 3;
  Start(options);
  RawClient c(port_);
  for (int i = 1; i <= 3; ++i) {
    c.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    std::string reply = c.ReadUntil("ok");
    EXPECT_EQ(reply.find("Connection: close") != std::string::npos, i == 3) << i << reply;
  }
  EXPECT_TRUE(c.ClosedWithin(2000ms));
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

TEST(ServerListenersTest, EachListenerServesOnlyItsOwnRouter) {
  Router backend, frontend;
  backend.Add(Method::kGet, "/v1/organizations",
              [](const Request&, Responder r) { r.Send(Text(200, "backend")); });
  frontend.Add(Method::kGet, "/v1/client",
               [](const Request&, Responder r) { r.Send(Text(200, "frontend")); });
  ServerOptions options;
  options.threads = 2;
  options.handle_signals = false;
  Server server(
      options,
      {Listener{"backend", "127.0.0.1:0", &backend},
       Listener{"frontend", "127.0.0.1:0", &frontend}},
      [](TransportFailure, const Request&, std::string_view) { return Text(404, "failure"); });
  auto addresses = server.BindAll();
  ASSERT_TRUE(addresses);
  ASSERT_EQ(addresses->size(), 2u);
  std::thread run([&] { server.Run(); });
  auto port = [](const std::string& a) { return std::stoi(a.substr(a.rfind(':') + 1)); };
  auto get = [](int p, std::string_view path, std::string_view stop) {
    RawClient c(p);
    c.Send("GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n\r\n");
    return c.ReadUntil(stop);
  };
  const int b = port((*addresses)[0]), f = port((*addresses)[1]);
  EXPECT_NE(get(b, "/v1/organizations", "backend").find("200 OK"), std::string::npos);
  EXPECT_NE(get(b, "/v1/client", "failure").find(" 404 "), std::string::npos);
  EXPECT_NE(get(f, "/v1/client", "frontend").find("200 OK"), std::string::npos);
  EXPECT_NE(get(f, "/v1/organizations", "failure").find(" 404 "), std::string::npos);
  server.Stop();
  run.join();
}

// With a registry, every answer is counted by listener, route pattern and status, the route's
// 404 as much as the router's; the counts are there once the answer is read.
TEST_F(ServerTest, CountsRequestsInTheMetricsRegistry) {
  router_.Add(Method::kGet, "/items/{id}", [](const Request& r, Responder respond) {
    respond.Send(Text(r.PathParam("id") == "missing" ? 404 : 200, "item"));
  });
  ServerOptions options;
  options.metrics = &registry_;
  Start(options);
  RawClient c(port_);
  c.Send("GET /items/a HTTP/1.1\r\nHost: t\r\n\r\n");
  c.ReadUntil("item");
  c.Send("GET /items/missing HTTP/1.1\r\nHost: t\r\n\r\n");
  c.ReadUntil("item");
  c.Send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n");
  c.ReadUntil("failure");
  // The count follows the write, and the request leaves the in-flight gauge after that: give the
  // I/O thread the moment after it.
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text = registry_.Render();
    if (text.find("route=\"unmatched\",code=\"404\"} 1") != std::string::npos &&
        text.find("\norgd_http_requests_in_flight{api=\"http\"} 0\n") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_NE(text.find("orgd_http_requests_total{api=\"http\",method=\"GET\",route=\"/items/"
                      "{id}\",code=\"200\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"/items/{id}\",code=\"404\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("orgd_http_requests_total{api=\"http\",method=\"GET\",route=\"unmatched\","
                      "code=\"404\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\norgd_http_connections 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\norgd_http_requests_in_flight{api=\"http\"} 0\n"), std::string::npos)
      << text;
}

// Issue 12 (hostile input). Each of these failed on the code before it: item 1 ended the process.

// A handler that counts its calls and echoes the body, for the hostile-input tests.
struct Echo {
  std::atomic<int> calls{0};
  Handler handler() {
    return [this](const Request& r, Responder respond) {
      ++calls;
      respond.Send(Text(200, "echo:" + r.body));
    };
  }
};

TEST_F(ServerTest, AHugeTrailerFieldIs431AndTheServerKeepsServing) {
  Echo echo;
  router_.Add(Method::kGet, "/healthz", echo.handler());
  router_.Add(Method::kPost, "/healthz", echo.handler());
  Start();
  for (const std::string& trailer :
       {"X-T: " + std::string(65534, 't'), std::string(65534, 'N') + ": v"}) {
    RawClient c(port_);
    c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailer +
           "\r\n\r\n");
    std::string reply = c.ReadUntil("failure");
    EXPECT_NE(reply.find("HTTP/1.1 431"), std::string::npos) << reply.substr(0, 80);
    EXPECT_TRUE(c.ClosedWithin(2000ms));
  }
  RawClient after(port_);
  after.Send("POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_NE(after.ReadUntil("echo:ok").find("HTTP/1.1 200"), std::string::npos);
  EXPECT_EQ(echo.calls, 1);
}

TEST_F(ServerTest, TrailersCountAgainstTheHeaderLimit) {
  Echo echo;
  router_.Add(Method::kPost, "/e", echo.handler());
  Start();
  {  // small trailers are read and dropped
    RawClient c(port_);
    c.Send(
        "POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        "2\r\nhi\r\n0\r\nX-Checksum: 1\r\n\r\n");
    EXPECT_NE(c.ReadUntil("echo:hi").find("HTTP/1.1 200"), std::string::npos);
  }
  // Many small trailer fields, 36 MB in all, were buffered whole before the answer.
  RawClient c(port_);
  c.Send("POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n");
  std::string fields;
  for (int i = 0; i < 2000; ++i)
    fields += "X-F" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
  c.Send(fields);  // ~100 KB: far past the 16 KiB limit, within what the socket buffers take
  std::string reply = c.ReadUntil("failure");
  EXPECT_NE(reply.find("HTTP/1.1 431"), std::string::npos) << reply.substr(0, 80);
  EXPECT_EQ(echo.calls, 1);
}

TEST_F(ServerTest, ChunkSizeLinesCountAgainstTheHeaderLimit) {
  Echo echo;
  router_.Add(Method::kPost, "/e", echo.handler());
  Start();
  RawClient c(port_);
  c.Send("POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=" +
         std::string(40000, 'x'));
  EXPECT_NE(c.ReadUntil("failure").find("HTTP/1.1 431"), std::string::npos);
  EXPECT_EQ(echo.calls, 0);
}

TEST_F(ServerTest, UnknownTransferCodingsAre501AndTheBodyNeverRunsAsARequest) {
  Echo echo;
  router_.Add(Method::kPost, "/e", echo.handler());
  router_.Add(Method::kDelete, "/smuggled", echo.handler());
  Start();
  const std::string smuggled = "DELETE /smuggled HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n";
  for (const char* te : {"xchunked", "gzip", "identity", "gzip, chunked"}) {
    RawClient c(port_);
    c.Send(std::string("POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: ") + te + "\r\n\r\n" +
           smuggled);
    std::string reply = c.ReadUntil("failure");
    EXPECT_NE(reply.find("HTTP/1.1 501"), std::string::npos) << te << ": " << reply.substr(0, 80);
    EXPECT_TRUE(c.ClosedWithin(2000ms)) << te;
    EXPECT_EQ(reply.find("HTTP/1.1", 5), std::string::npos) << "a second answer: " << reply;
  }
  for (const std::string& bad :
       {std::string("POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n"),
        std::string("POST /e HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"),
        std::string("POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                    "Content-Length: 5\r\n\r\n")}) {
    RawClient c(port_);
    c.Send(bad + "0\r\n\r\n" + smuggled);
    std::string reply = c.ReadUntil("failure");
    EXPECT_NE(reply.find(" 400 Bad Request\r\n"), std::string::npos) << bad << reply.substr(0, 80);
    EXPECT_TRUE(c.ClosedWithin(2000ms));
  }
  EXPECT_EQ(echo.calls, 0);
}

TEST_F(ServerTest, BareLineFeedChunkFramingIs400AtOnce) {
  Echo echo;
  router_.Add(Method::kPost, "/e", echo.handler());
  Start();  // the default 60 s body timeout: an answer within 3 s is not the timeout
  RawClient c(port_);
  c.Send(
      "POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nb\n{\"bogus\":1}\n0\n\n");
  std::string reply = c.ReadUntil("failure", 3000ms);
  EXPECT_NE(reply.find("HTTP/1.1 400"), std::string::npos) << reply;
  RawClient header(port_);
  header.Send("GET /e HTTP/1.1\nHost: t\n\n");
  EXPECT_NE(header.ReadUntil("failure", 3000ms).find("HTTP/1.1 400"), std::string::npos);
  EXPECT_EQ(echo.calls, 0);
}

TEST_F(ServerTest, RepeatedSingletonHeadersAre400) {
  Echo echo;
  router_.Add(Method::kGet, "/e", echo.handler());
  Start();
  for (const char* twice : {"Authorization: Bearer good\r\nAuthorization: Bearer wrong\r\n",
                            "Content-Type: application/json\r\nContent-Type: text/plain\r\n",
                            "Clerk-API-Version: 2021-02-05\r\nclerk-api-version: 2026-05-12\r\n",
                            "Content-Length: 0\r\nContent-Length: 0\r\n"}) {
    RawClient c(port_);
    c.Send(std::string("GET /e HTTP/1.1\r\nHost: t\r\n") + twice + "\r\n");
    EXPECT_NE(c.ReadUntil("failure").find("HTTP/1.1 400"), std::string::npos) << twice;
  }
  EXPECT_EQ(echo.calls, 0);
}

TEST_F(ServerTest, NonCanonicalPathsAre404) {
  Echo echo;
  router_.Add(Method::kDelete, "/v1/organizations/{id}", echo.handler());
  Start();
  for (const char* path :
       {"/v1//organizations/org_1", "//v1/organizations/org_1", "/v1/organizations/org_1/"}) {
    RawClient c(port_);
    c.Send(std::string("DELETE ") + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_NE(c.ReadUntil("failure").find("HTTP/1.1 404"), std::string::npos) << path;
  }
  EXPECT_EQ(echo.calls, 0);
}

// One HTTP/1.1 response as the test reads it back: true when `in` begins with a well-formed one
// (status line, header block, a body of exactly Content-Length bytes); it is removed from `in`.
bool TakeResponse(std::string& in) {
  size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos || in.size() < 12) return false;
  if (in.rfind("HTTP/1.1 ", 0) != 0 && in.rfind("HTTP/1.0 ", 0) != 0) return false;
  int status = std::atoi(in.substr(9, 3).c_str());
  if (status < 100 || status > 599) return false;
  std::string head = in.substr(0, end + 2);
  size_t length = 0;
  if (status >= 200) {
    size_t cl = head.find("\r\nContent-Length: ");
    if (cl == std::string::npos) return false;
    length = std::stoul(head.substr(cl + 18));
  }
  if (in.size() < end + 4 + length) return false;
  in.erase(0, end + 4 + length);
  return true;
}

// 1,000 random mutations of valid requests: each is answered with well-formed HTTP responses or
// a clean close, none hangs, and the server goes on serving.
TEST_F(ServerTest, SurvivesRandomMutationsOfValidRequests) {
  Echo echo;
  router_.Add(Method::kPost, "/v1/organizations/{id}", echo.handler());
  router_.Add(Method::kGet, "/v1/organizations/{id}", echo.handler());
  ServerOptions options;
  options.io_timeout = 2000ms;
  options.idle_timeout = 2000ms;
  Start(options);
  const std::vector<std::string> seeds = {
      "POST /v1/organizations/org_1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer k\r\n"
      "Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"name\":42}",
      "POST /v1/organizations/org_1 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n{\"a\":\r\n3;x=y\r\n1}\n\r\n0\r\nX-Trailer: v\r\n\r\n",
      "GET /v1/organizations/org_1?x=1 HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n"
      "GET /v1/organizations/org_2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
      "POST /v1/organizations/org_1 HTTP/1.0\r\nContent-Length: 2\r\nExpect: "
      "100-continue\r\n\r\nab",
  };
  // Fragments a mutation inserts: framing, codings, folding, duplicates, odd bytes.
  const std::vector<std::string> fragments = {"\r\n",
                                              "\n",
                                              "\r",
                                              "\r\n\r\n",
                                              "0\r\n\r\n",
                                              "ffffffffffffffff\r\n",
                                              "-1\r\n",
                                              ";ext=\"q\"",
                                              "Transfer-Encoding: chunked\r\n",
                                              "Transfer-Encoding: gzip\r\n",
                                              "Content-Length: 5\r\n",
                                              "Content-Length: 99999999999999999999\r\n",
                                              "Content-Length: -1\r\n",
                                              "Authorization: Bearer x\r\n",
                                              "Content-Type: a\r\nContent-Type: b\r\n",
                                              "X-Folded: a\r\n continued\r\n",
                                              " leading-space: v\r\n",
                                              "X-Trailer: " + std::string(300, 't'),
                                              std::string("\0", 1),
                                              "\xff\xfe",
                                              "%00",
                                              "//",
                                              "/../",
                                              "HTTP/1.0",
                                              "HTTP/2.0",
                                              "Host: t\r\n",
                                              "Expect: 100-continue\r\n",
                                              "Connection: close\r\n",
                                              "Upgrade: h2c\r\n"};
  std::mt19937 random(20261201);  // fixed: a failure reproduces
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
  for (int round = 0; round < 1000; ++round) {
    std::string bytes = seeds[pick(seeds.size())];
    for (size_t edits = 1 + pick(4); edits > 0; --edits) {
      size_t at = pick(bytes.size() + 1);
      switch (pick(5)) {
        case 0:  // insert a fragment
          bytes.insert(at, fragments[pick(fragments.size())]);
          break;
        case 1:  // delete a run
          bytes.erase(at, 1 + pick(8));
          break;
        case 2:  // flip a byte
          if (at < bytes.size()) bytes[at] = static_cast<char>(pick(256));
          break;
        case 3:  // duplicate a run (a repeated header, a repeated chunk)
          if (at < bytes.size()) bytes.insert(at, bytes.substr(at, 1 + pick(40)));
          break;
        case 4:  // cut the request short
          bytes.resize(at);
          break;
      }
    }
    RawClient c(port_);
    ASSERT_TRUE(c.connected()) << "round " << round;
    c.Send(bytes);
    c.ShutdownWrite();
    std::string reply = c.ReadUntil("\x01never\x01", 5000ms);
    ASSERT_TRUE(c.closed()) << "round " << round << ": no close within 5 s for " << bytes;
    while (!reply.empty()) {
      ASSERT_TRUE(TakeResponse(reply))
          << "round " << round << ": not a well-formed response: " << reply << "\nfor: " << bytes;
    }
  }
  RawClient after(port_);
  after.Send("GET /v1/organizations/x HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(after.ReadUntil("echo:").find("HTTP/1.1 200"), std::string::npos);
}

}  // namespace
}  // namespace orgd::http
