#include "jobs/webhook_sender.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <memory>
#include <mutex>

#include "common/ip_address.h"

namespace orgd::jobs {
namespace {

struct Call {
  bool allow_private = false;
  bool refused = false;  // the opensocket check said no
};

curl_socket_t OpenSocket(void* arg, curlsocktype purpose, curl_sockaddr* address) {
  auto* call = static_cast<Call*>(arg);
  if (purpose == CURLSOCKTYPE_IPCXN && !call->allow_private &&
      !IsPublicAddress(reinterpret_cast<const sockaddr*>(&address->addr))) {
    call->refused = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

CurlWebhookSender::CurlWebhookSender(WebhookSenderOptions options) : options_(options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<void> ProbeWebhookEndpoint(const std::string& url, const WebhookSenderOptions& options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error(ErrorCode::kUnavailable, "", "", "", "", "libcurl could not start");
  Call call{options.allow_private, false};
  char reason[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options.timeout_ms);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &call);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, reason);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return {};
  std::string why = call.refused ? "its address is not public (orgd refuses to deliver there "
                                   "without --webhook-allow-private)"
                    : rc == CURLE_COULDNT_RESOLVE_HOST ? "its host name does not resolve"
                    : reason[0] != '\0'                ? std::string(reason)
                                                       : std::string(curl_easy_strerror(rc));
  return Error(ErrorCode::kUnavailable, "", "", "", "", std::move(why));
}

service::WebhookResponse CurlWebhookSender::Post(const service::WebhookRequest& request) {
  service::WebhookResponse response;
  // One handle per thread, reset for each POST: its connection cache keeps the connection to an
  // endpoint open between deliveries (keep-alive), so a busy endpoint costs no connect per event.
  thread_local std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                                        curl_easy_cleanup);
  if (!curl) {
    response.error = "libcurl could not start a transfer";
    return response;
  }
  curl_easy_reset(curl.get());
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  Call call{options_.allow_private, false};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &call);
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }
  response.error = call.refused ? "the endpoint's address is not public (--webhook-allow-private)"
                                : std::string(curl_easy_strerror(rc));
  return response;
}

}  // namespace orgd::jobs
