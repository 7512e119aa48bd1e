// SqliteImageStore: images in the `images` table (migrations/sqlite).
//
// Thread safety: as the Connection it wraps (one thread at a time).
#pragma once

#include "store/image_store.h"
#include "store/sqlite/connection.h"

namespace orgd::store::sqlite {

class SqliteImageStore final : public ImageWriter {
 public:
  // REQUIRES: `conn` outlives this object.
  explicit SqliteImageStore(Connection& conn) : conn_(conn) {}

  Result<Image> Get(std::string_view id) override;
  Result<void> Insert(const Image& image) override;
  Result<void> Delete(std::string_view id) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sqlite
