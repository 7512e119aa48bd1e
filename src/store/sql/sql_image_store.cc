#include "store/sql/sql_image_store.h"

#include "store/store_errors.h"

namespace orgd::store::sql {

Result<Image> SqlImageStore::Get(std::string_view id) {
  auto stmt = conn_.Prepare(
      "SELECT id, owner_id, content_type, bytes, created_at FROM images WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("image");
  Image image;
  image.id = stmt->Text(0);
  image.owner_id = stmt->Text(1);
  image.content_type = stmt->Text(2);
  image.bytes = stmt->Blob(3);
  image.created_at = stmt->Int(4);
  return image;
}

Result<void> SqlImageStore::Insert(const Image& image) {
  auto stmt = conn_.Prepare(
      "INSERT INTO images (id, owner_id, content_type, bytes, created_at) VALUES (?1, ?2, ?3, ?4, "
      "?5)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, image.id);
  stmt->Bind(2, image.owner_id);
  stmt->Bind(3, image.content_type);
  stmt->BindBlob(4, image.bytes);
  stmt->Bind(5, image.created_at);
  return stmt->Run();
}

Result<void> SqlImageStore::Delete(std::string_view id) {
  auto stmt = conn_.Prepare("DELETE FROM images WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  return stmt->Run();
}

}  // namespace orgd::store::sql
