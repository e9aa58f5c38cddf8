#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace parksim::cli {

namespace {

constexpr const char* kExitCodes =
    "Exit codes: 0 success, 2 usage, 3 config (scenario/mapping file), 4 input (cannot read), 5 data (invalid data),\n"
    "6 crs, 7 geometry, 8 output, 9 output exists (use --overwrite), 10 cancelled, 11 infeasible, 12 database,\n"
    "70 internal error.";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "parksim - planning and simulation engine for the Zhongguancun Life Science Park expansion and its G6/G7 "
      "innovation corridor.",
      "parksim"};
  app.footer(kExitCodes);
  app.set_version_flag("--version", "parksim 0.1.0");
  app.require_subcommand(1);

  InfoOptions info;
  auto* info_cmd = app.add_subcommand("info", "Show a plan dataset's accounting: areas by phase, zone, land use and "
                                              "status against the 7.2 km2 plan, and its problems.");
  info_cmd->add_option("DATASET", info.dataset, "plan dataset (GeoPackage, Shapefile, GeoJSON, ... any GDAL source)")
      ->required();
  info_cmd->add_option("--mapping", info.mapping, "field-mapping TOML for data with other layer/field names");
  info_cmd->add_option("--crs", info.assume_crs, "CRS of layers that have none, e.g. EPSG:4548");
  info_cmd->add_flag("--json", info.json, "machine-readable output");
  info_cmd->footer(
      "Examples:\n  parksim info geodata/zgc_life_science_park.gpkg\n"
      "  parksim info my_parcels.shp --mapping my_mapping.toml --crs EPSG:4548 --json");

  ValidateOptions validate;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Check a scenario file or a plan dataset; exits non-zero when there is an error.");
  validate_cmd->add_option("TARGET", validate.target, "scenario (.toml) or plan dataset")->required();
  validate_cmd->add_option("--mapping", validate.mapping, "field-mapping TOML (datasets only)");
  validate_cmd->add_option("--crs", validate.assume_crs, "CRS of layers that have none (datasets only)");
  validate_cmd->footer(
      "Examples:\n  parksim validate scenarios/baseline.toml\n  parksim validate geodata/zgc_life_science_park.gpkg");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_code(ErrorCode::usage);
  }

  try {
    if (*info_cmd) return run_info(info, std::cout, std::cerr);
    if (*validate_cmd) return run_validate(validate, std::cout, std::cerr);
  } catch (const Error& e) {
    std::cerr << fmt::format("parksim: error: {}\n", e.what());
    return exit_code(e.code());
  } catch (const std::exception& e) {
    std::cerr << fmt::format("parksim: internal error: {}\n", e.what());
    return exit_code(ErrorCode::internal);
  }
  return exit_code(ErrorCode::usage);
}

}  // namespace parksim::cli
