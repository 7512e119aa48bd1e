// App: the composition root. The only place that knows every layer: it opens the store, builds
// the services and handlers, registers the routes and runs the HTTP server. Everything is
// injected by reference from here (no singletons).
//
// Thread safety: Create() and Run() from the main thread; Stop() from any thread.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "server/config.h"

namespace orgd::server {

class App {
 public:
  // Opens the database (applying migrations), builds everything and binds the listening socket.
  // Errors: the config's, the store's (kUnavailable when the file cannot be opened), or the
  // server's when the address is in use.
  static Result<std::unique_ptr<App>> Create(const Config& config);
  ~App();

  // host:port actually bound.
  const std::string& address() const;
  // The base URL written into image URLs.
  const std::string& public_url() const;
  // The Frontend API's bound address, public URL and the publishable key apps use with it.
  const std::string& frontend_address() const;
  const std::string& frontend_url() const;
  // The operator listener's bound address (--metrics-listen), or "" when there is none.
  const std::string& metrics_address() const;
  const std::string& publishable_key() const;

  // Serves until SIGINT/SIGTERM or Stop(), then drains requests, finishes queued writes and
  // closes the store.
  void Run();
  void Stop();

 private:
  struct Parts;
  explicit App(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace orgd::server
