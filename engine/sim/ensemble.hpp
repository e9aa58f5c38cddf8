#pragma once
// Monte Carlo ensembles of the simulation (parksim::sim::run_ensemble): N runs of simulate() with the same seed and
// runs first_run .. first_run + n_runs - 1, in parallel over runs with oneTBB, reduced into integer counts, so the
// result is byte-identical for a seed at any thread count and for any split of the runs (merge()).

#include <cstdint>
#include <functional>
#include <vector>

#include "core/problem.hpp"
#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "sim/simulation.hpp"

namespace parksim::sim {

/// What an ensemble keeps: per cell, how many runs ended in each class (final year), and per run the year each
/// phase filled up and the unmet demand. Value type.
struct EnsembleResult {
  std::uint64_t seed = 0;
  std::uint64_t first_run = 0;
  std::uint64_t runs = 0;
  int class_count = 0;
  int start_year = 0;
  int end_year = 0;
  grid::GridSpec spec;
  /// [class * cells + cell]: number of runs whose final map has `class` at `cell`. uint16: at most 65 535 runs.
  std::vector<std::uint16_t> class_counts;
  /// [run - first_run][phase]: phase-full year of each run (not_filled when it did not fill up).
  std::vector<std::vector<int>> phase_full_year;
  /// [run - first_run]: total unmet demand of the run, cells summed over years and buckets.
  std::vector<std::int64_t> unmet_cells;
  /// [run - first_run]: what RunMeasure returned for the run (empty without a measure).
  std::vector<std::vector<double>> measures;
  /// Problems of every run, in run order; each message starts with "run N: ".
  std::vector<Problem> problems;

  /// Share of runs in which `cell` (flat index) ends in `cls`, in [0, 1].
  double probability(int cls, std::int64_t cell) const;
  /// Per-cell probability of one class as a float grid.
  grid::Grid<float> probability_grid(int cls) const;
  /// Distribution of the phase-full year of `phase`: element y - start_year (y = start_year .. end_year) counts the
  /// runs in which the phase filled up at the end of year y; the last element counts runs in which it did not.
  std::vector<std::uint64_t> phase_full_histogram(int phase) const;
};

/// Measures one run while its maps are at hand (indicators per year whose spread the ensemble reports). Called
/// from worker threads, once per run: must be thread-safe and depend only on the run's result.
using RunMeasure = std::function<std::vector<double>(const SimulationResult&)>;

/// Runs `n_runs` simulations (runs first_run .. first_run + n_runs - 1 of `seed`) on `threads` threads (>= 1; a
/// oneTBB task_arena of that size), measuring each with `measure` when given (EnsembleResult::measures, in run
/// order). Progress is reported per finished run; cancellation throws Error(cancelled).
/// Throws Error(config) when n_runs is 0 or above 65 535, or on invalid input or parameters.
EnsembleResult run_ensemble(const SimulationInput& input, const Params& params, std::uint64_t seed,
                            std::uint64_t first_run, std::uint64_t n_runs, int threads,
                            const Progress& progress = Progress(), const RunMeasure& measure = {});

/// Runs 0 .. runs - 1.
inline EnsembleResult run_ensemble(const SimulationInput& input, const Params& params, std::uint64_t runs,
                                   std::uint64_t seed, int threads, const Progress& progress = Progress()) {
  return run_ensemble(input, params, seed, 0, runs, threads, progress);
}

/// Appends `next` to `into`: same seed, grid and classes, and next.first_run == into.first_run + into.runs.
/// The merged result equals the ensemble run in one call. Throws Error(config) otherwise or above 65 535 runs.
void merge(EnsembleResult& into, const EnsembleResult& next);

}  // namespace parksim::sim
