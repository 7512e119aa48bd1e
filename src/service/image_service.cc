#include "service/image_service.h"

#include "service/transaction.h"

namespace orgd::service {

void ImageService::Get(const RequestContext&, std::string id, Callback<store::Image> done) {
  Read<store::Image>(
      db_, [id = std::move(id)](store::ReadTransaction& tx) { return tx.images().Get(id); },
      std::move(done));
}

}  // namespace orgd::service
