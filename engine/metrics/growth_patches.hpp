#pragma once
// How land of a class grew between two maps: at the edges of the patches it had (organic growth) or as new patches
// away from them, and the sizes of those new patches. The calibration measures it on the fitting interval to set
// the simulation's share of new patches and their size distribution; the twin tests compare a simulated
// distribution with the generating one by the two-sample Kolmogorov-Smirnov distance.
//
// Definitions (8-neighbour rule, as landscape.hpp's DEFAULT): the NEW CELLS of class k are the cells of k at the
// end that were valid and not k at the start. They form components under the 8-neighbour rule; a component is a
// NEW PATCH when none of its cells has a cell of k at the start among its 8 neighbours, else it is organic growth.
// A patch that grew over the interval into a cell of an older patch counts as organic: the rule sees the two maps
// only. Pure functions; thread-safe; deterministic.

#include <cstdint>
#include <span>
#include <vector>

#include "metrics/map.hpp"

namespace parksim::metrics {

/// Growth of one class (or several, pooled) between two maps. Plain value type.
struct GrowthPatches {
  std::int64_t new_cells = 0;                ///< cells that became the class
  std::int64_t new_patch_cells = 0;          ///< of which in new patches
  std::vector<std::int64_t> new_patch_sizes; ///< cells of each new patch, ascending

  /// new_patch_cells / new_cells; 0 when nothing grew.
  double new_patch_share() const noexcept;
  /// Adds another class's growth (sizes stay ascending).
  void pool(const GrowthPatches& other);
};

/// The growth of `class_code` from `start` to `end` (same shape; cells nodata in either map are ignored).
/// Throws Error(data) as check_map / require_same_shape do.
GrowthPatches growth_patches(const CategoricalMapView& start, const CategoricalMapView& end, std::uint8_t class_code);

/// Two-sample Kolmogorov-Smirnov distance sup_x |F_a(x) - F_b(x)| of two samples (any order); 0 when both are empty,
/// 1 when exactly one is.
double ks_distance(std::span<const std::int64_t> a, std::span<const std::int64_t> b);

}  // namespace parksim::metrics
