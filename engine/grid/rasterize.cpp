#include "grid/rasterize.hpp"

#include <algorithm>
#include <cmath>

namespace parksim::grid {
namespace {

// Converts a (possibly huge or infinite) double index guess to an int in [lo, hi].
int clamp_index(double v, int lo, int hi) noexcept {
  if (!(v >= lo)) return lo;
  if (v > hi) return hi;
  return static_cast<int>(v);
}

// An edge oriented from its lower to its upper end (by y, then x), so that both polygons sharing an edge
// compute bit-identical crossings whatever the orientation of their rings.
struct Edge {
  Point lo;
  Point hi;
};

void collect_edges(const Polygon& shape, std::vector<Edge>& edges) {
  for (const Ring& ring : shape) {
    const std::size_t n = ring.size();
    if (n < 2) continue;
    for (std::size_t i = 0; i < n; ++i) {
      const Point& a = ring[i];
      const Point& b = ring[(i + 1) % n];
      if (a.y == b.y) continue;  // horizontal edges never cross a scanline under the half-open rule
      if (a.y < b.y || (a.y == b.y && a.x < b.x)) {
        edges.push_back(Edge{a, b});
      } else {
        edges.push_back(Edge{b, a});
      }
    }
  }
}

// The PNPOLY crossing test: an edge crosses the horizontal line at y when exactly one end is strictly
// above y (a vertex exactly at y counts as below), i.e. lo.y <= y < hi.y for an oriented edge.
inline bool crosses(const Edge& e, double y) noexcept { return (e.lo.y > y) != (e.hi.y > y); }

inline double crossing_x(const Edge& e, double y) noexcept {
  return e.lo.x + (y - e.lo.y) * (e.hi.x - e.lo.x) / (e.hi.y - e.lo.y);
}

// First column whose centre x is >= x (may be cols when none). Uses the exact centre formula.
int first_col_at_or_after(const GridSpec& spec, double x) {
  int c = clamp_index(std::ceil((x - spec.origin_x) / spec.cell_size_m - 0.5), 0, spec.cols);
  while (c > 0 && spec.col_centre_x(c - 1) >= x) --c;
  while (c < spec.cols && spec.col_centre_x(c) < x) ++c;
  return c;
}

void append_polygon_spans(const GridSpec& spec, const Polygon& shape, std::vector<Edge>& edges,
                          std::vector<double>& xs, std::vector<RowSpan>& out) {
  edges.clear();
  collect_edges(shape, edges);
  if (edges.empty() || spec.rows == 0 || spec.cols == 0) return;
  double min_y = edges.front().lo.y;
  double max_y = edges.front().hi.y;
  for (const Edge& e : edges) {
    min_y = std::min(min_y, e.lo.y);
    max_y = std::max(max_y, e.hi.y);
  }
  // Rows whose centre may lie in [min_y, max_y]; the crossing test decides exactly.
  const int row_first =
      clamp_index(std::floor((spec.origin_y - max_y) / spec.cell_height() - 0.5), 0, spec.rows - 1);
  const int row_last = clamp_index(std::ceil((spec.origin_y - min_y) / spec.cell_height() - 0.5), -1, spec.rows - 1);
  for (int r = row_first; r <= row_last; ++r) {
    const double y = spec.row_centre_y(r);
    xs.clear();
    for (const Edge& e : edges) {
      if (crosses(e, y)) xs.push_back(crossing_x(e, y));
    }
    std::sort(xs.begin(), xs.end());
    // Even-odd: centre x is inside when the number of crossings with crossing > x is odd, i.e. for
    // x in [xs[0], xs[1]), [xs[2], xs[3]), ...
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
      const int c0 = first_col_at_or_after(spec, xs[i]);
      const int c1 = first_col_at_or_after(spec, xs[i + 1]);
      if (c1 > c0) out.push_back(RowSpan{r, c0, c1});
    }
  }
}

void normalise(std::vector<RowSpan>& spans) {
  std::sort(spans.begin(), spans.end(), [](const RowSpan& a, const RowSpan& b) {
    return a.row != b.row ? a.row < b.row : a.col_begin < b.col_begin;
  });
  std::size_t w = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (w > 0 && spans[w - 1].row == spans[i].row && spans[i].col_begin <= spans[w - 1].col_end) {
      spans[w - 1].col_end = std::max(spans[w - 1].col_end, spans[i].col_end);
    } else {
      spans[w++] = spans[i];
    }
  }
  spans.resize(w);
}

// Closed cell bounds, computed by one formula everywhere (the tests' brute force uses the same).
inline double cell_left(const GridSpec& g, int c) noexcept { return g.origin_x + c * g.cell_size_m; }
inline double cell_top(const GridSpec& g, int r) noexcept { return g.origin_y - r * g.cell_height(); }

// Columns whose closed x-range meets [x_low, x_high], as [first, last] (empty when first > last).
std::pair<int, int> touched_cols(const GridSpec& g, double x_low, double x_high) {
  int c0 = clamp_index(std::floor((x_low - g.origin_x) / g.cell_size_m) - 1, 0, g.cols);
  while (c0 < g.cols && cell_left(g, c0 + 1) < x_low) ++c0;      // right edge of c0 must be >= x_low
  int c1 = clamp_index(std::floor((x_high - g.origin_x) / g.cell_size_m) + 1, -1, g.cols - 1);
  while (c1 >= 0 && cell_left(g, c1) > x_high) --c1;            // left edge of c1 must be <= x_high
  return {c0, c1};
}

// Rows whose closed y-range meets [y_low, y_high], as [first, last].
std::pair<int, int> touched_rows(const GridSpec& g, double y_low, double y_high) {
  int r0 = clamp_index(std::floor((g.origin_y - y_high) / g.cell_height()) - 1, 0, g.rows);
  while (r0 < g.rows && cell_top(g, r0 + 1) > y_high) ++r0;      // bottom of r0 must be <= y_high
  int r1 = clamp_index(std::floor((g.origin_y - y_low) / g.cell_height()) + 1, -1, g.rows - 1);
  while (r1 >= 0 && cell_top(g, r1) < y_low) --r1;               // top of r1 must be >= y_low
  return {r0, r1};
}

// Marks the cells whose closed squares meet segment a-b, column strip by column strip: within a strip,
// the segment's y-range gives the rows. Returns the number of cells newly set to `value`.
std::int64_t mark_segment(Grid<std::uint8_t>& target, Point a, Point b, std::uint8_t value) {
  const GridSpec& g = target.spec();
  std::int64_t marked = 0;
  if (a.x > b.x) std::swap(a, b);
  const auto [c0, c1] = touched_cols(g, a.x, b.x);
  for (int c = c0; c <= c1; ++c) {
    const double xa = std::max(a.x, cell_left(g, c));
    const double xb = std::min(b.x, cell_left(g, c + 1));
    double ya = a.y;
    double yb = b.y;
    if (a.x != b.x) {
      const double slope = (b.y - a.y) / (b.x - a.x);
      ya = xa == a.x ? a.y : a.y + (xa - a.x) * slope;
      yb = xb == b.x ? b.y : a.y + (xb - a.x) * slope;
    }
    const auto [r0, r1] = touched_rows(g, std::min(ya, yb), std::max(ya, yb));
    for (int r = r0; r <= r1; ++r) {
      std::uint8_t& v = target(r, c);
      if (v != value) {
        v = value;
        ++marked;
      }
    }
  }
  return marked;
}

}  // namespace

std::vector<RowSpan> polygon_spans(const GridSpec& spec, const MultiPolygon& shape) {
  std::vector<RowSpan> out;
  std::vector<Edge> edges;
  std::vector<double> xs;
  for (const Polygon& p : shape) append_polygon_spans(spec, p, edges, xs, out);
  normalise(out);
  return out;
}

std::vector<RowSpan> polygon_spans(const GridSpec& spec, const Polygon& shape) {
  std::vector<RowSpan> out;
  std::vector<Edge> edges;
  std::vector<double> xs;
  append_polygon_spans(spec, shape, edges, xs, out);
  normalise(out);
  return out;
}

std::int64_t span_cell_count(std::span<const RowSpan> spans) noexcept {
  std::int64_t n = 0;
  for (const RowSpan& s : spans) n += s.col_end - s.col_begin;
  return n;
}

std::int64_t rasterize_lines(Grid<std::uint8_t>& target, std::span<const LineString> lines, std::uint8_t value) {
  std::int64_t marked = 0;
  for (const LineString& line : lines) {
    if (line.size() == 1) {
      marked += rasterize_points(target, std::span<const Point>(line.data(), 1), value);
      continue;
    }
    for (std::size_t i = 0; i + 1 < line.size(); ++i) marked += mark_segment(target, line[i], line[i + 1], value);
  }
  return marked;
}

std::int64_t rasterize_points(Grid<std::uint8_t>& target, std::span<const Point> points, std::uint8_t value) {
  std::int64_t marked = 0;
  for (const Point& p : points) {
    if (const auto cell = target.spec().cell_at(p.x, p.y)) {
      std::uint8_t& v = target(cell->row, cell->col);
      if (v != value) {
        v = value;
        ++marked;
      }
    }
  }
  return marked;
}

bool contains_point(const Polygon& shape, double x, double y) noexcept {
  std::vector<Edge> edges;
  collect_edges(shape, edges);
  bool inside = false;
  for (const Edge& e : edges) {
    if (crosses(e, y) && x < crossing_x(e, y)) inside = !inside;
  }
  return inside;
}

}  // namespace parksim::grid
