#include "metrics/map.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace parksim::metrics {

void check_map(const CategoricalMapView& map, std::string_view name) {
  const Context where{.key = std::string(name)};
  if (map.rows <= 0 || map.cols <= 0) {
    throw Error(ErrorCode::data, fmt::format("{} map is empty ({} x {} cells, rows x cols)", name, map.rows, map.cols),
                where);
  }
  if (static_cast<std::int64_t>(map.cells.size()) != map.cell_count()) {
    throw Error(ErrorCode::data,
                fmt::format("{} map holds {} cells but its shape {} x {} needs {}", name, map.cells.size(),
                            map.rows, map.cols, map.cell_count()),
                where);
  }
  if (!std::isfinite(map.cell_size_m) || map.cell_size_m <= 0.0) {
    throw Error(ErrorCode::data, fmt::format("{} map has cell size {} m; it must be finite and > 0", name,
                                             map.cell_size_m),
                where);
  }
}

void require_same_shape(const CategoricalMapView& a, std::string_view name_a, const CategoricalMapView& b,
                        std::string_view name_b) {
  const Context where{.key = std::string(name_b)};
  if (a.rows != b.rows || a.cols != b.cols) {
    throw Error(ErrorCode::data,
                fmt::format("{} map is {} x {} cells (rows x cols) but the {} map is {} x {}", name_b, b.rows,
                            b.cols, name_a, a.rows, a.cols),
                where);
  }
  if (a.cell_size_m != b.cell_size_m || a.cell_height() != b.cell_height()) {
    throw Error(ErrorCode::data,
                fmt::format("{} map has {} m cells but the {} map has {} m cells", name_b, b.cell_size_m, name_a,
                            a.cell_size_m),
                where);
  }
}

void check_three_maps(const CategoricalMapView& initial, const CategoricalMapView& observed,
                      const CategoricalMapView& simulated, std::string_view simulated_name) {
  check_map(initial, "initial");
  check_map(observed, "observed");
  check_map(simulated, simulated_name);
  require_same_shape(initial, "initial", observed, "observed");
  require_same_shape(initial, "initial", simulated, simulated_name);
}

}  // namespace parksim::metrics
