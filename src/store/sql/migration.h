// Migration: one step of the schema history. Each store keeps its own SQL for every step in
// migrations/<store>/NNNN_name.sql (one history, written for each database) and compiles it into
// the binary with cmake/embed_migrations.cmake, so orgd needs no files at run time.
#pragma once

#include <span>
#include <string_view>

namespace orgd::store::sql {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

}  // namespace orgd::store::sql
