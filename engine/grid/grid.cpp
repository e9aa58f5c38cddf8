#include "grid/grid.hpp"

#include <cmath>

namespace parksim::grid {

GridSpec GridSpec::covering(double min_x, double min_y, double max_x, double max_y, double cell_size_m,
                            std::string crs) {
  if (!(cell_size_m > 0.0) || !std::isfinite(cell_size_m)) {
    throw Error(ErrorCode::config, "cell size must be a positive number of metres", Context{.key = "grid.cell_size_m"});
  }
  if (!(min_x <= max_x) || !(min_y <= max_y) || !std::isfinite(min_x) || !std::isfinite(max_x) ||
      !std::isfinite(min_y) || !std::isfinite(max_y)) {
    throw Error(ErrorCode::config, "grid extent is empty or not finite", Context{.key = "grid.extent"});
  }
  // Snap outwards to multiples of the cell size so that grids of the same cell size always align.
  const double x0 = std::floor(min_x / cell_size_m) * cell_size_m;
  const double y1 = std::ceil(max_y / cell_size_m) * cell_size_m;
  const double cols = std::ceil((max_x - x0) / cell_size_m);
  const double rows = std::ceil((y1 - min_y) / cell_size_m);
  GridSpec spec;
  spec.origin_x = x0;
  spec.origin_y = y1;
  spec.cell_size_m = cell_size_m;
  spec.cols = std::max(1, static_cast<int>(cols));
  spec.rows = std::max(1, static_cast<int>(rows));
  spec.crs = std::move(crs);
  return spec;
}

void GridSpec::validate() const {
  if (!(cell_size_m > 0.0) || !std::isfinite(cell_size_m)) {
    throw Error(ErrorCode::config, "grid cell size must be a positive number of metres",
                Context{.key = "grid.cell_size_m"});
  }
  if (!(cell_height_m >= 0.0) || !std::isfinite(cell_height_m)) {
    throw Error(ErrorCode::config, "grid cell height must be 0 (square cells) or a positive number of metres",
                Context{.key = "grid.cell_height_m"});
  }
  if (rows < 0 || cols < 0) {
    throw Error(ErrorCode::config, "grid shape must not be negative", Context{.key = "grid"});
  }
  if (!std::isfinite(origin_x) || !std::isfinite(origin_y)) {
    throw Error(ErrorCode::config, "grid origin must be finite", Context{.key = "grid"});
  }
}

std::optional<Cell> GridSpec::cell_at(double x, double y) const noexcept {
  const double c = std::floor((x - origin_x) / cell_size_m);
  const double r = std::floor((origin_y - y) / cell_height());
  if (!(c >= 0.0 && c < cols && r >= 0.0 && r < rows)) return std::nullopt;
  return Cell{static_cast<int>(r), static_cast<int>(c)};
}

void require_same_spec(const GridSpec& a, const GridSpec& b, const char* what) {
  if (!(a == b)) {
    throw Error(ErrorCode::internal, std::string(what) + ": grids are not on the same grid spec");
  }
}

}  // namespace parksim::grid
