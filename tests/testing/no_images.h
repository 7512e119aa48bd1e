// NoImages: an ImageProcessor for service tests that upload no images (every call fails).
#pragma once

#include <string_view>

#include "domain/errors.h"
#include "media/image_processor.h"

namespace orgd::testing {

class NoImages final : public media::ImageProcessor {
 public:
  Result<media::NormalizedImage> Normalize(std::string_view) override {
    return errors::Internal("no images in this test");
  }
};

}  // namespace orgd::testing
