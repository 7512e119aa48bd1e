// Stored images (organization logos; later user profile images), served by orgd itself.
//
// Thread safety: an ImageReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace orgd::store {

struct Image {
  std::string id;            // img_…
  std::string owner_id;      // the organization (or user) the image belongs to
  std::string content_type;  // image/png, image/jpeg, image/gif or image/webp
  std::string bytes;
  int64_t created_at = 0;  // ms since the epoch
};

class ImageReader {
 public:
  virtual ~ImageReader() = default;
  // Returns kNotFound when no image has this ID.
  virtual Result<Image> Get(std::string_view id) = 0;
};

class ImageWriter : public ImageReader {
 public:
  // Returns kUniqueViolation when the ID is taken.
  virtual Result<void> Insert(const Image& image) = 0;
  // Deleting an image that does not exist is not an error (logo replacement is idempotent).
  virtual Result<void> Delete(std::string_view id) = 0;
};

}  // namespace orgd::store
