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

# orgd_add_test(NAME SOURCES a_test.cc DEPS lib)
# A GoogleTest binary registered with CTest, one test per TEST().
function(orgd_add_test NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${NAME} ${ARG_SOURCES})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_include_directories(${NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(${NAME} PRIVATE ${ORGD_WARNINGS})
  gtest_discover_tests(${NAME} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
endfunction()
