#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/budget.hpp"
#include "core/error.hpp"
#include "cli/interrupt.hpp"
#include "io/postgis.hpp"
#include "scenario/schema.hpp"

namespace parksim::cli {

namespace {

constexpr const char* kExitCodes =
    "Exit codes: 0 success, 2 usage, 3 config (scenario/mapping file), 4 input (cannot read), 5 data (invalid data),\n"
    "6 crs, 7 geometry, 8 output, 9 output exists (use --overwrite), 10 cancelled, 11 infeasible, 12 database,\n"
    "70 internal error.";

}  // namespace

void refuse_existing_output(const std::filesystem::path& path, bool overwrite) {
  std::error_code ec;
  if (!overwrite && std::filesystem::exists(path, ec)) {
    throw Error(ErrorCode::output_exists, "the output exists; use --overwrite to replace it",
                Context{.path = path.string()});
  }
}

std::string error_json(const Error& error) {
  nlohmann::ordered_json e;
  e["code"] = std::string(to_string(error.code()));
  e["exit_code"] = exit_code(error.code());
  e["message"] = io::mask_pg_password(error.message());
  const Context& at = error.context();
  if (!at.path.empty()) e["path"] = io::mask_pg_password(at.path);
  if (!at.layer.empty()) e["layer"] = at.layer;
  if (at.feature_id) e["feature_id"] = *at.feature_id;
  if (!at.key.empty()) e["key"] = at.key;
  if (at.line) e["line"] = *at.line;
  nlohmann::ordered_json j;
  j["ok"] = false;
  j["error"] = std::move(e);
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::filesystem::path output_folder_option(const std::filesystem::path& value, std::string_view option) {
  if (!io::is_pg_connection(value.string())) return value;
  throw Error(ErrorCode::usage,
              fmt::format("takes a folder, not a database ({}): write the run to a folder, then put its layers into "
                          "PostGIS with: parksim export FOLDER --to \"{}\"",
                          io::mask_pg_password(value.string()), io::mask_pg_password(value.string())),
              Context{.key = std::string(option)});
}

int main(int argc, char** argv) {
  CLI::App app{
      "parksim - land-change simulation and planning engine: the Zhongguancun Life Science Park expansion and its "
      "innovation corridor, or any study of land-use maps, drivers and years.",
      "parksim"};
  app.footer(kExitCodes);
  app.set_version_flag("--version", "parksim 0.1.0");
  app.require_subcommand(1);
  std::string max_memory;
  app.add_option("--max-memory", max_memory,
                 fmt::format("memory budget of every command for data sized by its input (rasters, grids, layers), "
                             "e.g. 8G or 512M; larger inputs are refused before they are read (DEFAULT half of the "
                             "physical memory, here {})",
                             format_bytes(default_memory_budget_bytes())));
  app.fallthrough();  // --max-memory may also follow the subcommand

  RunOptions run;
  std::uint64_t seed = 0;
  int runs = 0, threads = -1;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario: simulate, allocate, and write the output bundle (results.gpkg, "
                                            "rasters, indicators, report/index.html, manifest.json).");
  run_cmd->add_option("SCENARIO", run.scenario, "scenario file (TOML)")->required();
  run_cmd->add_option("--out", run.out, "output folder (DEFAULT out/<scenario name>)");
  auto* seed_opt = run_cmd->add_option("--seed", seed, "seed of every random stream (overrides the scenario)");
  auto* runs_opt = run_cmd->add_option("--runs", runs, "Monte Carlo runs (overrides the scenario)")->check(CLI::PositiveNumber);
  auto* threads_opt =
      run_cmd->add_option("--threads", threads, "worker threads, 0 = all cores (results do not depend on it)")
          ->check(CLI::NonNegativeNumber);
  int end_year = 0;
  auto* end_opt = run_cmd->add_option("--end", end_year, "last simulated year (overrides years.end)");
  run_cmd->add_option("--format", run.formats, "extra vector formats: shp,fgb,geojson (gpkg is always written)");
  run_cmd->add_flag("--overwrite", run.overwrite, "replace an existing output folder");
  run_cmd->add_flag("--quiet", run.quiet, "no progress on stderr");
  run_cmd->add_flag("--json", run.json, "print the summary as JSON on stdout (errors too)");
  run_cmd->footer(
      "Examples:\n  parksim run scenarios/baseline.toml\n"
      "  parksim run scenarios/line19_2029.toml --out out/l19 --runs 20 --seed 7 --format shp,geojson\n"
      "  parksim run scenarios/slow_growth.toml --json > slow.json\n"
      "Progress goes to stderr (a bar on a terminal, plain lines otherwise); the summary to stdout.");

  InfoOptions info;
  auto* info_cmd = app.add_subcommand("info", "Show a plan dataset's accounting (areas by phase, zone, land use and "
                                              "status against the 7.2 km2 plan, and its problems), or what a run's "
                                              "output folder holds.");
  info_cmd->add_option("DATASET", info.dataset,
                       "plan dataset (GeoPackage, Shapefile, GeoJSON, ... any GDAL source) or a `parksim run` output "
                       "folder")
      ->required();
  info_cmd->add_option("--mapping", info.mapping, "field-mapping TOML for data with other layer/field names");
  info_cmd->add_option("--crs", info.assume_crs, "CRS of layers that have none, e.g. EPSG:4548");
  info_cmd->add_flag("--json", info.json, "machine-readable output");
  info_cmd->footer(
      "Examples:\n  parksim info geodata/zgc_life_science_park.gpkg\n  parksim info out/baseline --json\n"
      "  parksim info my_parcels.shp --mapping my_mapping.toml --crs EPSG:4548 --json");

  ValidateOptions validate;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Check a scenario file or a plan dataset; exits non-zero when there is an error.");
  validate_cmd->add_option("TARGET", validate.target, "scenario (.toml) or plan dataset")->required();
  validate_cmd->add_option("--mapping", validate.mapping, "field-mapping TOML (datasets only)");
  validate_cmd->add_option("--crs", validate.assume_crs, "CRS of layers that have none (datasets only)");
  validate_cmd->add_flag("--json", validate.json, "print the verdict and the problems as JSON on stdout (errors too)");
  validate_cmd->footer(
      "Examples:\n  parksim validate scenarios/baseline.toml\n  parksim validate geodata/zgc_life_science_park.gpkg\n"
      "  parksim validate scenarios/line19_2029.toml --json");

  ExportOptions export_options;
  auto* export_cmd = app.add_subcommand(
      "export", "Export a run's layers (results.gpkg) to a folder in one format, or to PostGIS in one transaction.");
  export_cmd->add_option("OUTDIR", export_options.bundle, "output folder of parksim run")->required();
  export_cmd->add_option("--format", export_options.format, "gpkg, shp, fgb or geojson (folders; not with PG:)");
  export_cmd->add_option("--to", export_options.to, "destination folder, or a PG: connection string")->required();
  export_cmd->add_flag("--overwrite", export_options.overwrite, "replace an existing folder or existing tables");
  export_cmd->footer(
      "Examples:\n  parksim export out/baseline --format shp --to out/baseline_shp\n"
      "  parksim export out/baseline --to \"PG:dbname=parks host=localhost user=planner\" --overwrite\n"
      "PostGIS: every layer (and its QGIS style in layer_styles) in ONE transaction; on any failure nothing is "
      "left.\nA password in the connection string is never printed; PGPASSWORD or ~/.pgpass also work.\n"
      "Shapefiles: text longer than the DBF limit of 254 bytes is cut to fit, with a warning per field.");

  CompareOptions compare;
  auto* compare_cmd = app.add_subcommand(
      "compare", "Compare runs side by side: indicators of each run and their difference from the first run.");
  compare_cmd->add_option("OUTDIR", compare.bundles, "output folders of parksim run (at least 2; the first is "
                                                     "the reference)")->required();
  compare_cmd->add_option("--out", compare.out, "folder for index.html and comparison.csv")->required();
  compare_cmd->add_flag("--overwrite", compare.overwrite, "replace an existing folder");
  compare_cmd->footer("Examples:\n  parksim compare out/baseline out/l19 --out out/compare\n"
                      "  parksim compare out/a out/b out/c --out out/abc --overwrite");

  CalibrateOptions calibrate;
  auto* calibrate_cmd = app.add_subcommand(
      "calibrate", "Calibrate a study from its land-use maps of two or more dates: fit suitability on observed change, "
                   "tune the simulation, validate against persistence, and write calibrated.toml - a complete "
                   "scenario that `parksim run` forecasts with.");
  calibrate_cmd->add_option("SCENARIO", calibrate.scenario,
                            "study scenario ([study.maps] of two or more years, [drivers.*]); or give --map instead");
  calibrate_cmd->add_option("--map", calibrate.maps,
                            "YEAR=PATH of a class raster (any GDAL format; repeat, >= 2), instead of a scenario");
  calibrate_cmd->add_option("--driver", calibrate.drivers, "with --map: NAME=PATH of a value driver raster (repeat)");
  calibrate_cmd->add_option("--exclude", calibrate.exclude, "with --map: raster of excluded cells (non-zero never changes)");
  calibrate_cmd->add_option("--crs", calibrate.assume_crs, "with --map: CRS of rasters that have none, e.g. EPSG:4548");
  calibrate_cmd->add_option("--runs-per-eval", calibrate.runs_per_evaluation, "simulations per evaluation (DEFAULT 4)")
      ->check(CLI::PositiveNumber);
  calibrate_cmd->add_option("--budget", calibrate.budget, "most evaluations of the search (DEFAULT 40)")
      ->check(CLI::PositiveNumber);
  std::uint64_t calibrate_seed = 1;
  auto* calibrate_seed_opt =
      calibrate_cmd->add_option("--seed", calibrate_seed, "seed of the samples and simulations (DEFAULT: the scenario's)");
  calibrate_cmd->add_option("--learner", calibrate.learner,
                            "transition-potential learner: auto (best out-of-sample AUC), logistic, spline, boosted")
      ->check(CLI::IsMember({"auto", "logistic", "spline", "boosted"}));
  calibrate_cmd->add_option("--pattern-weight", calibrate.pattern_weight,
                            "weight of the change-pattern term of the tuning objective FoM - w x pattern mismatch "
                            "(DEFAULT 0: Figure of Merit only)")
      ->check(CLI::Range(0.0, 100.0));
  calibrate_cmd->add_option("--search", calibrate.search,
                            "search of the [sim] parameters: compass (DEFAULT), sbplx or bobyqa (NLopt)")
      ->check(CLI::IsMember({"compass", "sbplx", "bobyqa"}));
  calibrate_cmd->add_option("--patches", calibrate.patches,
                            "new patches: observed (DEFAULT: share and sizes inferred from the fitting interval, "
                            "organic growth at the edges) or search (searched with the other parameters)")
      ->check(CLI::IsMember({"observed", "search"}));
  calibrate_cmd->add_option("--class-keys", calibrate.class_keys,
                            "with --map: the class key of each code, comma-separated from code 0");
  calibrate_cmd->add_option("--out", calibrate.out, "folder for calibrated.toml and calibration_metrics.csv")
      ->required();
  calibrate_cmd->add_flag("--overwrite", calibrate.overwrite, "replace existing calibration files");
  calibrate_cmd->footer(
      "Examples:\n  parksim calibrate my_study.toml --out out/calib && parksim run out/calib/calibrated.toml --end 2030\n"
      "  parksim calibrate --map 2005=lu_2005.tif --map 2010=lu_2010.tif --driver slope_deg=slope.tif --out out/calib\n"
      "With --map, the study is those maps with one value driver per --driver and the distance to each class\n"
      "(dist_class_<key>_m, updated every simulated year).");

  SkillCommandOptions skill;
  auto* skill_cmd = app.add_subcommand(
      "skill", "Measure a study model's skill on a held-out map: calibrate on the maps before it, forecast it from the "
               "last map before it, and score the expected map of the ensemble next to persistence and the proximity "
               "null, at the model's own quantity and (diagnosis) at the observed one.");
  skill_cmd->add_option("SCENARIO", skill.scenario, "study scenario ([study.maps] of three or more years, [drivers.*])")
      ->required();
  skill_cmd->add_option("--holdout", skill.holdout_year, "year of the map to forecast and score (one of the maps)")
      ->required();
  skill_cmd->add_option("--runs", skill.runs, "forecast ensemble runs (DEFAULT 10)")->check(CLI::Range(1, 65535));
  std::uint64_t skill_seed = 1;
  auto* skill_seed_opt = skill_cmd->add_option("--seed", skill_seed, "seed of every random stream (DEFAULT: the scenario's)");
  int skill_threads = 0;
  auto* skill_threads_opt =
      skill_cmd->add_option("--threads", skill_threads, "worker threads, 0 = all cores (results do not depend on it)")
          ->check(CLI::NonNegativeNumber);
  skill_cmd->add_option("--runs-per-eval", skill.runs_per_evaluation, "calibration: simulations per evaluation (DEFAULT 4)")
      ->check(CLI::PositiveNumber);
  skill_cmd->add_option("--budget", skill.budget, "calibration: most evaluations of the search (DEFAULT 40)")
      ->check(CLI::PositiveNumber);
  skill_cmd->add_option("--learner", skill.learner, "calibration: auto, logistic, spline, boosted")
      ->check(CLI::IsMember({"auto", "logistic", "spline", "boosted"}));
  skill_cmd->add_option("--search", skill.search, "calibration: compass (DEFAULT), sbplx or bobyqa (NLopt)")
      ->check(CLI::IsMember({"compass", "sbplx", "bobyqa"}));
  skill_cmd->add_option("--pattern-weight", skill.pattern_weight,
                        "calibration: weight of the change-pattern term of the objective (DEFAULT 0: FoM only)")
      ->check(CLI::Range(0.0, 100.0));
  skill_cmd->add_option("--patches", skill.patches, "calibration: new patches observed (DEFAULT) or search")
      ->check(CLI::IsMember({"observed", "search"}));
  skill_cmd->add_option("--out", skill.out, "folder for skill.csv, expected_map.tif and calibrated.toml")->required();
  skill_cmd->add_flag("--overwrite", skill.overwrite, "replace existing files");
  skill_cmd->footer(
      "Examples:\n  parksim skill pie.toml --holdout 1999 --out out/skill\n"
      "  parksim skill my_study.toml --holdout 2020 --runs 20 --seed 7 --threads 2 --out out/skill --overwrite\n"
      "skill.csv has one row per model (parksim, persistence, proximity) x quantity (own, observed) x measure.");

  OptimizeCommandOptions optimize;
  auto* optimize_cmd = app.add_subcommand(
      "optimize", "Search the plan: trade-offs between the objectives of a scenario's [optimize] table (levers with "
                  "bounds, indicator objectives and constraints), NSGA-II or MOEA/D over ensembles of runs");
  optimize_cmd->add_option("SCENARIO", optimize.scenario, "scenario with an [optimize] table")
      ->required();
  optimize_cmd->add_option("--out", optimize.out, "output folder (DEFAULT out/<scenario name>-optimize)");
  std::uint64_t optimize_seed = 1;
  auto* optimize_seed_opt =
      optimize_cmd->add_option("--seed", optimize_seed, "seed of the search and of every run (DEFAULT: the scenario's)");
  int optimize_threads = 0;
  auto* optimize_threads_opt =
      optimize_cmd
          ->add_option("--threads", optimize_threads, "worker threads, 0 = all cores (the front does not depend on it)")
          ->check(CLI::Range(0, 1024));
  int optimize_generations = 10;
  auto* optimize_generations_opt =
      optimize_cmd->add_option("--generations", optimize_generations, "generations (DEFAULT optimize.generations)")
          ->check(CLI::Range(1, 100000));
  int optimize_population = 24;
  auto* optimize_population_opt =
      optimize_cmd->add_option("--population", optimize_population, "settings per generation (DEFAULT optimize.population)")
          ->check(CLI::Range(4, 100000));
  int optimize_runs = 1;
  auto* optimize_runs_opt =
      optimize_cmd->add_option("--runs", optimize_runs, "ensemble runs per evaluation (DEFAULT optimize.runs)")
          ->check(CLI::Range(1, 10000));
  std::string optimize_algorithm;
  auto* optimize_algorithm_opt =
      optimize_cmd->add_option("--algorithm", optimize_algorithm, "nsga2 or moead (DEFAULT optimize.algorithm)")
          ->check(CLI::IsMember({"nsga2", "moead"}));
  optimize_cmd->add_flag("--overwrite", optimize.overwrite, "replace an existing output folder");
  optimize_cmd->add_flag("-q,--quiet", optimize.quiet, "no progress on stderr");
  optimize_cmd->footer(
      "Examples:\n  parksim optimize scenarios/optimize_zones.toml --out out/optimize\n"
      "  parksim optimize scenarios/optimize_zones.toml --generations 20 --population 32 --threads 2 --out out/opt "
      "--overwrite\n"
      "Writes pareto.csv, pareto.gpkg, history.csv (hypervolume by generation), solutions/solution_NN.toml (each runs "
      "with `parksim run`) and report/index.html.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_code(ErrorCode::usage);
  }

  try {
    if (!max_memory.empty()) {
      const std::uint64_t bytes = parse_bytes(max_memory);
      if (bytes == 0) {
        throw Error(ErrorCode::usage,
                    fmt::format("'{}' is not a size; give bytes with a unit, e.g. 8G or 512M", max_memory),
                    Context{.key = "--max-memory"});
      }
      set_memory_budget_bytes(bytes);
    }
    if (*run_cmd) {
      if (*seed_opt) {
        const double max_seed = scenario::scenario_schema().find("seed")->info.max;
        if (static_cast<double>(seed) > max_seed) {
          throw Error(ErrorCode::usage,
                      fmt::format("must be between 0 and {:.0f}, got {}", max_seed, seed),
                      Context{.key = "--seed"});
        }
        run.seed = seed;
      }
      if (*runs_opt) run.runs = runs;
      if (*threads_opt) run.threads = threads;
      if (*end_opt) run.end_year = end_year;
      return run_run(run, std::cout, std::cerr);
    }
    if (*info_cmd) return run_info(info, std::cout, std::cerr);
    if (*calibrate_cmd) {
      if (*calibrate_seed_opt) calibrate.seed = calibrate_seed;
      return run_calibrate(calibrate, std::cout, std::cerr);
    }
    if (*skill_cmd) {
      if (*skill_seed_opt) skill.seed = skill_seed;
      if (*skill_threads_opt) skill.threads = skill_threads;
      return run_skill(skill, std::cout, std::cerr);
    }
    if (*optimize_cmd) {
      if (*optimize_seed_opt) optimize.seed = optimize_seed;
      if (*optimize_threads_opt) optimize.threads = optimize_threads;
      if (*optimize_generations_opt) optimize.generations = optimize_generations;
      if (*optimize_population_opt) optimize.population = optimize_population;
      if (*optimize_runs_opt) optimize.runs = optimize_runs;
      if (*optimize_algorithm_opt) optimize.algorithm = optimize_algorithm;
      return run_optimize(optimize, std::cout, std::cerr);
    }
    if (*export_cmd) return run_export(export_options, std::cout, std::cerr);
    if (*compare_cmd) return run_compare(compare, std::cout, std::cerr);
    if (*validate_cmd) return run_validate(validate, std::cout, std::cerr);
  } catch (const Error& e) {
    const bool json = (*run_cmd && run.json) || (*validate_cmd && validate.json) || (*info_cmd && info.json);
    if (json) std::cout << error_json(e);
    if (e.code() == ErrorCode::cancelled && interrupt_signal() != 0) {
      std::cerr << fmt::format("parksim: interrupted by {}: stopped; nothing was written and any previous output is "
                               "as it was\n",
                               interrupt_signal() == SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM");
      return exit_code(ErrorCode::cancelled);
    }
    std::string message = e.what();
    // Every command that writes refuses to replace what exists; say how to replace it.
    if (e.code() == ErrorCode::output_exists && message.find("--overwrite") == std::string::npos) {
      message += " (use --overwrite to replace it)";
    }
    // Connection strings may reach a message through a path; their passwords never reach the terminal.
    std::cerr << fmt::format("parksim: error: {}\n", io::mask_pg_password(message));
    return exit_code(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << fmt::format("parksim: error: out of memory; the input needs more memory than this machine has "
                             "free (the memory budget is {}; see --max-memory): crop the inputs or use coarser "
                             "cells\n",
                             format_bytes(memory_budget_bytes()));
    return exit_code(ErrorCode::data);
  } catch (const std::exception& e) {
    std::cerr << fmt::format("parksim: internal error: {}\n", io::mask_pg_password(e.what()));
    return exit_code(ErrorCode::internal);
  }
  return exit_code(ErrorCode::usage);
}

}  // namespace parksim::cli
