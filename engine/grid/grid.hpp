#pragma once
// Raster geometry (GridSpec) and raster values (Grid<T>) on one projected working CRS.
//
// Conventions, used by every function of parksim::grid and by the modules above it:
//  - north-up grid; (origin_x, origin_y) is the UPPER-LEFT corner of cell (row 0, col 0), in metres;
//  - rows grow southwards (y decreases), columns grow eastwards (x increases);
//  - cell (row, col) covers x in [origin_x + col*s, origin_x + (col+1)*s) and
//    y in (origin_y - (row+1)*s, origin_y - row*s] (s = cell_size_m): every point belongs to one cell;
//  - values are stored row-major: flat index = row * cols + col, a row is contiguous in memory.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <Eigen/Core>

#include "core/error.hpp"

namespace parksim::grid {

/// A planar point in the working CRS, metres.
struct Point {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const Point&, const Point&) = default;
};

/// A cell address. Plain value.
struct Cell {
  int row = 0;
  int col = 0;
  friend bool operator==(const Cell&, const Cell&) = default;
};

/// Where a grid lies: origin (upper-left corner, m), cell size (m), shape and CRS.
/// Cells are square unless cell_height_m is set: a user's raster may have cells of, say, 99.92 m x 99.95 m, and
/// a run on that raster's grid keeps them (its outputs compare cell by cell with the user's maps).
/// Plain value type: copyable, comparable (every member, the cell height as cell_height()), thread-safe to read.
struct GridSpec {
  double origin_x = 0.0;     ///< x of the upper-left corner, m
  double origin_y = 0.0;     ///< y of the upper-left corner, m
  double cell_size_m = 1.0;  ///< width of a cell (x), m (> 0); also its height when cell_height_m is 0
  int cols = 0;              ///< number of columns (>= 0)
  int rows = 0;              ///< number of rows (>= 0)
  std::string crs;           ///< CRS identifier of the coordinates ("EPSG:4548"); not interpreted here
  double cell_height_m = 0.0;  ///< height of a cell (y), m; 0 = square cells (= cell_size_m). DEFAULT 0

  /// Smallest grid of `cell_size_m` cells whose corners are multiples of `cell_size_m` and which covers
  /// the box [min_x, max_x] x [min_y, max_y]. Throws Error(config) on a non-positive cell size or an
  /// inverted box.
  static GridSpec covering(double min_x, double min_y, double max_x, double max_y, double cell_size_m,
                           std::string crs);

  /// Throws Error(config, key "grid") unless cell_size_m > 0 and finite, rows/cols >= 0, origin finite.
  void validate() const;

  std::int64_t cell_count() const noexcept { return static_cast<std::int64_t>(rows) * cols; }
  /// Width (x) and height (y) of a cell, m.
  double cell_width() const noexcept { return cell_size_m; }
  double cell_height() const noexcept { return cell_height_m > 0.0 ? cell_height_m : cell_size_m; }
  bool square_cells() const noexcept { return cell_height() == cell_size_m; }
  double cell_area_m2() const noexcept { return cell_size_m * cell_height(); }
  double width_m() const noexcept { return cols * cell_size_m; }
  double height_m() const noexcept { return rows * cell_height(); }
  double min_x() const noexcept { return origin_x; }
  double max_x() const noexcept { return origin_x + width_m(); }
  double min_y() const noexcept { return origin_y - height_m(); }
  double max_y() const noexcept { return origin_y; }

  bool contains(int row, int col) const noexcept { return row >= 0 && row < rows && col >= 0 && col < cols; }
  std::int64_t flat_index(int row, int col) const noexcept {
    return static_cast<std::int64_t>(row) * cols + col;
  }
  Cell cell_of_index(std::int64_t flat) const noexcept {
    return Cell{static_cast<int>(flat / cols), static_cast<int>(flat % cols)};
  }

  /// x of the centre of column `col` / y of the centre of row `row`, m. These two are THE cell-centre
  /// formulas: the rasteriser and the distance transform use exactly them.
  double col_centre_x(int col) const noexcept { return origin_x + (col + 0.5) * cell_size_m; }
  double row_centre_y(int row) const noexcept { return origin_y - (row + 0.5) * cell_height(); }
  Point cell_centre(int row, int col) const noexcept { return Point{col_centre_x(col), row_centre_y(row)}; }

  /// The cell containing (x, y) under the half-open rule above, or nullopt outside the grid.
  std::optional<Cell> cell_at(double x, double y) const noexcept;

  friend bool operator==(const GridSpec& a, const GridSpec& b) noexcept {
    return a.origin_x == b.origin_x && a.origin_y == b.origin_y && a.cell_size_m == b.cell_size_m &&
           a.cols == b.cols && a.rows == b.rows && a.crs == b.crs && a.cell_height() == b.cell_height();
  }
};

/// Values of type T on a GridSpec, stored in a row-major Eigen array (rows x cols).
/// Value type: copies are deep; moves are cheap. Not synchronised: concurrent writes to different cells
/// are fine, to the same cell are not. data() points at rows*cols contiguous values (row-major), valid
/// until the grid is resized, moved from or destroyed - for zero-copy export (numpy, GDAL).
template <class T>
class Grid {
 public:
  using value_type = T;
  using Array = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  Grid() = default;
  /// Throws Error(config) when spec is invalid (see GridSpec::validate).
  explicit Grid(GridSpec spec, T fill = T{}) : m_spec(std::move(spec)) {
    m_spec.validate();
    m_values.setConstant(m_spec.rows, m_spec.cols, fill);
  }
  /// Takes ownership of `values`; throws Error(internal) when its shape differs from the spec.
  Grid(GridSpec spec, Array values) : m_spec(std::move(spec)), m_values(std::move(values)) {
    m_spec.validate();
    if (m_values.rows() != m_spec.rows || m_values.cols() != m_spec.cols) {
      throw Error(ErrorCode::internal, "grid values do not match the grid shape");
    }
  }

  const GridSpec& spec() const noexcept { return m_spec; }
  int rows() const noexcept { return m_spec.rows; }
  int cols() const noexcept { return m_spec.cols; }
  std::int64_t size() const noexcept { return m_spec.cell_count(); }

  /// Unchecked access (row, col) and by flat index.
  T& operator()(int row, int col) noexcept { return m_values(row, col); }
  const T& operator()(int row, int col) const noexcept { return m_values(row, col); }
  T& operator[](std::int64_t flat) noexcept { return m_values.data()[flat]; }
  const T& operator[](std::int64_t flat) const noexcept { return m_values.data()[flat]; }
  /// Checked access; throws Error(internal) outside the grid.
  T& at(int row, int col) {
    check(row, col);
    return m_values(row, col);
  }
  const T& at(int row, int col) const {
    check(row, col);
    return m_values(row, col);
  }

  T* data() noexcept { return m_values.data(); }
  const T* data() const noexcept { return m_values.data(); }
  T* row_data(int row) noexcept { return m_values.data() + static_cast<std::int64_t>(row) * cols(); }
  const T* row_data(int row) const noexcept {
    return m_values.data() + static_cast<std::int64_t>(row) * cols();
  }
  Array& values() noexcept { return m_values; }
  const Array& values() const noexcept { return m_values; }

  void fill(T value) { m_values.setConstant(value); }

 private:
  void check(int row, int col) const {
    if (!m_spec.contains(row, col)) {
      throw Error(ErrorCode::internal, "cell (" + std::to_string(row) + ", " + std::to_string(col) +
                                           ") is outside a " + std::to_string(rows()) + " x " +
                                           std::to_string(cols()) + " grid");
    }
  }

  GridSpec m_spec;
  Array m_values;
};

/// Throws Error(internal) with `what` in the message unless a and b have the same spec.
void require_same_spec(const GridSpec& a, const GridSpec& b, const char* what);

}  // namespace parksim::grid
