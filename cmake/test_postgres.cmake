# CTest fixture `postgres`: one throwaway PostgreSQL server (scripts/test-postgres.sh) for every
# test that needs one, started before the first and stopped after the last.
set(ORGD_TEST_POSTGRES_STATE ${PROJECT_BINARY_DIR}/test-postgres)
add_test(NAME postgres_start
  COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/test-postgres.sh start ${ORGD_TEST_POSTGRES_STATE})
add_test(NAME postgres_stop
  COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/test-postgres.sh stop ${ORGD_TEST_POSTGRES_STATE})
set_tests_properties(postgres_start PROPERTIES FIXTURES_SETUP postgres TIMEOUT 120)
set_tests_properties(postgres_stop PROPERTIES FIXTURES_CLEANUP postgres)
