// The HTTP vocabulary the rest of orgd uses: plain structs, no Beast or Asio, so handlers and
// their tests compile fast and stay transport-free. Only server.cc speaks Beast.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace orgd::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method m);

// ASCII case-insensitive equality (header names and values, tokens).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// `s` without the optional whitespace (spaces and tabs, RFC 9110 §5.6.3) around it.
std::string_view TrimOws(std::string_view s);
Method ParseMethod(std::string_view name);

struct HeaderField {
  std::string name;  // lowercase
  std::string value;
};

struct Request {
  Method method = Method::kOther;
  std::string method_name;  // as received, e.g. "GET"
  std::string path;         // the target before '?', not decoded
  std::string query;        // the target after '?', not decoded ("" when absent)
  std::vector<HeaderField> headers;
  std::string body;
  std::string request_id;  // assigned by the server; echoed as X-Request-Id
  // The client's address: the peer's, or behind a trusted proxy the client it names
  // (http/client_address.h).
  std::string remote_ip;
  std::string peer_ip;  // the address of the socket's other end
  // The pattern of the route that took the request (Router::pattern), "" when none did.
  std::string_view route;
  // Who the API layer found the caller to be, for the access log (never a credential): kind
  // "secret_key" with the key's public id, "session" with the user id, or empty (anonymous).
  // Set before the handler answers (on whichever thread authenticated); the server reads them
  // after the answer came back to the connection's thread.
  mutable std::string caller_kind;
  mutable std::string caller_id;
  // Filled by the router: the decoded values of the route's {placeholders}, in order.
  std::vector<std::pair<std::string, std::string>> path_params;

  // The value of the first header with this name (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The decoded value of a route placeholder, or "" when the route has no such placeholder.
  std::string_view PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  // Clerk's SDK parses a body as JSON only when this is exactly "application/json".
  std::string content_type = "application/json";
  std::string body;
  std::vector<HeaderField> headers;  // extra headers (names in any case)
  bool close_connection = false;
};

// Hands a handler's response back to the connection that asked. Copyable; exactly one of Send()
// or Build() must be called, exactly once, from any thread.
class Responder {
 public:
  using Sink = std::function<void(std::function<Response()>)>;
  explicit Responder(Sink sink) : sink_(std::move(sink)) {}

  // Sends `response`.
  void Send(Response response) const {
    sink_([r = std::move(response)]() mutable { return std::move(r); });
  }
  // Runs `make` on the connection's own I/O thread and sends what it returns. Use it when the
  // outcome arrives on a store thread, so JSON is built on an I/O thread, not on the writer.
  void Build(std::function<Response()> make) const { sink_(std::move(make)); }

 private:
  Sink sink_;
};

// A request handler. REQUIRES of the caller: `request` stays valid until the responder is used.
using Handler = std::function<void(const Request& request, Responder respond)>;

}  // namespace orgd::http
