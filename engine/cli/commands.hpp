#pragma once
// The `parksim` command's subcommands. Each returns the process exit code; errors are parksim::Error, which
// main() prints to stderr and maps to the stable exit codes (core/error.hpp). Output for people goes to stdout;
// diagnostics and progress to stderr.

#include <filesystem>
#include <iosfwd>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/progress.hpp"

namespace parksim::cli {

struct InfoOptions {
  std::filesystem::path dataset;
  std::filesystem::path mapping;  ///< field-mapping TOML; empty = identity
  std::string assume_crs;         ///< --crs: CRS of layers that have none
  bool json = false;
};
int run_info(const InfoOptions& options, std::ostream& out, std::ostream& err);

struct ValidateOptions {
  std::filesystem::path target;   ///< a scenario (.toml) or a dataset
  std::filesystem::path mapping;
  std::string assume_crs;
  bool json = false;              ///< the verdict as one JSON document on stdout
};
int run_validate(const ValidateOptions& options, std::ostream& out, std::ostream& err);

struct RunOptions {
  std::filesystem::path scenario;
  std::filesystem::path out;          ///< DEFAULT out/<scenario name>
  std::optional<std::uint64_t> seed;  ///< overrides the scenario's seed
  std::optional<int> runs;
  std::optional<int> threads;
  std::optional<int> end_year;        ///< overrides years.end
  std::string formats;                ///< comma-separated; DEFAULT: the scenario's outputs.formats
  bool overwrite = false;
  bool quiet = false;
  bool json = false;                  ///< the summary as one JSON document on stdout
};
int run_run(const RunOptions& options, std::ostream& out, std::ostream& err);

struct ExportOptions {
  std::filesystem::path bundle;  ///< a `parksim run` output folder
  std::string format;            ///< gpkg, shp, fgb, geojson (folder destinations)
  std::string to;                ///< a folder, or a "PG:..." connection string
  bool overwrite = false;
};
int run_export(const ExportOptions& options, std::ostream& out, std::ostream& err);

struct CompareOptions {
  std::vector<std::filesystem::path> bundles;  ///< at least 2 output folders; the first is the reference
  std::filesystem::path out;
  bool overwrite = false;
};
int run_compare(const CompareOptions& options, std::ostream& out, std::ostream& err);

struct CalibrateOptions {
  std::filesystem::path scenario;    ///< a study scenario; or, empty, the study of `maps`
  std::vector<std::string> maps;     ///< "YEAR=PATH" or "PATH" with the year in the file name; at least 2
  std::vector<std::string> drivers;  ///< "NAME=PATH"
  std::filesystem::path exclude;     ///< optional: non-zero cells never change
  std::string assume_crs;            ///< --crs: CRS of rasters that have none
  int runs_per_evaluation = 4;
  int budget = 40;
  std::optional<std::uint64_t> seed;  ///< DEFAULT the scenario's seed (1 with --map)
  std::string learner = "auto";      ///< --learner: auto, logistic, spline, boosted
  std::string search = "compass";    ///< --search: compass, sbplx, bobyqa
  double pattern_weight = 0.0;       ///< --pattern-weight of the objective's change-pattern term; 0 = FoM only
  std::string patches = "observed";  ///< --patches: observed (measured share and sizes) or search
  std::string class_keys;            ///< --class-keys: "key0,key1,..." by class code (empty: class_<k>)
  std::filesystem::path out;
  bool overwrite = false;
};
int run_calibrate(const CalibrateOptions& options, std::ostream& out, std::ostream& err);

/// Error(output_exists) naming `path` and --overwrite when `path` exists and `overwrite` is false: commands refuse
/// before doing any work, and the existing output stays untouched.
void refuse_existing_output(const std::filesystem::path& path, bool overwrite);

/// An Error as the JSON document the --json commands print on stdout when they fail:
/// {"ok": false, "error": {"code", "exit_code", "message", "path", "layer", "feature_id", "key", "line"}}.
std::string error_json(const Error& error);

/// The folder an --out style option names. A PostgreSQL connection string ("PG:...") is Error(usage) telling to
/// write a folder and `parksim export` it to the database (with the password masked); empty stays empty.
std::filesystem::path output_folder_option(const std::filesystem::path& value, std::string_view option);

struct SkillCommandOptions {
  std::filesystem::path scenario;     ///< a study scenario with [study.maps] of three or more years
  int holdout_year = 0;               ///< --holdout: the map forecast and scored
  int runs = 10;                      ///< --runs: forecast ensemble runs; DEFAULT 10
  std::optional<std::uint64_t> seed;  ///< DEFAULT the scenario's
  std::optional<int> threads;         ///< DEFAULT the scenario's
  int runs_per_evaluation = 4;
  int budget = 40;
  std::string learner = "auto";
  double pattern_weight = 0.0;
  std::string search = "compass";
  std::string patches = "observed";
  std::filesystem::path out;
  bool overwrite = false;
};
int run_skill(const SkillCommandOptions& options, std::ostream& out, std::ostream& err);

/// Progress of a command on stderr: a redrawn bar on a terminal, one line per stage otherwise, nothing when quiet.
Progress terminal_progress(std::ostream& err, bool quiet);

struct OptimizeCommandOptions {
  std::filesystem::path scenario;      ///< a scenario with an [optimize] table
  std::filesystem::path out;           ///< DEFAULT out/<scenario name>-optimize
  std::optional<std::uint64_t> seed;   ///< DEFAULT the scenario's
  std::optional<int> threads;          ///< DEFAULT the scenario's
  std::optional<int> generations;      ///< DEFAULT optimize.generations
  std::optional<int> population;       ///< DEFAULT optimize.population
  std::optional<int> runs;             ///< runs per evaluation; DEFAULT optimize.runs
  std::optional<std::string> algorithm;  ///< nsga2 or moead; DEFAULT optimize.algorithm
  bool overwrite = false;
  bool quiet = false;
};
int run_optimize(const OptimizeCommandOptions& options, std::ostream& out, std::ostream& err);

/// Entry point behind main(): parses the command line and runs a subcommand.
int main(int argc, char** argv);

}  // namespace parksim::cli
