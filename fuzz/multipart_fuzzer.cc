// Fuzzes multipart/form-data (api/multipart.h): MultipartBoundary, ParseMultipartFormData and
// ReadImageUpload, as the logo and profile-image uploads use them.
//
// Input: the Content-Type header value on the first line, the body after it. When the header
// names no valid boundary, the body is still parsed, with the boundary "b".
//
// Invariants: a boundary read from a header is 1-70 RFC 2046 characters, not ending in a space,
// and reads back from a header written with it; parsed parts point into the body, in order, and
// never contain the delimiter; writing the parts out again and parsing that gives the same parts;
// ReadImageUpload returns the first `file` part and the last non-empty `uploader_user_id`; every
// error is a 4xx whose envelope is valid JSON.
#include <algorithm>
#include <string>
#include <vector>

#include "api/multipart.h"
#include "fuzz_check.h"

namespace orgd::fuzz {
namespace {

bool IsBoundaryChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// A quoted-string (RFC 9110 §5.6.4) holding `s`.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void CheckBoundary(const std::string& boundary) {
  ORGD_FUZZ_CHECK(!boundary.empty() && boundary.size() <= 70);
  ORGD_FUZZ_CHECK(boundary.back() != ' ');
  ORGD_FUZZ_CHECK(std::all_of(boundary.begin(), boundary.end(), IsBoundaryChar));
  ORGD_FUZZ_CHECK(api::MultipartBoundary("multipart/form-data; boundary=" + Quote(boundary)) ==
                  boundary);
  if (boundary.front() != ' ') {
    ORGD_FUZZ_CHECK(api::MultipartBoundary("Multipart/Form-Data;boundary=" + boundary) == boundary);
  }
}

// The parts written out as a browser would, or nullopt when one's header block would pass the
// parser's 8 KiB limit once quoted.
std::optional<std::string> Serialize(const std::vector<api::MultipartPart>& parts,
                                     std::string_view boundary) {
  std::string body;
  for (const auto& part : parts) {
    std::string headers = "Content-Disposition: form-data; name=" + Quote(part.name);
    if (part.filename) headers += "; filename=" + Quote(*part.filename);
    if (!part.content_type.empty()) headers += "\r\nContent-Type: " + part.content_type;
    if (headers.size() > 8 * 1024) return std::nullopt;
    body += "--" + std::string(boundary) + "\r\n" + headers + "\r\n\r\n";
    body += part.data;
    body += "\r\n";
  }
  body += "--" + std::string(boundary) + "--\r\n";
  return body;
}

void CheckParts(const std::vector<api::MultipartPart>& parts, std::string_view boundary,
                std::string_view body) {
  ORGD_FUZZ_CHECK(parts.size() <= 64);
  const std::string delimiter = "\r\n--" + std::string(boundary);
  const char* previous_end = body.data();
  for (const auto& part : parts) {
    // The data is a view into the body, after the previous part's.
    ORGD_FUZZ_CHECK(part.data.data() >= previous_end);
    ORGD_FUZZ_CHECK(part.data.data() + part.data.size() <= body.data() + body.size());
    previous_end = part.data.data() + part.data.size();
    ORGD_FUZZ_CHECK(part.data.find(delimiter) == std::string_view::npos);
    ORGD_FUZZ_CHECK(part.name.find("\r\n") == std::string::npos);
    ORGD_FUZZ_CHECK(part.content_type.find("\r\n") == std::string::npos);
  }
  auto again = Serialize(parts, boundary);
  if (!again) return;
  auto reparsed = api::ParseMultipartFormData(boundary, *again);
  ORGD_FUZZ_CHECK(reparsed.has_value());
  ORGD_FUZZ_CHECK(reparsed->size() == parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& a = parts[i];
    const auto& b = (*reparsed)[i];
    ORGD_FUZZ_CHECK(a.name == b.name);
    ORGD_FUZZ_CHECK(a.filename == b.filename);
    ORGD_FUZZ_CHECK(a.content_type == b.content_type);
    ORGD_FUZZ_CHECK(a.data == b.data);
  }
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  std::string_view in = AsText(data, size);
  const std::string_view content_type = TakeLine(in);
  const std::string_view body = in;

  const std::optional<std::string> header_boundary = api::MultipartBoundary(content_type);
  if (header_boundary) CheckBoundary(*header_boundary);
  const std::string boundary = header_boundary.value_or("b");

  auto parts = api::ParseMultipartFormData(boundary, body);
  if (parts) {
    CheckParts(*parts, boundary, body);
  } else {
    ORGD_FUZZ_CHECK(parts.error().clerk_code == "request_body_invalid");
    CheckClientError(parts.error());
  }

  http::Request request;
  request.headers.push_back({"content-type", std::string(content_type)});
  request.body = std::string(body);
  auto upload = api::ReadImageUpload(request);
  if (!upload) CheckClientError(upload.error());
  if (!header_boundary || !parts) {
    ORGD_FUZZ_CHECK(!upload && upload.error().clerk_code == "request_body_invalid");
    return 0;
  }
  const api::MultipartPart* file = nullptr;
  std::optional<std::string> uploader;
  for (const auto& part : *parts) {
    if (part.name == "file" && file == nullptr) file = &part;
    if (part.name == "uploader_user_id" && !part.data.empty()) uploader = std::string(part.data);
  }
  if (file == nullptr || file->data.empty()) {
    ORGD_FUZZ_CHECK(!upload && upload.error().clerk_code == "form_param_missing");
  } else {
    ORGD_FUZZ_CHECK(upload && upload->file == file->data);
    ORGD_FUZZ_CHECK(upload->uploader_user_id == uploader);
  }
  return 0;
}
