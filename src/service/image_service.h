// ImageService: reads stored images for the public image endpoint.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <string>

#include "service/callback.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

class ImageService {
 public:
  // REQUIRES: `db` outlives the service.
  explicit ImageService(store::Database& db) : db_(db) {}

  // Returns the image, or kNotFound. Images are public (they are the logos' URLs): any caller.
  void Get(const RequestContext& ctx, std::string id, Callback<store::Image> done);

 private:
  store::Database& db_;
};

}  // namespace orgd::service
