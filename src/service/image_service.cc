#include "service/image_service.h"

namespace orgd::service {

void ImageService::Get(std::string id, Callback<store::Image> done) {
  store::ReadAsync<store::Image>(
      db_, [id = std::move(id)](store::ReadTransaction& tx) { return tx.images().Get(id); },
      std::move(done));
}

}  // namespace orgd::service
