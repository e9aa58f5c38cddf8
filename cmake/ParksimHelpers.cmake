# Flags for parksim's own code only, carried by an interface target (never set globally).
add_library(parksim_dev_flags INTERFACE)
target_compile_options(parksim_dev_flags INTERFACE
  -Wall -Wextra -Wpedantic
  # GCC 12 warns on C++20 designated initializers that leave members at their defaults (GCC PR 96868),
  # which is exactly how Context{.path = ...} is meant to be used. Other missing initializers are
  # caught by -Wuninitialized / -Wmaybe-uninitialized and the sanitizer build.
  -Wno-missing-field-initializers
  -ffp-contract=off          # no fused multiply-add: same floating-point results on every build
  $<$<BOOL:${PARKSIM_WERROR}>:-Werror>)

add_library(parksim_sanitize INTERFACE)
if(PARKSIM_SANITIZE)
  target_compile_options(parksim_sanitize INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(parksim_sanitize INTERFACE -fsanitize=address,undefined)
endif()
if(PARKSIM_FUZZ)
  # Coverage feedback for libFuzzer in every engine library; the fuzz targets link the fuzzer's main.
  target_compile_options(parksim_sanitize INTERFACE -fsanitize=fuzzer-no-link)
endif()

# parksim_add_module(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Creates library target parksim_<name> (alias parksim::<name>) with engine/ as its include root,
# so headers are included as "<name>/<header>.hpp".
function(parksim_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(parksim_${name} STATIC ${ARG_SOURCES})
  add_library(parksim::${name} ALIAS parksim_${name})
  target_include_directories(parksim_${name} PUBLIC "${PROJECT_SOURCE_DIR}/engine")
  target_link_libraries(parksim_${name}
    PUBLIC ${ARG_PUBLIC_DEPS} parksim_sanitize
    PRIVATE ${ARG_PRIVATE_DEPS} parksim_dev_flags)
endfunction()

# parksim_add_test(<name> SOURCES ... DEPS ... [LABELS ...])
# A GoogleTest executable whose TESTs are registered with CTest one by one (label "unit" by default).
function(parksim_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main
                                        parksim_dev_flags parksim_sanitize)
  target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests/unit")  # shared test helpers
  target_compile_definitions(${name} PRIVATE
    PARKSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PARKSIM_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()
