// The only translation unit that includes Beast and Asio (they dominate build time).
#include "http/server.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/completion_batch.h"
#include "common/json_log.h"
#include "common/random.h"
#include "http/client_address.h"
#include "http/framing.h"
#include "http/request_metrics.h"

namespace orgd::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// A connection as shutdown sees it: idle ones are closed at once, busy ones finish first.
struct Connection {
  beast::tcp_stream* stream = nullptr;
  bool idle = true;
};

// One I/O thread: its io_context and the connections it serves. Only its own thread touches
// `connections` and `draining`.
struct Worker {
  asio::io_context ctx{1};
  asio::executor_work_guard<asio::io_context::executor_type> keep_alive{ctx.get_executor()};
  std::set<Connection*> connections;
  bool draining = false;
};

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

// How reading one part of a request (its header, or its body) ended.
enum class ReadResult {
  kDone,         // the part is complete
  kClosed,       // the peer went away, the timeout passed or shutdown cancelled the read
  kMalformed,    // not HTTP/1.1 as orgd takes it
  kHeaderLimit,  // header bytes, or chunk framing left unparsed, over the limit
  kBodyLimit,    // the route's body limit
};

// Most bytes one read from a socket asks for.
constexpr size_t kReadSize = 64 * 1024;
// What a connection waiting for its next request reads into: small, so that thousands of idle
// connections hold little memory (the buffer grows once a request is under way).
constexpr size_t kIdleReadSize = 4 * 1024;

// Feeds `parser` from `buffer`, reading more from `stream` when the parser needs it, until
// `done(parser)` holds. Beast's own read operations would do the same, but they wait for a CRLF
// that a bare-LF client never sends, let a chunk-size line or a trailer section grow without
// bound, and let what the parser throws escape into the I/O thread; this loop refuses the first,
// bounds the second by `unparsed_limit` (the parser sees at most that many bytes at once, so an
// element longer than it can never complete) and turns the third into kMalformed.
// Adds the bytes the parser took to `*consumed`.
template <class Parser, class Done>
asio::awaitable<ReadResult> Feed(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 Parser& parser, size_t unparsed_limit, Done done,
                                 size_t* consumed) {
  for (;;) {
    if (done(parser)) co_return ReadResult::kDone;
    if (buffer.size() > 0) {
      boost::system::error_code ec;
      size_t used = 0;
      try {
        // At most `unparsed_limit` bytes at a time: a chunk-size line or a trailer section must
        // be whole within that many however the bytes arrived (one 64 KiB read would otherwise
        // let a 40 KB trailer through in a single put, never reaching the check below).
        const auto data = buffer.data();
        used = parser.put(asio::buffer(data.data(), std::min(data.size(), unparsed_limit)), ec);
      } catch (const std::length_error& e) {
        // Beast's fields container throws for what it cannot hold (a field over 64 KiB): a
        // header or trailer too large, however the bytes happened to arrive.
        spdlog::debug("http: the parser threw: {}", e.what());
        co_return ReadResult::kHeaderLimit;
      } catch (const std::exception& e) {
        spdlog::debug("http: the parser threw: {}", e.what());
        co_return ReadResult::kMalformed;
      }
      buffer.consume(used);
      *consumed += used;
      if (!ec && used > 0) continue;
      if (ec == bhttp::error::header_limit) co_return ReadResult::kHeaderLimit;
      if (ec == bhttp::error::body_limit) co_return ReadResult::kBodyLimit;
      if (ec && ec != bhttp::error::need_more) co_return ReadResult::kMalformed;
      if (done(parser)) co_return ReadResult::kDone;
      // The parser waits for the end of a line or a section; all that is unparsed belongs to it
      // (chunk data is always taken as it comes).
      std::string_view unparsed(static_cast<const char*>(buffer.data().data()), buffer.size());
      if (HasBareLineFeed(unparsed)) co_return ReadResult::kMalformed;
      if (unparsed.size() > unparsed_limit) co_return ReadResult::kHeaderLimit;
    }
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadSize), kNoThrow);
    if (ec) co_return ReadResult::kClosed;
    buffer.commit(n);
  }
}

Result<tcp::endpoint> ParseListen(const std::string& listen) {
  std::string host, port;
  if (!listen.empty() && listen.front() == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                   "listen address must be host:port or [ipv6]:port: " + listen);
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos) {
      return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                   "listen address must be host:port: " + listen);
    }
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  boost::system::error_code ec;
  asio::io_context resolver_ctx;
  tcp::resolver resolver(resolver_ctx);
  auto results = resolver.resolve(host, port, tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                 "cannot resolve listen address " + listen + ": " + ec.message());
  }
  return results.begin()->endpoint();
}

std::string EndpointString(const tcp::endpoint& ep) {
  auto addr = ep.address();
  std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  return host + ":" + std::to_string(ep.port());
}

// Awaits a handler's response. The handler may answer from any thread; the answer is posted
// back to this connection's io_context, where Build() closures run.
template <class Token>
auto AsyncInvoke(const Handler& handler, const Request& request, const FailureRenderer& render,
                 Token&& token) {
  return asio::async_initiate<Token, void(Response)>(
      [&handler, &request, &render](auto completion) {
        using Completion = decltype(completion);
        struct State {
          explicit State(Completion c, asio::any_io_executor ex)
              : completion(std::move(c)), work(asio::make_work_guard(ex)) {}
          Completion completion;
          asio::executor_work_guard<asio::any_io_executor> work;
          bool done = false;  // touched only on the connection's thread
        };
        asio::any_io_executor ex = asio::get_associated_executor(completion);
        auto state = std::make_shared<State>(std::move(completion), ex);
        Responder responder([state, ex, &request, &render](std::function<Response()> make) {
          auto deliver = [state, make = std::move(make), &request, &render]() mutable {
            if (state->done) return;
            state->done = true;
            Response response;
            try {
              response = make();
            } catch (const std::exception& e) {
              spdlog::error("http: building the response to {} failed: {}", request.request_id,
                            e.what());
              response = render(TransportFailure::kHandlerFailed, request, {});
            }
            state->work.reset();
            std::move(state->completion)(std::move(response));
          };
          // A store thread answering many requests at once (the SQLite writer after a group
          // commit) sends each I/O thread its answers in one post: one wake-up, not one each.
          if (!CompletionBatch::IsOpen()) {
            asio::post(ex, std::move(deliver));
            return;
          }
          CompletionBatch::Defer(
              &asio::query(ex, asio::execution::context),
              [ex](CompletionBatch::Task t) { asio::post(ex, std::move(t)); }, std::move(deliver));
        });
        try {
          handler(request, responder);
        } catch (const std::exception& e) {
          spdlog::error("http: handler for {} threw: {}", request.request_id, e.what());
          responder.Send(render(TransportFailure::kHandlerFailed, request, {}));
        }
      },
      token);
}

// Runs an I/O thread's loop. A completion handler that throws would otherwise end the thread, and
// std::thread then ends the process: the exception is logged and the loop goes on (the operation
// that threw is lost with its connection). Envoy's policy: untrusted input never ends the process.
void RunIoContext(asio::io_context& ctx) {
  for (;;) {
    try {
      ctx.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: an I/O handler threw: {}", e.what());
    }
  }
}

// Every connection is a file descriptor: a max_connections above the open-file limit is never
// reached, and an attacker under the per-address cap (from many addresses) exhausts descriptors
// instead; accept() then fails with EMFILE and nobody is served until the attacker lets go.
// kReservedFiles stay for the store, the listeners, and webhook and SMTP sockets.
ServerOptions CappedByFileLimit(ServerOptions options) {
  constexpr rlim_t kReservedFiles = 128;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return options;
  const size_t usable =
      limit.rlim_cur > kReservedFiles ? static_cast<size_t>(limit.rlim_cur - kReservedFiles) : 1;
  if (options.max_connections == 0 || options.max_connections > usable) {
    spdlog::warn(
        "http: the open-file limit ({}) is below --max-connections {}: connections are capped at "
        "{}",
        static_cast<uint64_t>(limit.rlim_cur),
        options.max_connections == 0 ? std::string("0 (no cap)")
                                     : std::to_string(options.max_connections),
        usable);
    options.max_connections = usable;
  }
  return options;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, std::vector<Listener> listeners, FailureRenderer render)
      : options_(CappedByFileLimit(std::move(options))), render_(std::move(render)) {
    for (Listener& l : listeners) listeners_.push_back(Bound{std::move(l), nullptr, nullptr});
    int n = options_.threads > 0
                ? options_.threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>());
    id_prefix_ = RandomBase62(6);
  }

  Result<std::vector<std::string>> Bind() {
    std::vector<std::string> addresses;
    for (Bound& bound : listeners_) {
      const std::string& listen = bound.listener.listen;
      auto endpoint = ParseListen(listen);
      if (!endpoint) return endpoint.error();
      bound.acceptor = std::make_unique<tcp::acceptor>(workers_[0]->ctx);
      boost::system::error_code ec;
      bound.acceptor->open(endpoint->protocol(), ec);
      if (!ec) bound.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec) bound.acceptor->bind(*endpoint, ec);
      if (!ec) bound.acceptor->listen(asio::socket_base::max_listen_connections, ec);
      if (ec) {
        return Error(
            ErrorCode::kUnavailable, "", "", "", "",
            "cannot listen on " + listen + " (" + bound.listener.name + "): " + ec.message());
      }
      addresses.push_back(EndpointString(bound.acceptor->local_endpoint()));
    }
    // The handlers go in now, not in Run(): a caller announces the addresses once they are bound,
    // and a SIGTERM sent on that word must not find the default action (or, in a background job
    // of a non-interactive shell, an ignored SIGINT) before Run(). A signal that arrives before
    // Run() waits in the set until it does.
    if (options_.handle_signals && !signals_) {
      signals_ = std::make_unique<asio::signal_set>(workers_[0]->ctx, SIGINT, SIGTERM);
    }
    return addresses;
  }

  void Run() {
    if (signals_) {
      signals_->async_wait([this](boost::system::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("received signal {}, shutting down", signal);
        Stop();
      });
    }
    if (options_.metrics != nullptr) {
      // Made here, not in Bind(): the routers are complete only now.
      for (Bound& bound : listeners_) {
        bound.metrics = std::make_unique<RequestMetrics>(*options_.metrics, bound.listener.name,
                                                         *bound.listener.router);
      }
      options_.metrics->AddGaugeFunction("orgd_http_connections", "Open client connections.", {},
                                         [this] {
                                           std::lock_guard lock(caps_mu_);
                                           return static_cast<double>(open_connections_);
                                         });
    }
    for (Bound& bound : listeners_) {
      asio::co_spawn(workers_[0]->ctx, Accept(bound), asio::detached);
    }
    std::vector<std::thread> threads;
    for (size_t i = 1; i < workers_.size(); ++i) {
      threads.emplace_back([w = workers_[i].get()] { RunIoContext(w->ctx); });
      pthread_setname_np(threads.back().native_handle(), "orgd-io");
    }
    RunIoContext(workers_[0]->ctx);
    for (auto& t : threads) t.join();
    std::thread watchdog;
    {
      std::lock_guard lock(mu_);
      finished_ = true;
      watchdog = std::move(watchdog_);
    }
    cv_.notify_all();
    if (watchdog.joinable()) watchdog.join();
  }

  ~Impl() {
    {
      std::lock_guard lock(mu_);
      finished_ = true;
    }
    cv_.notify_all();
    if (watchdog_.joinable()) watchdog_.join();
  }

  void Stop() {
    if (stopping_.exchange(true)) return;
    {
      std::lock_guard lock(mu_);
      if (!finished_) {
        watchdog_ = std::thread([this] {
          std::unique_lock lock(mu_);
          if (!cv_.wait_for(lock, options_.shutdown_grace, [this] { return finished_; })) {
            spdlog::warn("shutdown grace period over; closing remaining connections");
            for (auto& w : workers_) w->ctx.stop();
          }
        });
      }
    }
    for (auto& worker : workers_) {
      asio::post(worker->ctx, [this, w = worker.get()] {
        w->draining = true;
        boost::system::error_code ec;
        if (w == workers_[0].get()) {
          for (Bound& bound : listeners_) {
            if (bound.acceptor) bound.acceptor->close(ec);
          }
          if (signals_) signals_->cancel(ec);
        }
        for (Connection* c : w->connections) {
          if (c->idle) c->stream->cancel();
        }
        w->keep_alive.reset();
      });
    }
  }

 private:
  // A listener and, once bound, its acceptor (on workers_[0]).
  struct Bound {
    Listener listener;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::unique_ptr<RequestMetrics> metrics;  // when options_.metrics
  };

  // Accepts the listener's connections and hands them to the I/O threads in turn.
  asio::awaitable<void> Accept(Bound& bound) {
    tcp::acceptor& acceptor = *bound.acceptor;
    const Router& router = *bound.listener.router;
    for (;;) {
      Worker& target = *workers_[next_worker_++ % workers_.size()];
      auto [ec, socket] = co_await acceptor.async_accept(target.ctx, kNoThrow);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        // Out of file descriptors or similar: back off instead of spinning, and say so at most
        // once a second (this repeats every 50 ms for as long as it lasts).
        static std::atomic<int64_t> last_warned{0};
        const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::steady_clock::now().time_since_epoch())
                                .count();
        if (last_warned.exchange(now) != now) spdlog::warn("http: accept failed: {}", ec.message());
        asio::steady_timer pause(workers_[0]->ctx, std::chrono::milliseconds(50));
        co_await pause.async_wait(kNoThrow);
        continue;
      }
      boost::system::error_code peer_ec;
      auto peer = socket.remote_endpoint(peer_ec);
      std::string peer_ip = peer_ec ? "" : peer.address().to_string();
      if (auto refused = Admit(peer_ip)) {
        if (options_.metrics != nullptr) {
          options_.metrics
              ->GetCounter("orgd_http_connections_refused_total",
                           "Connections answered and closed at once for being over a cap.",
                           {{"reason", *refused == TransportFailure::kOverloaded
                                           ? "max_connections"
                                           : "max_connections_per_ip"}})
              .Add();
        }
        asio::co_spawn(target.ctx, Reject(std::move(socket), *refused), asio::detached);
        continue;
      }
      asio::co_spawn(
          target.ctx,
          Session(target, router, bound.metrics.get(), std::move(socket), std::move(peer_ip)),
          [](std::exception_ptr e) {
            // Nothing in a session is meant to throw; if something does, it ends that
            // connection.
            if (!e) return;
            try {
              std::rethrow_exception(e);
            } catch (const std::exception& ex) {
              spdlog::error("http: a connection ended by an exception: {}", ex.what());
            }
          });
    }
  }

  std::string NewRequestId() {
    return "req_" + id_prefix_ + std::to_string(request_counter_.fetch_add(1));
  }

  // One request as read from a connection, before any handler saw it.
  struct Incoming {
    enum class Status {
      kRequest,  // answer it with the route (or the router's 404/405)
      kRefused,  // answer `refusal`, then close the connection
      kClosed,   // nothing to answer: the peer went away, a timeout, shutdown
    };
    Status status = Status::kClosed;
    Request request;
    Router::Match match;
    unsigned version = 11;
    bool keep_alive = false;
    Response refusal;
    // Request bytes may be left unread: drain them before closing (see DrainUnread).
    bool linger = false;
    std::chrono::steady_clock::time_point started;
  };

  // Reads one request: its header (with the idle timeout), its framing check, its route, and its
  // body (with the I/O timeout, within the route's limit).
  asio::awaitable<Incoming> ReadRequest(const Router& router, beast::tcp_stream& stream,
                                        beast::flat_buffer& buffer, Connection& conn,
                                        const std::string& remote_ip) {
    Incoming in;
    in.request.remote_ip = remote_ip;
    in.request.peer_ip = remote_ip;
    in.request.request_id = NewRequestId();
    auto refuse = [&](TransportFailure failure, std::string_view detail = {}) {
      in.status = Incoming::Status::kRefused;
      in.refusal = render_(failure, in.request, detail);
      in.linger = true;
      return std::move(in);
    };

    bhttp::request_parser<bhttp::empty_body> head;
    head.header_limit(static_cast<std::uint32_t>(options_.header_limit));
    head.body_limit(boost::none);
    head.eager(false);  // stop after the header: the body gets the route's limit
    // Waiting for a request is bounded by the idle timeout; once its first byte is here, the
    // whole head must follow within the header timeout, however slowly it trickles (slowloris).
    if (buffer.size() == 0) {
      stream.expires_after(options_.idle_timeout);
      auto [first_ec, first_n] =
          co_await stream.async_read_some(buffer.prepare(kIdleReadSize), kNoThrow);
      if (first_ec) co_return std::move(in);  // kClosed
      buffer.commit(first_n);
    }
    stream.expires_after(options_.header_timeout);
    size_t header_bytes = 0;
    ReadResult header_read = co_await Feed(
        stream, buffer, head, options_.header_limit,
        [](const auto& p) { return p.is_header_done(); }, &header_bytes);
    conn.idle = false;
    in.started = std::chrono::steady_clock::now();
    switch (header_read) {
      case ReadResult::kDone:
        // Beast holds header_limit against what one put() sees, and a head that came in two
        // reads (the first is only kIdleReadSize) had fields taken by the first: count it whole.
        if (header_bytes > options_.header_limit) {
          co_return refuse(TransportFailure::kHeadersTooLarge);
        }
        break;
      case ReadResult::kHeaderLimit:
        co_return refuse(TransportFailure::kHeadersTooLarge);
      case ReadResult::kMalformed:
      case ReadResult::kBodyLimit:  // no body limit applies to a header; kept for completeness
        co_return refuse(TransportFailure::kBadRequest);
      case ReadResult::kClosed:
        co_return std::move(in);
    }

    const auto& header = head.get();
    in.version = header.version();
    Request& request = in.request;
    request.method_name = std::string(header.method_string());
    request.method = ParseMethod(request.method_name);
    std::string_view target = header.target();
    size_t question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos)
      request.query = std::string(target.substr(question + 1));
    request.headers.reserve(16);
    for (const auto& field : header) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.push_back({std::move(name), std::string(field.value())});
    }
    if (auto incoming = request.Header("x-request-id"); ValidRequestId(incoming)) {
      request.request_id = std::string(incoming);
    }
    if (!options_.trusted_proxies.empty()) {
      std::vector<std::string_view> forwarded;
      for (const HeaderField& h : request.headers) {
        if (h.name == "x-forwarded-for") forwarded.push_back(h.value);
      }
      request.remote_ip = ClientAddress(request.peer_ip, forwarded, options_.trusted_proxies);
    }
    if (FramingCheck framing = CheckFraming(in.version, request.headers);
        framing.verdict != FramingCheck::Verdict::kOk) {
      co_return refuse(framing.verdict == FramingCheck::Verdict::kNotImplemented
                           ? TransportFailure::kNotImplemented
                           : TransportFailure::kBadRequest,
                       framing.reason);
    }
    // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header.
    if (in.version >= 11 && !request.HasHeader("host")) {
      co_return refuse(TransportFailure::kBadRequest, "An HTTP/1.1 request needs a Host header.");
    }

    in.match = router.Find(request.method, request.path);
    if (in.match.status == Router::Match::Status::kFound) {
      request.route = router.pattern(in.match.route);
    }
    const RouteOptions default_options;
    const RouteOptions& route =
        in.match.status == Router::Match::Status::kFound ? *in.match.options : default_options;
    in.keep_alive = header.keep_alive();

    auto too_large = [&]() -> asio::awaitable<Incoming> {
      in.status = Incoming::Status::kRefused;
      in.linger = true;
      if (route.on_body_too_large) {
        in.refusal =
            co_await AsyncInvoke(route.on_body_too_large, request, render_, asio::use_awaitable);
      } else {
        in.refusal = render_(TransportFailure::kBodyTooLarge, request, {});
      }
      co_return std::move(in);
    };

    // Refuse a declared oversize body without reading it; the connection closes after.
    if (auto length = head.content_length(); length && *length > route.body_limit) {
      co_return co_await too_large();
    }
    // RFC 9110 §10.1.1: an HTTP/1.0 client's 100-continue is ignored.
    if (in.version >= 11 && EqualsIgnoreCase(request.Header("expect"), "100-continue")) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, in.version};
      stream.expires_after(options_.io_timeout);
      auto [cont_ec, cont_n] = co_await bhttp::async_write(stream, go_on, kNoThrow);
      if (cont_ec) co_return std::move(in);  // kClosed
    }

    bhttp::request_parser<bhttp::string_body> parser(std::move(head));
    parser.body_limit(route.body_limit);
    parser.eager(true);
    // Trailers and chunk-size lines count against the header limit: what the header left of it,
    // with room for one chunk-size line however large the header was.
    constexpr size_t kChunkLineRoom = 256;
    const size_t framing_limit = std::max(
        kChunkLineRoom, options_.header_limit - std::min(header_bytes, options_.header_limit));
    stream.expires_after(options_.io_timeout);
    size_t body_bytes = 0;
    ReadResult body_read = co_await Feed(
        stream, buffer, parser, framing_limit, [](const auto& p) { return p.is_done(); },
        &body_bytes);
    switch (body_read) {
      case ReadResult::kDone:
        break;
      case ReadResult::kBodyLimit:
        co_return co_await too_large();
      case ReadResult::kHeaderLimit:
        co_return refuse(TransportFailure::kHeadersTooLarge);
      case ReadResult::kMalformed:
        co_return refuse(TransportFailure::kBadRequest);
      case ReadResult::kClosed:
        co_return std::move(in);
    }
    // Trailer fields were parsed into the parser's message and are dropped here: the request's
    // headers are the header's, copied above (RFC 9110 §6.5.1 lets a server discard trailers).
    request.body = std::move(parser.get().body());
    in.status = Incoming::Status::kRequest;
    co_return std::move(in);
  }

  // Answers one request that was read whole: the router's 404/405, or its handler's response.
  asio::awaitable<Response> Answer(Incoming& in) {
    Request& request = in.request;
    Response response;
    switch (in.match.status) {
      case Router::Match::Status::kNotFound:
        response = render_(TransportFailure::kNotFound, request, {});
        break;
      case Router::Match::Status::kMethodNotAllowed: {
        response = render_(TransportFailure::kMethodNotAllowed, request, {});
        std::string allow;
        for (Method m : in.match.allowed) {
          if (!allow.empty()) allow += ", ";
          allow += MethodName(m);
        }
        response.headers.push_back({"Allow", allow});
        break;
      }
      case Router::Match::Status::kFound:
        request.path_params = std::move(in.match.params);
        response = co_await AsyncInvoke(*in.match.handler, request, render_, asio::use_awaitable);
        break;
    }
    co_return response;
  }

  asio::awaitable<void> Session(Worker& worker, const Router& router, RequestMetrics* metrics,
                                tcp::socket socket, std::string remote_ip) {
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    beast::tcp_stream stream(std::move(socket));
    Connection conn{&stream, true};
    worker.connections.insert(&conn);
    struct Unregister {
      Impl& server;
      Worker& w;
      Connection* c;
      const std::string& ip;
      ~Unregister() {
        w.connections.erase(c);
        server.Release(ip);
      }
    } unregister{*this, worker, &conn, remote_ip};
    size_t served = 0;

    beast::flat_buffer buffer;
    // Set when the connection closes with request bytes still unread (a refused body): the rest
    // is then read and dropped before closing, or the kernel would answer the client's next
    // packet with a reset, and a client still sending its body would see the reset instead of
    // the answer (the "lingering close" of RFC 9112 §9.6).
    bool linger = false;
    for (;;) {
      if (worker.draining) break;
      conn.idle = true;
      Incoming in = co_await ReadRequest(router, stream, buffer, conn, remote_ip);
      if (in.status == Incoming::Status::kClosed) break;
      InFlight counted{metrics};
      const std::optional<size_t> route = in.match.status == Router::Match::Status::kFound
                                              ? std::optional(in.match.route)
                                              : std::nullopt;
      if (in.status == Incoming::Status::kRefused) {
        co_await Reply(stream, in.request, in.version, Closing(std::move(in.refusal)), in.started,
                       metrics, route);
        linger = in.linger;
        break;
      }
      Response response = co_await Answer(in);
      ++served;
      if (!in.keep_alive || worker.draining ||
          (options_.keepalive_requests > 0 && served >= options_.keepalive_requests)) {
        response.close_connection = true;
      }
      const bool close = response.close_connection;
      if (!co_await Reply(stream, in.request, in.version, std::move(response), in.started, metrics,
                          route) ||
          close) {
        break;
      }
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger) co_await DrainUnread(stream);
  }

  // Counts a new connection from `peer_ip` against the caps. Returns the failure to answer it with
  // when it is over one (and then counts nothing); Release() undoes an admission.
  std::optional<TransportFailure> Admit(const std::string& peer_ip) {
    std::lock_guard lock(caps_mu_);
    if (options_.max_connections > 0 && open_connections_ >= options_.max_connections) {
      return TransportFailure::kOverloaded;
    }
    const bool capped =
        options_.max_connections_per_ip > 0 && !InRanges(peer_ip, options_.trusted_proxies);
    size_t& from_peer = per_ip_[LimitKey(peer_ip)];
    if (capped && from_peer >= options_.max_connections_per_ip)
      return TransportFailure::kTooManyConnections;
    ++from_peer;
    ++open_connections_;
    return std::nullopt;
  }

  void Release(const std::string& peer_ip) {
    std::lock_guard lock(caps_mu_);
    --open_connections_;
    auto it = per_ip_.find(LimitKey(peer_ip));
    if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
  }

  // Answers a connection over a cap without reading from it, and closes it. The write has a short
  // deadline: a refused client gets no more of orgd's time than that.
  asio::awaitable<void> Reject(tcp::socket socket, TransportFailure failure) {
    beast::tcp_stream stream(std::move(socket));
    Request nobody;
    nobody.request_id = NewRequestId();
    Response response = Closing(render_(failure, nobody, {}));
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status), 11};
    res.set(bhttp::field::server, "orgd");
    res.set(bhttp::field::content_type, response.content_type);
    res.set("X-Request-Id", nobody.request_id);
    for (const auto& h : response.headers) res.set(h.name, h.value);
    res.body() = std::move(response.body);
    res.keep_alive(false);
    res.prepare_payload();
    stream.expires_after(std::chrono::seconds(1));
    co_await bhttp::async_write(stream, res, kNoThrow);
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    static std::atomic<int64_t> last_warned{0};
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    if (last_warned.exchange(now) != now) {  // at most one line a second, however many are refused
      spdlog::warn("http: refused a connection: {}", failure == TransportFailure::kOverloaded
                                                         ? "max_connections reached"
                                                         : "max_connections_per_ip reached");
    }
  }

  // Reads and drops what the client still sends, until it closes its side, kLingerBytes were
  // dropped or kLingerTime passed: bounded, so a client cannot keep the connection open this way.
  static asio::awaitable<void> DrainUnread(beast::tcp_stream& stream) {
    constexpr size_t kLingerBytes = 64 * 1024 * 1024;
    constexpr std::chrono::seconds kLingerTime{5};
    stream.expires_after(kLingerTime);
    std::array<char, 64 * 1024> sink;
    for (size_t dropped = 0; dropped < kLingerBytes;) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kNoThrow);
      if (ec) break;
      dropped += n;
    }
  }

  static Response Closing(Response r) {
    r.close_connection = true;
    return r;
  }

  // Counts a request in flight for as long as it lives (a head was read, the answer is not yet
  // written).
  struct InFlight {
    explicit InFlight(RequestMetrics* m) : metrics(m) {
      if (metrics != nullptr) metrics->in_flight().Add(1);
    }
    ~InFlight() {
      if (metrics != nullptr) metrics->in_flight().Add(-1);
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
    RequestMetrics* metrics;
  };

  // Writes the response, counts it in `metrics` (when there are) under `route`, and writes the
  // access log line. Returns false when the write failed.
  asio::awaitable<bool> Reply(beast::tcp_stream& stream, const Request& request, unsigned version,
                              Response response, std::chrono::steady_clock::time_point started,
                              RequestMetrics* metrics, std::optional<size_t> route) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status), version};
    res.set(bhttp::field::server, "orgd");
    if (!response.content_type.empty()) res.set(bhttp::field::content_type, response.content_type);
    res.set("X-Request-Id", request.request_id);
    // Set-Cookie may repeat (RFC 6265 §3); every other extra header is set once.
    for (const auto& h : response.headers) {
      if (EqualsIgnoreCase(h.name, "set-cookie")) {
        res.insert(h.name, h.value);
      } else {
        res.set(h.name, h.value);
      }
    }
    const size_t body_bytes = response.body.size();
    res.body() = std::move(response.body);
    res.keep_alive(!response.close_connection);
    res.prepare_payload();
    if (request.method == Method::kHead) {
      res.content_length(body_bytes);
      res.body().clear();
    }
    stream.expires_after(options_.io_timeout);
    auto [ec, n] = co_await bhttp::async_write(stream, res, kNoThrow);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (metrics != nullptr) metrics->Record(route, request.method, response.status, seconds);
    if (spdlog::should_log(spdlog::level::info)) {
      LogAccess(request, response.status, seconds * 1000, body_bytes);
    }
    co_return !ec;
  }

  // One line per answer: what was asked, by whom (never a credential: the API layer names the
  // caller by key id or user id), the answer's status, size and duration.
  void LogAccess(const Request& request, int status, double ms, size_t body_bytes) const {
    if (!options_.json_logs) {
      spdlog::info(
          "http method={} path={} status={} duration_ms={:.3f} bytes={} request_id={} remote={}"
          "{}{}{}{}",
          request.method_name.empty() ? "-" : request.method_name,
          request.path.empty() ? "-" : request.path, status, ms, body_bytes, request.request_id,
          request.remote_ip, request.caller_kind.empty() ? "" : " caller=", request.caller_kind,
          request.caller_id.empty() ? "" : ":", request.caller_id);
      return;
    }
    std::string line(1, kLogFieldsMarker);
    line.reserve(320);
    AppendJsonField(line, "message", "http request");
    AppendJsonField(line, "request_id", request.request_id);
    AppendJsonField(line, "method", request.method_name);
    AppendJsonField(line, "path", request.path);
    if (!request.route.empty()) AppendJsonField(line, "route", request.route);
    AppendJsonField(line, "status", int64_t{status});
    line += fmt::format(",\"duration_ms\":{:.3f}", ms);
    AppendJsonField(line, "bytes", static_cast<int64_t>(body_bytes));
    AppendJsonField(line, "remote_ip", request.remote_ip);
    AppendJsonField(line, "caller_kind",
                    request.caller_kind.empty() ? "anonymous" : request.caller_kind);
    if (!request.caller_id.empty()) AppendJsonField(line, "caller_id", request.caller_id);
    spdlog::info(line);
  }

  const ServerOptions options_;
  const FailureRenderer render_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Bound> listeners_;
  size_t next_worker_ = 0;  // touched only on workers_[0]'s thread
  std::unique_ptr<asio::signal_set> signals_;
  std::string id_prefix_;
  std::atomic<uint64_t> request_counter_{1};
  std::atomic<bool> stopping_{false};

  std::mutex caps_mu_;
  size_t open_connections_ = 0;                     // GUARDED_BY(caps_mu_)
  std::unordered_map<std::string, size_t> per_ip_;  // GUARDED_BY(caps_mu_)

  std::mutex mu_;
  std::condition_variable cv_;
  bool finished_ = false;  // GUARDED_BY(mu_)
  std::thread watchdog_;   // GUARDED_BY(mu_)
};

Server::Server(ServerOptions options, std::vector<Listener> listeners,
               FailureRenderer render_failure)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(listeners),
                                   std::move(render_failure))) {}
Server::Server(ServerOptions options, const Router& router, FailureRenderer render_failure)
    : Server(options, {Listener{"http", options.listen, &router}}, std::move(render_failure)) {}
Server::~Server() = default;
Result<std::vector<std::string>> Server::BindAll() { return impl_->Bind(); }
Result<std::string> Server::Bind() {
  auto addresses = impl_->Bind();
  if (!addresses) return addresses.error();
  return addresses->front();
}
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace orgd::http
