// Server: the HTTP/1.1 front door, on Boost.Beast and Asio (C++20 coroutines).
//
// One io_context per I/O thread; one acceptor (on the first thread) hands each new connection
// to the threads in turn, and a connection then lives on its thread alone, so it never needs a
// strand. Each connection is one coroutine (Beast's awaitable server example): read the header
// with the idle timeout, check its framing (http/framing.h: transfer codings, duplicate
// singleton headers), pick the route, refuse an oversize body before reading it (by
// Content-Length) or while reading it (chunked), read the body with the read timeout, hand the
// request to the handler, await its response, write it, loop while keep-alive. Requests on one
// connection are answered in order, one at a time (bounded pipelining: later pipelined requests
// wait in the buffer until the current one is answered).
//
// Hostile input ends at most its own connection: Beast's parser is fed by this file's own read
// loop, which catches what the parser throws, refuses bare-LF line endings at once (instead of
// waiting for a CRLF that never comes) and bounds what a chunked body may hold unparsed (a
// chunk-size line or the trailer section) by what is left of header_limit after the header.
//
// Abuse is bounded per connection and per client: at most max_connections open connections
// (past it a new one is answered 503 and closed) and max_connections_per_ip from one address
// (429), a request head must arrive within header_timeout of its first byte (slowloris), an idle
// connection is closed after idle_timeout, and a connection serves keepalive_requests requests at
// most. An idle connection holds a 4 KiB read buffer, so thousands of them cost little memory.
//
// Behind a reverse proxy (ServerOptions::trusted_proxies) a request's remote_ip is the client the
// proxy names in X-Forwarded-For (http/client_address.h), and the proxy's own connections are
// exempt from the per-address cap.
//
// Shutdown (SIGINT/SIGTERM or Stop()): stop accepting, close idle connections, let in-flight
// requests finish and answer them with `Connection: close`, then return from Run(). After
// shutdown_grace anything still open is cut off.
//
// Thread safety: Bind() and Run() from one thread; Stop() from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "common/metrics.h"
#include "common/result.h"
#include "http/request.h"
#include "http/router.h"

namespace orgd::http {

struct ServerOptions {
  // host:port to listen on when the server has one listener; IPv6 as [::1]:port. Port 0 picks a
  // free port. Default: 127.0.0.1:8080.
  std::string listen = "127.0.0.1:8080";
  // I/O threads. Default: 0, meaning one per core.
  int threads = 0;
  // Most bytes of request line plus headers. Default: 16 KiB.
  size_t header_limit = 16 * 1024;
  // How long a connection may sit without a request (before the first byte of one). Default: 30 s.
  std::chrono::milliseconds idle_timeout{30'000};
  // How long a request's head (request line and headers) may take from its first byte.
  // Default: 10 s.
  std::chrono::milliseconds header_timeout{10'000};
  // Most connections open at once, over all listeners; 0: no cap. Default: 10,000.
  size_t max_connections = 10'000;
  // Most connections open at once from one client address; 0: no cap. Default: 256.
  size_t max_connections_per_ip = 256;
  // Requests one connection may carry; the last answer says Connection: close. 0: no cap.
  // Default: 1,000.
  size_t keepalive_requests = 1'000;
  // Reverse proxies whose X-Forwarded-For is believed; their connections have no per-address
  // cap. Default: none.
  std::vector<AddressRange> trusted_proxies;
  // How long a request's body may take to arrive, and a response to be written. Default: 60 s.
  std::chrono::milliseconds io_timeout{60'000};
  // How long shutdown waits for in-flight requests. Default: 15 s.
  std::chrono::milliseconds shutdown_grace{15'000};
  // Handle SIGINT and SIGTERM by shutting down. Default: true.
  bool handle_signals = true;
  // Where the request and connection series go (http/request_metrics.h), labelled by listener
  // name. REQUIRES: outlives the server. Default: none (no metrics are kept).
  metrics::Registry* metrics = nullptr;
  // The access log's lines as JSON fields (common/json_log.h, for --log-format json) rather than
  // key=value text. Default: false.
  bool json_logs = false;
};

// What the server answers by itself, without a route: the api layer renders these in its own
// error format.
enum class TransportFailure {
  kNotFound,            // no route has this path
  kMethodNotAllowed,    // the path exists with other methods
  kBodyTooLarge,        // the route's body limit was exceeded
  kHeadersTooLarge,     // header_limit was exceeded (trailers and chunk lines count against it)
  kBadRequest,          // not parseable as HTTP/1.1, or framing that is refused (http/framing.h)
  kNotImplemented,      // a transfer coding other than chunked
  kHandlerFailed,       // the handler threw
  kTooManyConnections,  // max_connections_per_ip from this address are open already
  kOverloaded,          // max_connections are open already
};
// `detail` is a reason safe to show the client (fixed text, never request bytes), or empty.
using FailureRenderer =
    std::function<Response(TransportFailure, const Request&, std::string_view detail)>;

// One address the server listens on and the routes it serves there: each API gets its own (the
// Backend API stays on a private address while the Frontend API is exposed).
struct Listener {
  std::string name;    // for logs and errors, e.g. "backend"
  std::string listen;  // host:port, as ServerOptions::listen
  // REQUIRES: outlives the server; not modified once BindAll()/Bind() was called.
  const Router* router = nullptr;
};

class Server {
 public:
  // Serves each listener's router on its address. The I/O threads, limits and timeouts of
  // `options` are shared; options.listen is not used.
  Server(ServerOptions options, std::vector<Listener> listeners, FailureRenderer render_failure);
  // One listener on options.listen. REQUIRES: `router` outlives the server and is not modified
  // once Bind() was called.
  Server(ServerOptions options, const Router& router, FailureRenderer render_failure);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the listening sockets. Returns the bound addresses as host:port, in the listeners'
  // order (the real port when 0 was asked for), or kUnavailable when an address cannot be used.
  Result<std::vector<std::string>> BindAll();
  // BindAll(), returning the first listener's address.
  Result<std::string> Bind();

  // Serves until shutdown completes. REQUIRES: BindAll() or Bind() succeeded.
  void Run();

  // Begins a graceful shutdown. Idempotent; safe from any thread.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace orgd::http
