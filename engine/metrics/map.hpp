#pragma once
// What every metric of parksim::metrics reads and returns: a read-only view of a categorical map, and the
// plain (id, label, unit, value) rows that the report and CSV/JSON writers print without knowing the metric.
//
// The map view is deliberately plain data (a span and a shape), so any raster holder can hand its cells over
// without a copy; metrics/grid_view.hpp's view_of() does it for a grid::Grid<std::uint8_t>.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace parksim::metrics {

/// A non-owning, read-only view of a categorical map: one class code per cell, row-major (flat index =
/// row * cols + col, row 0 is the northern row), cells of `cell_size_m` (square unless cell_height_m is set). Cells equal to `nodata`
/// are outside the study area and are excluded from every metric. Copy it freely; the viewed cells must
/// outlive it. Thread-safe to read.
struct CategoricalMapView {
  std::span<const std::uint8_t> cells;  ///< rows * cols class codes
  int rows = 0;
  int cols = 0;
  double cell_size_m = 1.0;     ///< width of a cell (x), m (> 0)
  std::uint8_t nodata = 255;    ///< code of cells without data; DEFAULT 255
  double cell_height_m = 0.0;   ///< height of a cell (y), m; 0 = square cells. DEFAULT 0

  std::int64_t cell_count() const noexcept { return static_cast<std::int64_t>(rows) * cols; }
  double cell_height() const noexcept { return cell_height_m > 0.0 ? cell_height_m : cell_size_m; }
  double cell_area_m2() const noexcept { return cell_size_m * cell_height(); }
};

/// Throws Error(ErrorCode::data, key = `name`) unless the map is usable: rows > 0, cols > 0,
/// cells.size() == rows * cols, cell_size_m finite and > 0. `name` says which map it is ("observed").
void check_map(const CategoricalMapView& map, std::string_view name);

/// Throws Error(ErrorCode::data, key = `name_b`) naming what differs (rows x cols, or cell size) unless `b`
/// has the same shape and cell size as `a`. Both maps must already pass check_map.
void require_same_shape(const CategoricalMapView& a, std::string_view name_a, const CategoricalMapView& b,
                        std::string_view name_b);

/// check_map on the three maps of a validation ("initial", "observed" and `simulated_name`, DEFAULT "simulated")
/// and require_same_shape of the last two against `initial`; throws as those do.
void check_three_maps(const CategoricalMapView& initial, const CategoricalMapView& observed,
                      const CategoricalMapView& simulated, std::string_view simulated_name = "simulated");

/// True when the cell at flat index `k` has data in all three maps (the cells every comparison counts).
inline bool compared(const CategoricalMapView& initial, const CategoricalMapView& observed,
                     const CategoricalMapView& simulated, std::size_t k) noexcept {
  return initial.cells[k] != initial.nodata && observed.cells[k] != observed.nodata &&
         simulated.cells[k] != simulated.nodata;
}

/// One printable figure. Plain value type.
struct MetricRow {
  std::string id;        ///< stable machine id, snake_case ("figure_of_merit", "edge_density")
  std::string scope;     ///< what it describes: "model", "persistence", "comparison", "landscape", "class"
  std::optional<std::uint8_t> class_code;  ///< the class a per-class figure is about, else empty
  std::string label_en;  ///< English label for tables ("Figure of Merit")
  std::string unit;      ///< "fraction" (0..1), "%", "m2", "ha", "m", "m/ha", "count", "boolean" (1 or 0)
  double value = 0.0;    ///< NaN when the metric is undefined for these maps (the struct says when)
  /// The class a per-transition figure goes TO (class_code is the class it comes from), else empty.
  std::optional<std::uint8_t> to_class_code;
  /// The aggregation factor of a multi-resolution figure (coarse cells of factor x factor cells), else empty.
  std::optional<int> factor;
};

}  // namespace parksim::metrics
