#pragma once
// Null models at the same quantity as a model: a forecast is only skilful where it beats them. PERSISTENCE (no
// change) is scored by validate_simulation (validation.hpp) next to every model; this header adds PROXIMITY:
// new land of a class goes to the cells nearest to the land the class already has, which is how most land
// grows and what a model without skill in location does at best.
//
// The proximity null model, for a start map and a demand of new cells per class:
//  - candidates of class g: cells with data in the start map, allowed to change (the `allowed` mask), not of
//    class g in the start map and not yet taken by another class;
//  - distance of a candidate: Euclidean, from its centre to the centre of the nearest cell of class g in the START
//    map, in metres on cells of cell_size_m x cell_height() (grid::distance_m: exact for square and non-square
//    cells, returned as float); the class's new cells do not attract further ones;
//  - class g takes its `demand` nearest candidates. Candidates at the same distance as the last one taken (the
//    tie at the threshold) are drawn uniformly at random: a partial Fisher-Yates shuffle of the tied cells in
//    ascending flat index with RngStream(seed, "metrics.proximity_null", draw x 256 + g), so a (seed, draw) gives
//    the same map on every run and machine. A class absent from the start map has no distance (all +infinity):
//    its new cells are drawn at random among its candidates;
//  - SEVERAL CLASSES gaining at once are served one after the other in order of DECREASING demand (equal demands:
//    ascending class code); a cell taken by one class is no longer a candidate of the next. So the largest
//    transition takes the cells nearest to its class, and a smaller one takes the nearest of what is left;
//  - when a class has fewer candidates than its demand it takes them all, and the shortfall is reported
//    (ProximityClassAllocation::allocated_cells < demand_cells) rather than thrown: a null model that cannot
//    reach the quantity is itself a finding.
// Cells are never changed otherwise: cells without data stay nodata; cells not taken keep their start class.
// Pure functions; thread-safe; deterministic for (seed, draw) at any thread count (grid::distance_m runs rows in
// parallel but every distance is computed independently of the others).

#include <cstdint>
#include <span>
#include <vector>

#include "metrics/map.hpp"

namespace parksim::metrics {

/// New cells wanted for one class.
struct ClassDemand {
  std::uint8_t class_code = 0;
  std::int64_t cells = 0;  ///< >= 0
};

/// The gross gain of every class from `start` to `target`: for each class g, the cells with data in both maps
/// that are g in `target` and not g in `start`. Classes with a gain > 0 only, ascending code. This is the
/// quantity a null model must reproduce to stand "at the same quantity" as `target` (a model's map, or the
/// observed map). Throws Error(data) on malformed or differently shaped maps (keys "start", "target").
std::vector<ClassDemand> class_gains(const CategoricalMapView& start, const CategoricalMapView& target);

/// Options of proximity_null().
struct ProximityParams {
  std::uint64_t seed = 0;  ///< seed of the tie-break streams; DEFAULT 0
  int first_draw = 0;      ///< index of the first draw (the stream index); DEFAULT 0
  int draws = 1;           ///< independent tie-breaks returned, draws first_draw .. first_draw + draws - 1; DEFAULT 1
};

/// How one class was served.
struct ProximityClassAllocation {
  std::uint8_t class_code = 0;
  std::int64_t demand_cells = 0;     ///< new cells asked
  std::int64_t allocated_cells = 0;  ///< new cells given; below demand_cells only when candidates ran out
  std::int64_t candidate_cells = 0;  ///< cells it could take when its turn came
  /// Distance of the farthest cell given, m (the threshold); +infinity for a class absent from the start map;
  /// NaN when nothing was given.
  double threshold_distance_m = 0.0;
  std::int64_t tied_cells = 0;  ///< candidates at exactly the threshold distance (the last places were drawn among them)
};

/// One proximity null map. Plain value type.
struct ProximityNull {
  int draw = 0;
  std::vector<std::uint8_t> cells;  ///< rows x cols, row-major, like the start map (same nodata code)
  std::vector<ProximityClassAllocation> allocations;  ///< in the order served (decreasing demand)

  /// A view of `cells` with the start map's shape, cell size and nodata code (valid while this object lives).
  CategoricalMapView view(const CategoricalMapView& start) const noexcept {
    CategoricalMapView v = start;
    v.cells = cells;
    return v;
  }
};

/// The proximity null maps of draws params.first_draw ... (see the header comment). `allowed`: one byte per cell,
/// non-zero = may change; empty = every cell with data may change. Distances are computed once for all draws.
/// Throws Error(data, key "start") on a malformed map, Error(data, key "allowed") when `allowed` is neither empty
/// nor rows x cols bytes, Error(config, key "demand") on a negative demand, a class listed twice or a class equal to
/// the nodata code, and Error(config, key "draws") when draws < 1 or first_draw < 0.
std::vector<ProximityNull> proximity_null(const CategoricalMapView& start, std::span<const ClassDemand> demand,
                                          std::span<const std::uint8_t> allowed, const ProximityParams& params = {});

}  // namespace parksim::metrics
