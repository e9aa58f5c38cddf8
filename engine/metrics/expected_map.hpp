#pragma once
// The expected map of an ensemble: one map that holds, per class, the cells where the class is most probable, up
// to a given quantity - the best single-map forecast to score with the Figure of Merit (a single run scatters its
// change at random where the ensemble is unsure; the expected map puts it where the runs agree most).
//
// Input: per class c and cell k, the number of runs that end in class c at cell k, laid out
// [c x cells + k] (the layout of sim::EnsembleResult::class_counts; class codes are 0 .. class_count - 1). A
// cell's probability of class c is count / runs, where runs is the cell's sum over classes; a cell whose sum is 0
// has no data (outside the study area) and every other cell must have the same sum.
//
// The rule: every (class, cell) pair is ranked by probability, highest first, and taken in that order; a pair
// is granted when its cell has no class yet and its class is still below its quantity. So:
//  - a cell wanted by several classes goes to the class for which it is most probable, unless that class is
//    already full (it then goes to the next most probable class with room);
//  - TIES (pairs of equal probability, whether of one class or several) are taken in a seeded random order: the
//    key of pair (c, k) is philox4x64(seed, stream_tag("metrics.expected_map"), k, c), ascending, then (k, c) -
//    reproducible for a seed, with no north-west or low-code bias;
//  - the quantities must add up to the cells with data, so every such cell ends with exactly one class and every
//    class with exactly its quantity; a class may get cells of probability 0 when the others are full.
// Cost: O(pairs with a non-zero count) memory (16 bytes each) plus a sort of each probability level.
// Pure function; thread-safe; deterministic (single-threaded).

#include <cstdint>
#include <span>
#include <vector>

namespace parksim::metrics {

/// Options of expected_map().
struct ExpectedMapParams {
  std::uint64_t seed = 0;      ///< seed of the tie-break keys; DEFAULT 0
  std::uint8_t nodata = 255;   ///< code written to cells without data; must not be a class code. DEFAULT 255
};

/// How one class was placed.
struct ExpectedClass {
  std::uint8_t class_code = 0;
  std::int64_t cells = 0;            ///< cells given = its quantity
  double lowest_probability = 0.0;   ///< lowest probability among its cells, 0..1; NaN when it got no cell
  std::int64_t cells_not_most_probable = 0;  ///< its cells where another class had a higher probability
};

/// The expected map. Plain value type.
struct ExpectedMap {
  std::vector<std::uint8_t> cells;  ///< one class code per cell (nodata where the counts are all 0)
  std::int64_t runs = 0;            ///< runs behind the counts
  std::int64_t cells_with_data = 0;
  std::vector<ExpectedClass> classes;  ///< one per class code 0 .. class_count - 1
};

/// The expected map of `cells` cells from `class_counts` ([class x cells + cell]) and `quantity_cells` (one
/// entry per class, cells). Throws Error(config, key "class_count") unless 1 <= class_count <= 255 and
/// params.nodata >= class_count; Error(data, key "class_counts") when the counts do not hold class_count x cells
/// values, every cell is without data, or two cells have different run totals (the message names a cell of each);
/// Error(config, key "quantity") when quantity_cells has not class_count entries, one is negative, or they do not
/// add up to the cells with data (the message gives both sums).
ExpectedMap expected_map(std::span<const std::uint16_t> class_counts, int class_count, std::int64_t cells,
                         std::span<const std::int64_t> quantity_cells, const ExpectedMapParams& params = {});

}  // namespace parksim::metrics
