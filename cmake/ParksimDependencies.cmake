# Third-party dependencies, all Debian 12 packages (packages/build.txt). Imported targets keep their
# include directories SYSTEM, so our strict warnings never apply to third-party headers.
find_package(GDAL CONFIG REQUIRED)
find_package(GEOS CONFIG REQUIRED)
find_package(PROJ CONFIG REQUIRED)
find_package(Eigen3 3.4 CONFIG REQUIRED)
find_package(TBB CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(pugixml CONFIG REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# XGBoost (libxgboost-dev): boosted trees for transition potential. Its Debian CMake config also requires the
# `xgboost` command-line package, which the engine does not use: the library and header are found directly.
find_path(XGBOOST_INCLUDE_DIR xgboost/c_api.h REQUIRED)
find_library(XGBOOST_LIBRARY xgboost REQUIRED)
add_library(parksim_xgboost INTERFACE)
target_include_directories(parksim_xgboost SYSTEM INTERFACE "${XGBOOST_INCLUDE_DIR}")
target_link_libraries(parksim_xgboost INTERFACE "${XGBOOST_LIBRARY}")
find_package(NLopt CONFIG REQUIRED)     # libnlopt-cxx-dev: derivative-free calibration search
find_package(PkgConfig REQUIRED)
pkg_check_modules(CBC REQUIRED IMPORTED_TARGET cbc)

# Random123 is header-only and ships no CMake config.
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(parksim_random123 INTERFACE)
target_include_directories(parksim_random123 SYSTEM INTERFACE "${RANDOM123_INCLUDE_DIR}")
