#pragma once
// What a simulation means for a plan's parcels and targets: each parcel's development (year, share, probability,
// majority class) and the inputs of the plan-compliance indicators, from the simulated class maps. Pure functions
// on plain data; deterministic; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "grid/grid.hpp"
#include "metrics/compliance.hpp"

namespace parksim::metrics {

/// Flat cell indices of every parcel (ascending) from a grid of parcel indices (-1 = none).
std::vector<std::vector<std::int64_t>> parcel_cells(const grid::Grid<std::int32_t>& parcel, std::size_t parcels);

/// How one parcel develops in a run.
struct ParcelDevelopment {
  int developed_year = -1;             ///< first year more than half of its cells are built; start if so at start
  double developed_share_end = 0.0;    ///< built share of its cells at the end (ensemble: mean probability)
  double development_probability = 0.0;  ///< ensemble: mean built probability; single run: 1 if more than half built
  int sim_class_end = -1;              ///< majority class at the end (-1: no cells)
};

/// Parcels' development from the run's maps. `built` flags the classes; `start` is the start map, `year_maps`
/// the simulated maps by year (ascending), `final` the last; `built_probability` (empty without ensemble) the share
/// of runs ending built per cell. A parcel without cells counts as developed at the start when `built_at_start`.
std::vector<ParcelDevelopment> parcel_development(const std::vector<std::vector<std::int64_t>>& cells,
                                                  const std::vector<bool>& built_at_start,
                                                  const std::vector<bool>& built, int start_year,
                                                  const grid::Grid<std::uint8_t>& start,
                                                  const std::vector<std::pair<int, grid::Grid<std::uint8_t>>>& year_maps,
                                                  const grid::Grid<std::uint8_t>& final,
                                                  const std::vector<double>& built_probability);

/// Developed land per year and zone from cell counts per [zone * K + class] (counts of each year, ascending), in
/// m2: out[z][t].
std::vector<std::vector<double>> developed_by_zone_m2(const std::vector<std::vector<std::int64_t>>& counts,
                                                      const std::vector<bool>& built, int zone_count, double cell_m2);

/// Developed land inside `inside` (non-zero cells) on a class map, m2.
double developed_inside_m2(const grid::Grid<std::uint8_t>& map, const grid::Grid<std::uint8_t>& inside,
                           const std::vector<bool>& built, double cell_m2);

/// An area measured on every year's map of every run of an ensemble, so that its spread across runs is known: the
/// cells of `classes` (indexed by class) inside `inside` (non-zero cells), times `per_m2` (m2 -> `unit`).
/// Plain value.
struct TrackedArea {
  std::string id;  ///< indicator id, e.g. "region_developed_km2.near_line19_north"
  std::string label_zh, label_en, unit;
  grid::Grid<std::uint8_t> inside;
  std::vector<bool> classes;
  double per_m2 = 1e-6;  ///< DEFAULT km2
  /// Optional weight per class (indexed by class): the measure per m2 of land, e.g. floor area per m2 of land (empty:
  /// 1 for every counted class).
  std::vector<double> class_factor;
};

/// The tracked areas on a run's maps: out[a * maps.size() + t] for area a on maps[t]. Deterministic, no threads.
std::vector<double> measure_tracked(const std::vector<TrackedArea>& areas,
                                    const std::vector<const grid::Grid<std::uint8_t>*>& maps, double cell_m2);

/// The first year (of `years`, parallel to `values`) at which `values` reaches `target`; -1 when none does.
int first_year_reaching(const std::vector<int>& years, const std::vector<double>& values, double target);

}  // namespace parksim::metrics
