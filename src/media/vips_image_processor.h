// VipsImageProcessor: the ImageProcessor on libvips.
//
// libvips is initialised once per process, on first construction: untrusted loaders are blocked
// (Debian's build ships ImageMagick, PDF and SVG modules), the operation cache is off (every
// upload is new), and libvips' own worker threads are limited to one per call, because orgd
// already runs decoding on its own bounded pool (--image-workers). Warnings that libvips would
// print to stderr are dropped; failures come back as Errors.
//
// Thread safety: Normalize() may be called from several threads at once.
#pragma once

#include "media/image_processor.h"

namespace orgd::media {

class VipsImageProcessor final : public ImageProcessor {
 public:
  explicit VipsImageProcessor(ImageLimits limits);

  Result<NormalizedImage> Normalize(std::string_view input) override;

 private:
  const ImageLimits limits_;
};

// The format a file's first bytes announce, as a MIME type: one of the four accepted types, a
// best guess for common others (image/svg+xml, application/pdf, image/bmp, image/tiff,
// image/heic, image/avif), or application/octet-stream.
std::string SniffContentType(std::string_view bytes);

}  // namespace orgd::media
