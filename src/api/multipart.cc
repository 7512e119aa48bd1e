#include "api/multipart.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "domain/errors.h"

namespace orgd::api {
namespace {

constexpr size_t kMaxPartHeaderBytes = 8 * 1024;
constexpr size_t kMaxParts = 64;
constexpr size_t kMaxBoundaryLength = 70;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A header value of the form `token *( ";" name "=" ( token / quoted-string ) )`, as in
// Content-Type (RFC 9110 §5.6.6) and Content-Disposition (RFC 6266).
struct HeaderValue {
  std::string_view token;
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string_view> Param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (http::EqualsIgnoreCase(key, name)) return std::string_view(value);
    }
    return std::nullopt;
  }
};

std::optional<HeaderValue> ParseHeaderValue(std::string_view s) {
  HeaderValue out;
  size_t semi = s.find(';');
  out.token = Trim(s.substr(0, semi));
  s = semi == std::string_view::npos ? std::string_view{} : s.substr(semi + 1);
  while (true) {
    s = Trim(s);
    if (s.empty()) return out;
    size_t eq = s.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string name(Trim(s.substr(0, eq)));
    if (name.empty()) return std::nullopt;
    s = Trim(s.substr(eq + 1));
    std::string value;
    if (!s.empty() && s.front() == '"') {
      size_t i = 1;
      for (; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value.push_back(s[i]);
      }
      if (i >= s.size()) return std::nullopt;  // unterminated quoted string
      s.remove_prefix(i + 1);
      s = Trim(s);
      if (!s.empty() && s.front() != ';') return std::nullopt;
    } else {
      size_t end = s.find(';');
      value = std::string(Trim(s.substr(0, end)));
      s = end == std::string_view::npos ? std::string_view{} : s.substr(end);
    }
    if (!s.empty()) s.remove_prefix(1);  // the ';'
    out.params.emplace_back(std::move(name), std::move(value));
  }
}

bool IsBoundaryChar(char c) {
  // RFC 2046 §5.1.1 bchars.
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

Error Malformed(std::string_view why) {
  return errors::RequestBodyInvalid(
      "The multipart/form-data body is malformed: " + std::string(why) + ".");
}

// Parses the header block of one part (lines separated by CRLF, without the blank line).
Result<MultipartPart> ParsePartHeaders(std::string_view headers) {
  MultipartPart part;
  bool has_disposition = false;
  while (!headers.empty()) {
    size_t end = headers.find("\r\n");
    std::string_view line = headers.substr(0, end);
    headers = end == std::string_view::npos ? std::string_view{} : headers.substr(end + 2);
    // A field line holds no control characters but HTAB (RFC 9110 §5.5): a lone CR or LF, or one
    // escaped in a quoted-string, would otherwise reach a field name or a stored content type.
    if (std::any_of(line.begin(), line.end(), [](char c) {
          return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
        })) {
      return Malformed("a part header holds a control character");
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("a part header line has no colon");
    std::string_view name = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (http::EqualsIgnoreCase(name, "content-disposition")) {
      auto parsed = ParseHeaderValue(value);
      if (!parsed || !http::EqualsIgnoreCase(parsed->token, "form-data")) {
        return Malformed("a part's Content-Disposition is not form-data");
      }
      auto field = parsed->Param("name");
      if (!field) return Malformed("a part's Content-Disposition has no name");
      part.name = std::string(*field);
      if (auto filename = parsed->Param("filename")) part.filename = std::string(*filename);
      has_disposition = true;
    } else if (http::EqualsIgnoreCase(name, "content-type")) {
      part.content_type = std::string(value);
    }
  }
  if (!has_disposition) return Malformed("a part has no Content-Disposition header");
  return part;
}

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  auto parsed = ParseHeaderValue(content_type);
  if (!parsed || !http::EqualsIgnoreCase(parsed->token, "multipart/form-data")) return std::nullopt;
  auto boundary = parsed->Param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryLength ||
      boundary->back() == ' ' || !std::all_of(boundary->begin(), boundary->end(), IsBoundaryChar)) {
    return std::nullopt;
  }
  return std::string(*boundary);
}

Result<std::vector<MultipartPart>> ParseMultipartFormData(std::string_view boundary,
                                                          std::string_view body) {
  const std::string delimiter = "--" + std::string(boundary);
  // The body starts with the first delimiter, optionally after a preamble that ends in CRLF.
  size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = 0;
  } else {
    pos = body.find("\r\n" + delimiter);
    if (pos == std::string_view::npos) return Malformed("the boundary never appears");
    pos += 2;
  }
  const std::string next_delimiter = "\r\n" + delimiter;
  std::vector<MultipartPart> parts;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the close delimiter; the epilogue is ignored
    // Transport padding (spaces/tabs) may follow a delimiter before its CRLF.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return Malformed("a boundary line does not end in CRLF");
    pos += 2;
    if (parts.size() == kMaxParts) {
      return Malformed("more than " + std::to_string(kMaxParts) + " parts");
    }
    size_t headers_end;
    if (body.substr(pos, 2) == "\r\n") {
      headers_end = pos;  // no headers at all
    } else {
      headers_end = body.find("\r\n\r\n", pos);
      if (headers_end == std::string_view::npos || headers_end - pos > kMaxPartHeaderBytes) {
        if (headers_end == std::string_view::npos && body.size() - pos <= kMaxPartHeaderBytes) {
          return Malformed("a part's headers never end");
        }
        return Malformed("a part's headers exceed 8 KiB");
      }
    }
    auto part = ParsePartHeaders(body.substr(pos, headers_end - pos));
    if (!part) return part.error();
    size_t data_begin = headers_end + (headers_end == pos ? 2 : 4);
    size_t data_end = body.find(next_delimiter, data_begin);
    if (data_end == std::string_view::npos) return Malformed("the closing boundary is missing");
    part->data = body.substr(data_begin, data_end - data_begin);
    parts.push_back(std::move(*part));
    pos = data_end + 2;
  }
}

Result<ImageUpload> ReadImageUpload(const http::Request& request) {
  auto boundary = MultipartBoundary(request.Header("content-type"));
  if (!boundary) {
    return errors::RequestBodyInvalid(
        "The image must be sent as multipart/form-data with the image in a field named file.");
  }
  auto parts = ParseMultipartFormData(*boundary, request.body);
  if (!parts) return parts.error();
  ImageUpload upload;
  bool has_file = false;
  for (const auto& part : *parts) {
    if (part.name == "file" && !has_file) {
      has_file = true;
      upload.file = std::string(part.data);
    } else if (part.name == "uploader_user_id" && !part.data.empty()) {
      upload.uploader_user_id = std::string(part.data);
    }
  }
  if (upload.file.empty()) return errors::ImageMissing();
  return upload;
}

}  // namespace orgd::api
