// multipart/form-data bodies (RFC 7578), as Clerk's logo upload sends them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/request.h"

namespace orgd::api {

struct MultipartPart {
  std::string name;                     // the form field name from Content-Disposition
  std::optional<std::string> filename;  // present for file fields
  std::string content_type;             // the part's Content-Type, "" when absent
  std::string_view data;                // points into the body passed to ParseMultipartFormData
};

// Extracts the boundary from a Content-Type header value such as
// `multipart/form-data; boundary="----x"`. Returns nullopt when the type is not
// multipart/form-data or the boundary is missing or invalid (RFC 2046 §5.1.1: 1–70 characters).
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// Splits `body` into its parts. The returned views point into `body`, which must outlive them.
// Returns kBadRequest request_body_invalid when the body is not well-formed multipart for
// `boundary` (missing delimiter, missing closing delimiter, a part without Content-Disposition,
// header lines over 8 KiB, more than 64 parts).
Result<std::vector<MultipartPart>> ParseMultipartFormData(std::string_view boundary,
                                                          std::string_view body);

// An image upload as Clerk's logo and profile-image endpoints take it: the `file` field, and an
// optional `uploader_user_id`.
struct ImageUpload {
  std::string file;
  std::optional<std::string> uploader_user_id;
};

// Reads an ImageUpload from a multipart/form-data request. Errors: kBadRequest
// request_body_invalid when the body is not multipart/form-data; form_param_missing (400) when
// there is no non-empty `file` field.
Result<ImageUpload> ReadImageUpload(const http::Request& request);

}  // namespace orgd::api
