#pragma once
// FRAGSTATS-style class-level landscape metrics of one categorical map.
//
// Definitions follow McGarigal K., Cushman S.A. & Ene E. (2012/2023), "FRAGSTATS v4: Spatial Pattern
// Analysis Program for Categorical Maps" (class-level metrics CA, PLAND, NP, LPI, ED, AI, PLADJ), with these
// choices, which are FRAGSTATS' defaults when no landscape border is supplied:
//  - nodata cells are OUTSIDE the landscape: they count neither in the landscape area A nor in any class;
//  - adjacency and edges use the four cell sides; patches use the 8-neighbour rule (DEFAULT) or 4-neighbour;
//  - edge (ED): only a side shared by two cells of DIFFERENT valid classes is edge. Sides on the map border
//    and sides facing nodata are NOT edge (FRAGSTATS "count none of the boundary/background as edge");
//  - PLADJ: like adjacencies (double-count) divided by ALL sides of the class's cells, i.e. 4 per cell;
//    sides on the map border or facing nodata are in the denominator, as FRAGSTATS includes background and
//    boundary segments when no border is supplied, so a single-class map has PLADJ < 100;
//  - AI: like adjacencies (single-count, map border and nodata ignored) over the maximum possible for the
//    class area, g_max = 2n(n-1) (m = 0), 2n(n-1) + 2m - 1 (m <= n), 2n(n-1) + 2m - 2 (m > n), where
//    n = floor(sqrt(A_i cells)) and m = A_i - n^2; undefined (NaN) for a one-cell class (g_max = 0).
// Patches are labelled by a streaming two-row union-find (no recursion, memory O(cols)), so a
// 12,000 x 12,000 map needs a few hundred kB beyond the map itself. Pure function; thread-safe; deterministic.

#include <cstdint>
#include <vector>

#include "metrics/map.hpp"

namespace parksim::metrics {

/// Neighbour rule that decides which same-class cells form one patch.
enum class Connectivity {
  four,   ///< rook: the 4 cells sharing a side
  eight,  ///< queen: the 8 cells sharing a side or a corner (FRAGSTATS DEFAULT)
};

/// Options of landscape_metrics().
struct LandscapeParams {
  Connectivity connectivity = Connectivity::eight;  ///< DEFAULT eight (FRAGSTATS)
};

/// Class-level metrics of one class code. A = landscape area (valid cells only).
struct ClassLandscapeMetrics {
  std::uint8_t class_code = 0;
  std::int64_t cell_count = 0;        ///< A_i, cells of the class
  double area_ha = 0.0;               ///< CA, ha
  double percent_of_landscape = 0.0;  ///< PLAND = A_i / A * 100, %
  std::int64_t patch_count = 0;       ///< NP, patches under the chosen neighbour rule
  std::int64_t largest_patch_cells = 0;
  double largest_patch_index = 0.0;   ///< LPI = largest patch area / A * 100, %
  double mean_patch_area_ha = 0.0;    ///< AREA_MN = CA / NP, ha
  double edge_length_m = 0.0;         ///< total length of sides shared with cells of other valid classes, m
  double edge_density_m_per_ha = 0.0; ///< ED = edge_length_m / A (m2) * 10,000, m/ha
  std::int64_t like_adjacencies = 0;  ///< g_ii, single-count (each shared side once)
  double aggregation_index = 0.0;     ///< AI = g_ii / g_max * 100, %; NaN when A_i = 1
  double percent_like_adjacencies = 0.0;  ///< PLADJ = 2 g_ii / (4 A_i) * 100, %
};

/// Metrics of the whole map, one entry per class present. Plain value type.
struct LandscapeMetrics {
  Connectivity connectivity = Connectivity::eight;
  double cell_size_m = 0.0;
  std::int64_t cell_count = 0;         ///< valid cells (the landscape)
  std::int64_t nodata_cell_count = 0;  ///< cells excluded as nodata
  double landscape_area_ha = 0.0;      ///< A, ha
  std::vector<ClassLandscapeMetrics> classes;  ///< ascending class code; classes with no cell are absent

  /// The entry of `class_code`, or nullptr when the class is absent.
  const ClassLandscapeMetrics* find(std::uint8_t class_code) const noexcept;

  /// Rows: scope "landscape" (area, cell counts), then scope "class" (class_code set) with ids
  /// class_area, percent_of_landscape, patch_count, largest_patch_index, mean_patch_area, edge_length,
  /// edge_density, aggregation_index, percent_like_adjacencies.
  std::vector<MetricRow> to_rows() const;
};

/// Computes the class-level metrics above in one pass over the rows.
/// Throws Error(ErrorCode::data, key "map") when the map is empty or malformed (see check_map) or when every
/// cell is nodata.
LandscapeMetrics landscape_metrics(const CategoricalMapView& map, const LandscapeParams& params = {});

}  // namespace parksim::metrics
