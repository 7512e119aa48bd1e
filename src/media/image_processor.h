// ImageProcessor: turns an uploaded file into a logo orgd is willing to store and serve.
//
// Thread safety: Normalize() may be called from several threads at once.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace orgd::media {

struct NormalizedImage {
  std::string bytes;         // the re-encoded image
  std::string content_type;  // image/png, image/jpeg, image/gif or image/webp
  int width = 0;
  int height = 0;
};

struct ImageLimits {
  // Images wider or taller than this are shrunk (keeping the aspect ratio) to fit.
  // Default: 1024 pixels.
  int max_dimension = 1024;
  // Images whose decoded size would exceed this many pixels are refused before decoding them
  // whole (a decompression bomb). Default: 100 million.
  int64_t max_input_pixels = 100'000'000;
};

class ImageProcessor {
 public:
  virtual ~ImageProcessor() = default;

  // Detects the format from the bytes themselves (never from a file name or a declared type),
  // decodes the image, strips every metadata block (EXIF, XMP, ICC comments, text chunks), shrinks
  // it to fit the limits and encodes it again in the same format family.
  // Returns:
  //   kBadRequest request_body_invalid when `input` is not a PNG, JPEG, GIF or WebP image, or fails
  //     to decode ("'<type>' images are not currently supported" for other types);
  //   kBadRequest request_body_invalid when the image has more pixels than max_input_pixels.
  virtual Result<NormalizedImage> Normalize(std::string_view input) = 0;
};

}  // namespace orgd::media
