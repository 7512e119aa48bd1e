// orgd-bench-ceiling-http: the HTTP ceiling of this machine for load scenarios. A bare
// Boost.Beast server in the same shape as orgd's (one io_context per thread, one coroutine per
// connection, keep-alive) that answers every request with a fixed JSON body of the size of an
// organization's JSON, and does nothing else: no routing, no auth, no store, no logging.
//
//   orgd-bench-ceiling-http [--threads N] [--body-bytes B]   prints "listening on http://…"
//
// It stops on SIGTERM/SIGINT.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> Serve(tcp::socket socket, const std::string& body) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    auto [read_ec, n] = co_await http::async_read(stream, buffer, request, kNoThrow);
    if (read_ec) co_return;
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "application/json");
    response.body() = body;
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    auto [write_ec, m] = co_await http::async_write(stream, response, kNoThrow);
    if (write_ec || !request.keep_alive()) co_return;
  }
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor, std::vector<asio::io_context*> contexts,
                             const std::string& body) {
  for (size_t next = 0;; ++next) {
    asio::io_context& target = *contexts[next % contexts.size()];
    auto [ec, socket] = co_await acceptor.async_accept(target, kNoThrow);
    if (ec) co_return;
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(target, Serve(std::move(socket), body), asio::detached);
  }
}

int main(int argc, char** argv) {
  CLI::App cli{"Bare Beast HTTP ceiling for orgd's load scenarios"};
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  size_t body_bytes = 390;  // about an organization's JSON
  cli.add_option("--threads", threads, "I/O threads")->capture_default_str();
  cli.add_option("--body-bytes", body_bytes, "Response body size")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  std::string body = "{\"object\":\"organization\",\"padding\":\"";
  body.append(body_bytes > body.size() + 2 ? body_bytes - body.size() - 2 : 0, 'x');
  body += "\"}";

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::io_context*> raw;
  for (int i = 0; i < threads; ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
    raw.push_back(contexts.back().get());
  }
  tcp::acceptor acceptor(*contexts[0], tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::printf("listening on http://127.0.0.1:%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  asio::signal_set signals(*contexts[0], SIGINT, SIGTERM);
  signals.async_wait([&](auto, auto) {
    for (auto& c : contexts) c->stop();
  });
  asio::co_spawn(*contexts[0], Accept(acceptor, raw, body), asio::detached);
  std::vector<std::thread> workers;
  for (int i = 1; i < threads; ++i) {
    workers.emplace_back([&, i] {
      auto guard = asio::make_work_guard(*contexts[i]);
      contexts[i]->run();
    });
  }
  contexts[0]->run();
  for (auto& c : contexts) c->stop();
  for (auto& w : workers) w.join();
  return 0;
}
