#include "service/image_service.h"

namespace orgd::service {

void ImageService::Get(std::string id, Callback<store::Image> done) {
  store::ReadAsync<store::Image>(
      db_, [id = std::move(id)](store::ReadTransaction& tx) { return tx.images().Get(id); },
      std::move(done));
}

void HealthService::CheckDatabase(Callback<void> done) {
  db_.Read([](store::ReadTransaction& tx) { return tx.Ping(); }, std::move(done));
}

}  // namespace orgd::service
