#pragma once
// The plan search (`parksim optimize`, parksim.optimize()): trade-offs between scenarios. The [optimize] table of a
// scenario names levers (numeric scenario keys with bounds; year keys take whole years), objectives (indicator ids of
// indicators.csv, each minimised or maximised, in a year) and constraints (bounds on indicators). Each evaluation sets
// the levers in a copy of the scenario and measures the indicators on an ensemble of optimize.runs runs
// (pipeline::measure_study: the study is loaded once; levers that change the study itself reload it); the objective is
// the ensemble mean, its sd is kept. NSGA-II (DEFAULT) or MOEA/D of pagmo2 explores the levers (search.hpp).
//
// Determinism: every evaluation runs the scenario's seed (common random numbers: settings are compared on the same
// random streams), evaluations of a generation run in parallel on `threads` threads and are collected by index, so the
// front is byte-identical for a seed at any thread count. A caller may evaluate the search's batches elsewhere
// (OptimizeOptions::evaluate: Python's parksim.optimize(client=...) on a Dask cluster, each worker keeping an
// Evaluator); every evaluation still runs the scenario's seed, so the front is the same.
// Format of [optimize]: docs/scenario-format.md.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "optimize/search.hpp"
#include "plan/plan.hpp"
#include "pipeline/measure.hpp"
#include "scenario/scenario.hpp"

namespace parksim::optimize {

/// A scenario key the search sets.
struct Lever {
  std::string key;       ///< a numeric scenario key, e.g. "demand.enterprise_growth_rate"
  double min = 0.0, max = 0.0;
  bool integer = false;  ///< an integer key (a year): whole values only
  /// Keys whose values absorb the lever's change in proportion, so that their sum with the lever's stays as in the
  /// scenario (zone shares that must sum to 1). Empty: none.
  std::vector<std::string> balance;
  Context where;
};

/// An indicator the search minimises or maximises.
struct Objective {
  pipeline::IndicatorQuery indicator;
  bool maximise = false;
  std::size_t column = 0;  ///< index into OptimizeSpec::indicators
};

/// Bounds an indicator's ensemble mean must meet.
struct Constraint {
  pipeline::IndicatorQuery indicator;
  std::optional<double> min, max;
  std::size_t column = 0;  ///< index into OptimizeSpec::indicators
};

/// The [optimize] table of a scenario, with its DEFAULTs resolved.
struct OptimizeSpec {
  std::vector<Lever> levers;
  std::vector<Objective> objectives;
  std::vector<Constraint> constraints;
  /// The distinct indicators measured (objectives first, then constraints; an indicator in the same year is measured
  /// once however often it is named).
  std::vector<pipeline::IndicatorQuery> indicators;
  SearchOptions search;        ///< algorithm, population, generations; seed = the scenario's seed
  int runs = 1;                ///< ensemble runs per evaluation (optimize.runs)
  int maps = 50;               ///< front solutions with maps in the report (optimize.maps)
  int threads = 0;             ///< 0 = all cores (the scenario's threads)
};

/// Reads and checks [optimize] of `scenario`. Throws Error(config) naming the key and file:line for: no [optimize]
/// table or no objectives, fewer than two objectives, a lever key that is no scenario key, not numeric or a key of
/// the run's set-up (seed, runs, threads, years, name), bounds reversed or outside the key's range, a balance key that
/// is not a number in the scenario or cannot absorb the lever's range, a direction other than min/max, a constraint
/// without min or max.
OptimizeSpec optimize_spec(const scenario::Scenario& scenario);

/// One evaluated lever setting.
struct Solution {
  std::vector<double> levers;             ///< in the order of OptimizeSpec::levers
  std::vector<double> mean, sd;           ///< per OptimizeSpec::indicators (sd NaN for a single value)
  bool feasible = true;
  double violation = 0.0;                 ///< scaled sum of the constraints' violations (0 = feasible)
};

/// Evaluates a batch of the search's lever settings somewhere else than this process's threads (a Dask cluster,
/// from Python): `searched` is the scenario searched (OptimizeResult::scenario: overrides applied, absolute paths,
/// years.start set), `settings` the lever values (OptimizeSpec order). Returns one Solution per setting, in order,
/// with the setting's levers - what Evaluator(searched).evaluate(settings, threads) returns at any thread count.
using BatchEvaluation = std::function<std::vector<Solution>(const scenario::Scenario& searched,
                                                            const std::vector<std::vector<double>>& settings)>;

/// Command-line style overrides. DEFAULT: the scenario's values.
struct OptimizeOptions {
  std::optional<std::uint64_t> seed;
  std::optional<int> threads;
  std::optional<int> generations;
  std::optional<int> population;
  std::optional<int> runs;           ///< runs per evaluation
  std::optional<std::string> algorithm;
  /// When set, the search's batches of settings go to it instead of this process's threads; it is called from the
  /// thread that called optimize_scenario, and what it throws propagates. The scenario's own setting is still
  /// evaluated here (it checks the indicator ids before the search and gives OptimizeResult::start). Empty: here.
  BatchEvaluation evaluate;
};

/// Evaluates lever settings of a searched scenario exactly as the search does: per setting, the levers set in a copy
/// of the scenario (scenario_with) and the indicators measured on an ensemble of optimize.runs runs of the scenario's
/// seed. The study is loaded once - given with set_study() or on first use - unless a lever changes it (then per
/// evaluation), and stage 3 of a run (drivers, suitability: pipeline::SuitabilityCache) is kept from the first
/// evaluation when no lever changes it. So one Evaluator serves many batches (a Dask worker keeps one per scenario),
/// and its results equal the search's in this process at any thread count.
/// Thread-safety: measure() and evaluate() may be called concurrently; the first evaluation (loading, filling the
/// cache) runs alone while the others wait for it.
class Evaluator {
 public:
  /// `searched` as OptimizeResult::scenario (overrides applied, absolute paths, years.start set; without
  /// years.start the study is loaded here to set it, as optimize_scenario does). Throws as optimize_spec().
  explicit Evaluator(scenario::Scenario searched, const Progress& progress = Progress());
  /// With its spec already read (optimize_spec(searched)).
  Evaluator(scenario::Scenario searched, OptimizeSpec spec, const Progress& progress = Progress());
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  const scenario::Scenario& scenario() const noexcept { return m_base; }
  const OptimizeSpec& spec() const noexcept { return m_spec; }

  /// The study of scenario(), loaded by the caller. Before the first evaluation.
  void set_study(std::shared_ptr<const pipeline::StudyInput> input);

  /// The measured ensemble of `s` (scenario() with levers set) on `threads` threads; with `keep_developed` also its
  /// map of developed land (MeasuredRuns::developed). Checks the progress's cancellation first (Error(cancelled));
  /// throws as pipeline::measure_study.
  pipeline::MeasuredRuns measure(const scenario::Scenario& s, int threads, bool keep_developed = false);
  /// The map of developed land of each setting of `batch` (percent of runs, 255 outside the study area), one
  /// setting per thread.
  std::vector<grid::Grid<std::uint8_t>> maps(const std::vector<std::vector<double>>& batch, int threads);
  /// MeasuredRuns::developed as percent of runs (255 outside the study area); empty without it.
  static grid::Grid<std::uint8_t> percent_map(const pipeline::MeasuredRuns& m);
  /// One setting (OptimizeSpec order).
  Solution evaluate(const std::vector<double>& levers, int threads);
  /// A batch, in order: one evaluation per thread, or the ensemble's runs on all threads for a single setting.
  /// threads <= 0: all cores.
  std::vector<Solution> evaluate(const std::vector<std::vector<double>>& batch, int threads);

 private:
  scenario::Scenario m_base;
  OptimizeSpec m_spec;
  Progress m_progress;
  std::vector<pipeline::IndicatorQuery> m_queries;
  std::shared_ptr<const pipeline::StudyInput> m_input;
  bool m_reload = false;
  bool m_keep_suitability = true;
  pipeline::SuitabilityCache m_suitability;
  std::mutex m_first;                 // held by the first evaluation
  std::atomic<bool> m_ready{false};   // the first evaluation is done: m_input and m_suitability are only read
};

struct OptimizeResult {
  scenario::Scenario scenario;            ///< the scenario searched (overrides applied, paths absolute)
  OptimizeSpec spec;
  Solution start;                         ///< the scenario's own lever values
  std::vector<Solution> front;            ///< the Pareto front, ordered by the first objective
  std::vector<Generation> history;        ///< hypervolume by generation (search.hpp)
  int evaluations = 0;                    ///< distinct lever settings evaluated
  std::vector<double> ideal, nadir;       ///< hypervolume normalisation (search.hpp), objectives in minimised form
  std::vector<Problem> problems;          ///< findings of loading and of the scenario's own evaluation

  /// Maps of developed land in the run's end year (map_year) for the report: per cell the percentage (0..100) of an
  /// evaluation's runs in which the cell is in a built class, 255 outside the study area. `start_map` is the
  /// scenario's own setting's (empty grid when optimize.maps = 0); `maps` those of front solutions (indices into
  /// front), at most optimize.maps of them, spread evenly over the front (map_indices()).
  struct SolutionMap {
    std::size_t solution = 0;
    grid::Grid<std::uint8_t> developed_pct;
  };
  std::vector<SolutionMap> maps;
  grid::Grid<std::uint8_t> start_map;
  int map_year = 0;
  plan::Plan plan;                        ///< the study's plan (phase outlines on the maps); empty without one
};

/// Which of `n` front solutions get maps when at most `max_maps` may: all when n <= max_maps, else max_maps indices
/// spread evenly from the first to the last (as front_table() spreads its rows).
std::vector<std::size_t> map_indices(std::size_t n, std::size_t max_maps);

/// The name of front solution `i` (0-based) in every output: "solution_01", "solution_02", ...
std::string solution_name(std::size_t i);

/// Searches `scenario`'s [optimize] levers. Loads the study once, evaluates the scenario's own setting first (so a bad
/// indicator id fails before the search), then searches, then evaluates the solutions that get maps once more,
/// keeping their maps (the same values: every evaluation runs the scenario's seed). Progress: loading 0..0.05, the
/// search 0.05..1 (0.05..0.95 and the maps 0.95..1 with optimize.maps > 0); cancellation throws Error(cancelled). Throws Error(config) as optimize_spec() does, for an unknown indicator id or year (naming
/// its key and file:line), and when no evaluated setting meets the constraints (naming the first constraint and
/// listing the closest settings); and as pipeline::run_scenario does.
OptimizeResult optimize_scenario(const scenario::Scenario& scenario, const OptimizeOptions& options = {},
                                 const Progress& progress = Progress());

/// The scenario of lever setting `levers` (OptimizeSpec order): `scenario` with the levers and their balance keys set.
scenario::Scenario scenario_with(const scenario::Scenario& scenario, const OptimizeSpec& spec,
                                 const std::vector<double>& levers);

/// Column names: the lever keys; "<indicator>[@year]" for each of OptimizeSpec::indicators (files add _mean, _sd).
std::vector<std::string> lever_columns(const OptimizeSpec& spec);
std::vector<std::string> indicator_columns(const OptimizeSpec& spec);

/// pareto.csv: header "solution,<levers>,<indicator means and sds>,feasible", one row per front point.
std::string pareto_csv(const OptimizeResult& result);
/// history.csv: header "generation,evaluations,front_size,hypervolume".
std::string history_csv(const OptimizeResult& result);
/// solutions/solution_NN.toml of front point `i` for a file in `folder`: a comment block, `extends` = the searched
/// scenario file (relative to `folder`), the name "<name>-solution-NN" and the lever keys.
std::string solution_toml(const OptimizeResult& result, std::size_t i, const std::filesystem::path& folder);

/// Writes into `dir` (created, or replaced with `overwrite`) pareto.csv, pareto.gpkg (table "pareto", non-spatial),
/// history.csv, solutions/solution_NN.toml and report/index.html, all or nothing (a temporary folder renamed into
/// place). Error(output_exists) when `dir` exists and !overwrite (before writing), Error(output) when it cannot.
void write_optimize(const OptimizeResult& result, const std::filesystem::path& dir, bool overwrite);

/// What an indicator column is for: "min", "max" (objectives), the bounds of a constraint ("≥ 3000"), or both.
std::string column_role(const OptimizeSpec& spec, std::size_t column);

/// The front as a text table for the terminal, then the scenario's own setting. At most `max_rows` solutions (0 = all):
/// a larger front is shown by rows spread evenly over it (the first and the last among them) and a line saying how
/// many more pareto.csv holds.
std::string front_table(const OptimizeResult& result, std::size_t max_rows = 0);

}  // namespace parksim::optimize
