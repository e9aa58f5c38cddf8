#pragma once
// Runs one scenario end to end: plan -> grid -> drivers and suitability -> demand -> simulation (or ensemble) ->
// parcel results -> allocation -> plan-compliance indicators, into a report::RunResult (the contract every writer
// reads). The CLI's `parksim run` and the Python Result call this and nothing else.
//
// What each stage reads from the scenario is documented key by key in docs/scenario-format.md.
// Determinism: the result depends only on the scenario, its input files and the seed — never on the thread count
// (the simulation and the ensemble are deterministic per seed; the allocation runs CBC on one thread; a search cut
// short by alloc.time_limit_s is the one exception, and the report shows its gap).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <map>
#include <memory>

#include "alloc/plan_allocation.hpp"
#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "model/study_demand.hpp"
#include "model/study_suitability.hpp"
#include "plan/accounting.hpp"
#include "report/run_result.hpp"
#include "scenario/scenario.hpp"
#include "sim/ensemble.hpp"
#include "study/drivers.hpp"
#include "study/study.hpp"

namespace parksim::pipeline {

/// Command-line style overrides of the scenario and the run's progress handle. DEFAULTs: the scenario's values.
struct RunOptions {
  std::optional<std::uint64_t> seed;  ///< overrides `seed`
  std::optional<int> runs;            ///< overrides `runs` (>= 1)
  std::optional<int> threads;         ///< overrides `threads` (0 = all cores)
  std::optional<int> end_year;        ///< overrides `years.end`
  Progress progress;                  ///< reports stages; cancellation throws Error(cancelled)
};

/// What a run studies: the plan (when there is one), the study built on it or on land-use maps, and the declared
/// drivers. From a scenario (load_study) or, in Python, from arrays. Movable, not copyable.
struct StudyInput {
  plan::Plan plan;                   ///< empty without plan dataset
  bool has_plan = false;
  plan::Accounting accounting;
  study::Study study;
  /// The declared drivers (shared: the simulation's yearly suitability update refers to them).
  std::shared_ptr<const study::DriverBuilder> drivers;
  std::vector<std::string> input_files;  ///< for the manifest's hashes
  std::vector<Problem> problems;         ///< findings of loading
};

/// Loads the plan (geodata.path, with the [[infrastructure]] timeline applied), builds the study ([study],
/// [classes], [grid], years.start) and prepares the declared drivers ([drivers.*]). Throws as build_study and the
/// DriverBuilder do, Error(config) for [[infrastructure]] without a plan.
StudyInput load_study(const scenario::Scenario& scenario, const Progress& progress = Progress());

/// How a study is run: everything a scenario says besides the study. Plain value.
struct RunSpec {
  std::string name, question, description;
  std::string effective_scenario_toml;      ///< written into the bundle ("" for runs not made from a scenario)
  std::uint64_t seed = 1;
  int runs = 1;
  int threads = 0;                          ///< 0 = all cores
  int end_year = 0;                         ///< last simulated year (> the study's start year)
  Context end_where;
  std::vector<std::string> drivers;         ///< drivers of the suitability, in this order (empty: all declared)
  Context drivers_where;
  model::SuitabilitySpec suitability;
  std::string priority_tier;                ///< plan runs: bases of this tier favour built classes
  double priority_bonus = 0.0, priority_radius_m = 3000.0;
  Context priority_where;
  model::DemandSpec demand;
  /// Opening year per plan phase id (DEFAULT: the start year), with where it was set.
  std::vector<std::tuple<std::string, int, Context>> phase_open_year;
  sim::Params params;
  bool allocate = false;                    ///< plan runs: allocate parcels after the simulation
  alloc::PlanAllocationSpec allocation;
  std::vector<int> key_years;               ///< years shown as maps (empty: start, middle, end)
  Context key_years_where;
  /// A region measured each year: the study cells where a declared driver, built for the run's end year on the start
  /// map, is at most `max` (e.g. within 1 km of the Line 19 north-extension stations). Indicator
  /// region_developed_km2.<name>.
  struct Region {
    std::string name, driver, label;
    double max = 0.0;
    Context where;
  };
  std::vector<Region> regions;
  /// Candidate land: the regions in which land in no zone may develop, each measured with the drivers of the year
  /// (land opens when its region reaches it, e.g. a station area in the station's opening year). Empty: plan studies
  /// without a land-cover base have no land-use data outside parcels, phases and zones (no data, never changes);
  /// other studies may develop any land in no zone.
  std::vector<std::string> outside_only_in;
  Context outside_where;
  /// The answering indicator of the scenario's question ("" = none) in answer_year (0 = the end year), compared with
  /// the scenario compare_with (a file; "" = none) run with the same seed, runs, threads and end year.
  std::string answer_indicator;
  int answer_year = 0;
  Context answer_where;
  std::filesystem::path compare_with;
};

/// The run spec of a scenario with the options' overrides (seed, runs, threads, end year). Throws Error(config)
/// naming the key for a missing years.end.
RunSpec run_spec(const scenario::Scenario& scenario, const RunOptions& options = {});

/// Runs `spec` on `input` (see run_scenario for what it returns and throws).
report::RunResult run_study(StudyInput input, const RunSpec& spec, const Progress& progress = Progress());

/// Runs `scenario`. Expected findings (repaired geometry, land without land-use data, unmet demand, an infeasible
/// allocation target) are Problems in RunResult::problems, sorted — never exceptions.
/// Throws Error: config (a scenario value the data contradicts, e.g. an unknown zone in demand.zone_share, shares
/// that do not sum to 1, method trend without demand.previous_map; Context names the key and file:line), input /
/// data / crs (from loading the plan), cancelled.
report::RunResult run_scenario(const scenario::Scenario& scenario, const RunOptions& options = {});

/// Everything run_scenario checks before it simulates, and nothing else: the very preparation run_scenario uses (plan,
/// grid, classes, drivers and suitability fit, demand, simulation input) without the simulation, the allocation or
/// any output. `parksim validate SCENARIO` calls this, so validate and run cannot disagree about a scenario.
/// Returns the findings of the preparation (the plan's problems among them), sorted. Throws exactly what
/// run_scenario throws for the same scenario before its simulation starts.
std::vector<Problem> check_scenario(const scenario::Scenario& scenario, const RunOptions& options = {});

/// An ensemble cut into pieces: what run_ensemble returns for runs first_run .. first_run + runs - 1.
struct EnsembleRun {
  /// Integer class counts and per-run phase fill-up years; sim::merge() of consecutive pieces equals the ensemble
  /// run in one piece, and the whole equals run_scenario's ensemble (RunResult::ensemble) for the same scenario,
  /// seed and runs, value for value.
  sim::EnsembleResult ensemble;
  grid::Grid<std::uint8_t> study;             ///< 1 inside the study area (run_scenario's probability is NaN outside)
  std::vector<report::SimClass> classes;      ///< the simulation classes (RunResult::classes)
  std::vector<std::string> phase_ids;         ///< plan phase ids, in the order of ensemble.phase_full_year's entries
  std::vector<Problem> problems;  ///< findings of the preparation (plan, grid, fit, demand), sorted; runs' own:
                                  ///< ensemble.problems
};

/// Runs only the simulation ensemble of `scenario` - runs first_run .. first_run + runs - 1 of its seed (runs from
/// options.runs, or the scenario's) - on the same input run_scenario simulates: no parcels, allocation or
/// indicators. This is how an ensemble is spread over processes or machines (the Python parksim.ensemble() on Dask):
/// each piece prepares the input itself (plan, grid, suitability fit, demand: deterministic for a seed) and the
/// pieces are merged with sim::merge. Throws as run_scenario does.
EnsembleRun run_ensemble(const scenario::Scenario& scenario, std::uint64_t first_run, const RunOptions& options = {});
/// The same on a loaded study.
EnsembleRun run_ensemble(StudyInput input, const RunSpec& spec, std::uint64_t first_run,
                         const Progress& progress = Progress());

}  // namespace parksim::pipeline
