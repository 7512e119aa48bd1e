#include "store/postgres/dialect.h"

#include <gtest/gtest.h>

namespace orgd::store::postgres {
namespace {

TEST(DialectTest, NumbersPlaceholdersDenselyInOrderOfFirstUse) {
  TranslatedSql t =
      TranslateToPostgres("SELECT a FROM t WHERE b = ?3 AND c = ?3 LIMIT ?5 OFFSET ?6");
  EXPECT_EQ(t.text, "SELECT a FROM t WHERE b = $1 AND c = $1 LIMIT $2 OFFSET $3");
  EXPECT_EQ(t.parameter_count, 3);
  ASSERT_EQ(t.parameter_of.size(), 7u);
  EXPECT_EQ(t.parameter_of[1], 0);  // never used: its value is dropped
  EXPECT_EQ(t.parameter_of[3], 1);
  EXPECT_EQ(t.parameter_of[5], 2);
  EXPECT_EQ(t.parameter_of[6], 3);
}

TEST(DialectTest, BarePlaceholdersTakeTheNextNumber) {
  TranslatedSql t = TranslateToPostgres("x = ? AND y = ? AND z = ?");
  EXPECT_EQ(t.text, "x = $1 AND y = $2 AND z = $3");
}

TEST(DialectTest, LikeIgnoresCaseAndJsonListsBecomeRows) {
  TranslatedSql t = TranslateToPostgres(
      "name LIKE ?2 ESCAPE '\\' AND id IN (SELECT value FROM json_each(?1)) AND unlikely = 1");
  EXPECT_EQ(t.text,
            "name ILIKE $1 ESCAPE '\\' AND id IN (SELECT value FROM "
            "json_array_elements_text($2::json)) AND unlikely = 1");
}

TEST(DialectTest, OrdersNullsLowestAsSqliteDoes) {
  EXPECT_EQ(TranslateToPostgres("ORDER BY a ASC, id ASC").text,
            "ORDER BY a ASC NULLS FIRST, id ASC NULLS FIRST");
  EXPECT_EQ(TranslateToPostgres("ORDER BY a DESC, description DESC").text,
            "ORDER BY a DESC NULLS LAST, description DESC NULLS LAST");
}

TEST(DialectTest, LeavesLiteralsAndQuotedIdentifiersAlone) {
  TranslatedSql t =
      TranslateToPostgres("SELECT 'what? LIKE it''s ?1', \"LIKE?\" FROM t WHERE a = ?1");
  EXPECT_EQ(t.text, "SELECT 'what? LIKE it''s ?1', \"LIKE?\" FROM t WHERE a = $1");
}

}  // namespace
}  // namespace orgd::store::postgres
