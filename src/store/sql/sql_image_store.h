// SqlImageStore: images in the `images` table (migrations/sqlite, migrations/postgres).
//
// Thread safety: as the Connection it wraps (one thread at a time).
#pragma once

#include "store/image_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlImageStore final : public ImageWriter {
 public:
  // REQUIRES: `conn` outlives this object.
  explicit SqlImageStore(Connection& conn) : conn_(conn) {}

  Result<Image> Get(std::string_view id) override;
  Result<void> Insert(const Image& image) override;
  Result<void> Delete(std::string_view id) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
