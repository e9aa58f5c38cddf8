#pragma once
// Rasterisation of plain polygons, lines and points onto a GridSpec. No GDAL: an exact scanline of our own,
// so grid depends on nothing but core and Eigen. The plan module converts its geometries to these types.
//
// POLYGON RULE (cell centre, even-odd): a cell belongs to a polygon when its centre is inside, decided by
// the even-odd rule over all rings of that polygon (so holes need no particular orientation, and a
// self-overlapping ring cancels where it overlaps itself). Centres exactly on the boundary are decided by
// the half-open rule of PNPOLY, computed identically for both orientations of an edge:
//  - on a vertical-ish edge: inside when the interior lies to the EAST of the edge (left edges are
//    inside, right edges outside);
//  - on a horizontal edge: inside when the interior lies to the SOUTH (bottom edges in, top edges out)
//    (a vertex exactly at the centre's y counts as lying below it).
// Consequence: polygons that tile the plane (adjacent parcels sharing edges) give every cell centre to
// exactly one of them - no gaps and no double counting, whatever the order or orientation of the rings.
// A multipolygon is the union of its polygons (each polygon is evaluated on its own).
//
// LINE RULE (all touched): a segment marks every cell whose CLOSED square it intersects, so a segment
// running exactly along a grid line marks the cells on both sides.
// POINT RULE: a point marks the one cell containing it (GridSpec::cell_at's half-open rule).
// Geometry outside the grid is clipped; nothing is an error. All functions are deterministic and
// thread-safe for distinct target grids.

#include <cstdint>
#include <span>
#include <vector>

#include "grid/grid.hpp"

namespace parksim::grid {

/// A ring: closed or open (the closing edge last -> first is implied), >= 3 distinct points to matter.
using Ring = std::vector<Point>;
/// First ring outer boundary, the rest holes (even-odd makes the distinction only a convention).
using Polygon = std::vector<Ring>;
using MultiPolygon = std::vector<Polygon>;
using LineString = std::vector<Point>;

/// Cells [col_begin, col_end) of one row.
struct RowSpan {
  int row = 0;
  int col_begin = 0;
  int col_end = 0;
  friend bool operator==(const RowSpan&, const RowSpan&) = default;
};

/// The cells of `shape` as row spans, sorted by (row, col_begin), non-overlapping and not touching
/// (adjacent spans are merged), clipped to the grid.
std::vector<RowSpan> polygon_spans(const GridSpec& spec, const MultiPolygon& shape);
std::vector<RowSpan> polygon_spans(const GridSpec& spec, const Polygon& shape);

/// Number of cells covered by spans.
std::int64_t span_cell_count(std::span<const RowSpan> spans) noexcept;

/// Sets every cell of `spans` to `value`. Spans must lie inside the grid (polygon_spans guarantees it).
template <class T>
void burn(Grid<T>& target, std::span<const RowSpan> spans, T value) {
  for (const RowSpan& s : spans) {
    T* row = target.row_data(s.row);
    for (int c = s.col_begin; c < s.col_end; ++c) row[c] = value;
  }
}

/// Burns `value` into the cells of `shape`; returns the number of cells burnt. Later calls overwrite
/// earlier ones, so burning a layer in feature order is deterministic.
template <class T>
std::int64_t rasterize_polygon(Grid<T>& target, const MultiPolygon& shape, T value) {
  const std::vector<RowSpan> spans = polygon_spans(target.spec(), shape);
  burn<T>(target, spans, value);
  return span_cell_count(spans);
}

/// Marks with `value` every cell a segment of the lines touches (line rule above); returns the number of
/// cells set (counting each cell once per call). A single-point line marks its point's cell.
std::int64_t rasterize_lines(Grid<std::uint8_t>& target, std::span<const LineString> lines,
                             std::uint8_t value = 1);

/// Marks with `value` the cell of each point inside the grid; returns the number of distinct cells set.
std::int64_t rasterize_points(Grid<std::uint8_t>& target, std::span<const Point> points,
                              std::uint8_t value = 1);

/// True when (x, y) is inside `shape` under the polygon rule above (the rasteriser's own predicate, for
/// single points).
bool contains_point(const Polygon& shape, double x, double y) noexcept;

}  // namespace parksim::grid
