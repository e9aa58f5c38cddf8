#pragma once
// The yearly multi-class cellular automaton (parksim::sim::simulate).
//
// Each simulated year:
//  1. suitability events of the year are applied (infrastructure timeline, e.g. stations opening), phases whose
//     opening year has come become developable;
//  2. every demand bucket (zone x class, or class when demand is not per zone) with a target above its current
//     cell count is SHORT by the difference; a class above its target (or with no target) is a DONOR of at most its
//     surplus (no target: unlimited). A cell may change only from a donor class to a short class, through an
//     allowed conversion, outside constraints, in an open phase (or no phase), in the bucket's zone;
//  3. NEW PATCHES: patch_share of each shortfall is placed as patches: a seed cell drawn with probability
//     proportional to suitability among cells with no cell of the class in their window, grown to a size drawn from
//     the lognormal or from the observed sizes (Params::patch_sizes_cells); an overrun of the year's patch budget is
//     taken off the next year's;
//  4. STEPS and ROUNDS of the automaton (Params::steps_per_year, max_rounds) until every short bucket is met or no
//     candidate is left; each round is one pass over the grid. A candidate cell i weighs each short class k by
//       w_ik = suitability_k(i) x neighbourhood_k(i) x multiplier_b x conversion weight(c, k)
//     (neighbourhood_k = max(1e-4, (1 - w) + w x share of class k among the other cells of the window);
//     multiplier_b = the adaptive inertia of the bucket, see Params). The cell draws its class by roulette on w_ik and
//     a race key E / sum_k w_ik with E = -ln u ~ Exp(1) (Efraimidis-Spirakis: the smallest keys are a weighted sample
//     without replacement); each bucket takes the candidates with the smallest (key, cell index). Only cells whose
//     key can beat the round's threshold become candidates; the threshold comes from the weight sums of the previous
//     pass, and a bucket that gets too few candidates is served by the next round with a larger one.
//     Random numbers: Philox blocks (core/rng.hpp) keyed by (seed, tag(run, year, round)) and counted by the cell
//     index, so a cell's numbers do not depend on which thread computes it or on the tiling;
//  5. a bucket still short is reported as a Problem "demand.unmet" with the shortfall in cells and km2.
// Hard invariants: constraint cells, nodata cells and cells of unopened phases never change; no transition outside
// the conversion matrix; a target is met exactly when enough candidate land (positive weight) exists.
//
// Memory: the state is one byte per cell (the current class map) plus candidate lists of about
// candidate_margin x (yearly demand) entries; inputs are read in place, never copied.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/problem.hpp"
#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "sim/params.hpp"

namespace parksim::sim {

inline constexpr std::uint8_t nodata_class = 255;  ///< class value of cells outside the study area
inline constexpr std::uint8_t no_phase = 255;      ///< phase value of cells in no phase (always open)
inline constexpr int max_classes = 16;             ///< most land-use classes a simulation takes
inline constexpr std::int64_t no_target = -1;      ///< demand value: no target, the class is a free donor
inline constexpr int not_filled = -1;              ///< phase-full year of a phase that did not fill up

/// Whether a transition from one class to another may happen, and a multiplier (> 0, <= 1000) on its weight
/// (1 = neutral, < 1 = costly).
struct ConversionRule {
  bool allowed = true;
  double weight = 1.0;
};

/// Demand for one simulated year: target number of cells per bucket at the END of the year, bucket-major
/// [zone * class_count + class] when SimulationInput::demand_by_zone, else [class]. no_target = no target.
struct YearDemand {
  int year = 0;
  std::vector<std::int64_t> cells;
};

/// From `year` on (applied at the start of that year), the suitability of `class_id` is `suitability`
/// (the infrastructure timeline: a station opening changes accessibility).
struct SuitabilityEvent {
  int year = 0;
  int class_id = 0;
  grid::Grid<std::uint8_t> suitability;
};

/// Everything a simulation reads. Plain data; all grids share one GridSpec; optional grids may be left empty
/// (default-constructed, 0 x 0). simulate() reads it in place: keep it alive and unchanged during the call.
struct SimulationInput {
  grid::Grid<std::uint8_t> initial_classes;  ///< class 0..class_count-1 per cell, nodata_class outside
  int class_count = 0;                        ///< K, 1..max_classes
  std::vector<std::string> class_names;       ///< optional, K names (messages)
  std::vector<bool> built_classes;            ///< optional, K flags: classes counted as built for phase fill-up
  grid::Grid<std::uint8_t> constraint;        ///< optional: non-zero = never changes
  grid::Grid<std::uint8_t> phase;             ///< optional: phase id 0..P-1, or no_phase
  std::vector<int> phase_opening_year;        ///< P years: cells of phase p may change from this year on
  grid::Grid<std::uint8_t> zone;              ///< optional: zone id 0..zone_count-1
  int zone_count = 1;                         ///< Z (1 when there is no zone grid)
  /// K suitability grids, probability quantised to 0..255 (255 = 1). An empty grid (or an empty vector) means a
  /// uniform suitability of 1 - no memory is spent for it.
  std::vector<grid::Grid<std::uint8_t>> suitability;
  /// K x K rules, [from * K + to]; empty = every transition allowed with weight 1. The diagonal is ignored.
  std::vector<ConversionRule> conversion;
  int start_year = 0;                         ///< year of initial_classes
  std::vector<YearDemand> demand;             ///< one entry per simulated year: start_year+1, start_year+2, ...
  bool demand_by_zone = false;                ///< demand per zone (zone growth) instead of per class over all zones
  std::vector<SuitabilityEvent> suitability_events;  ///< in any order; same year and class: the later one wins
  /// Optional: suitability measured on the simulated map itself (a distance to a class, updated every year). Called
  /// at the start of every simulated year, after the year's events, with the year and the run's current class map;
  /// returns K grids (an empty grid keeps the class's current suitability). Must be deterministic and safe to call
  /// from several threads at once (the runs of an ensemble call it concurrently on their own maps).
  std::function<std::vector<grid::Grid<std::uint8_t>>(int year, const grid::Grid<std::uint8_t>& classes)>
      suitability_update;
  std::vector<int> output_years;              ///< simulated years whose class maps are kept in the result
  std::string layer = "simulation";           ///< name used in Problem contexts

  /// Throws Error(config or data) naming the member (Context::key) and, for a bad cell value, the cell centre.
  void validate() const;
  int end_year() const noexcept { return start_year + static_cast<int>(demand.size()); }
};

/// What happened in one simulated year.
struct YearRecord {
  int year = 0;
  std::vector<std::int64_t> cells;        ///< cells per [zone * K + class] at the end of the year
  std::vector<std::int64_t> unmet_cells;  ///< remaining shortfall per demand bucket (0 = met)
  std::int64_t converted_cells = 0;       ///< cells that changed class this year (patches included)
  std::int64_t patch_cells = 0;           ///< of which placed as new patches
  int rounds = 0;                         ///< automaton rounds (grid passes) used
};

struct SimulationResult {
  grid::Grid<std::uint8_t> final_classes;                          ///< class map after the last year
  std::vector<std::pair<int, grid::Grid<std::uint8_t>>> year_maps; ///< maps of the output_years, by year
  std::vector<YearRecord> years;                                   ///< one per simulated year
  /// Per phase: the first year at whose end the phase is full (Params::phase_full_share), start_year when it is
  /// full initially, not_filled otherwise (also when built_classes is empty).
  std::vector<int> phase_full_year;
  std::vector<Problem> problems;                                   ///< "demand.unmet" findings, in year order
};

/// Suitability probabilities in [0, 1] (e.g. from model::suitability_map) quantised to the byte grid simulate()
/// reads: q = round(p x 255); NaN and p <= 0 give 0, p >= 1 gives 255. Same GridSpec.
grid::Grid<std::uint8_t> quantise_suitability(const grid::Grid<float>& probability);

/// Runs one simulation: run `run` of seed `seed`. Deterministic: the result depends only on (input, params, seed,
/// run), never on the number of threads (grid passes run in parallel tiles of the current oneTBB arena).
/// Reports progress once per year and throws Error(cancelled) when cancelled; throws Error(config/data) on invalid
/// input or parameters. Unmet demand is a Problem, never an exception.
SimulationResult simulate(const SimulationInput& input, const Params& params, std::uint64_t seed,
                          std::uint64_t run = 0, const Progress& progress = Progress());

}  // namespace parksim::sim
