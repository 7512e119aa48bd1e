# Helpers shared by every CMakeLists in orgd.

include(GoogleTest)

# orgd_add_library(NAME SOURCES a.cc b.cc DEPS lib1 lib2)
# One static library per layer; DEPS encodes the allowed dependencies (docs/architecture.md).
function(orgd_add_library NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${NAME} STATIC ${ARG_SOURCES})
  target_include_directories(${NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${NAME} PUBLIC ${ARG_DEPS})
  target_compile_options(${NAME} PRIVATE ${ORGD_WARNINGS})
endfunction()

# orgd_add_test(NAME SOURCES a_test.cc DEPS lib [POSTGRES])
# A GoogleTest binary registered with CTest, one test per TEST(). POSTGRES: its tests use the
# throwaway PostgreSQL server of the CTest fixture `postgres` (tests/testing/postgres.h).
function(orgd_add_test NAME)
  cmake_parse_arguments(ARG "POSTGRES" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${NAME} ${ARG_SOURCES})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_include_directories(${NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(${NAME} PRIVATE ${ORGD_WARNINGS})
  set(properties TIMEOUT 120)
  if(ARG_POSTGRES)
    target_compile_definitions(${NAME} PRIVATE
      ORGD_TEST_POSTGRES_STATE="${ORGD_TEST_POSTGRES_STATE}")
    target_link_libraries(${NAME} PRIVATE PostgreSQL::PostgreSQL)
    list(APPEND properties FIXTURES_REQUIRED postgres)
  endif()
  gtest_discover_tests(${NAME} DISCOVERY_TIMEOUT 60 PROPERTIES ${properties})
endfunction()

