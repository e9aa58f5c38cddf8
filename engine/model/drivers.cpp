#include "model/drivers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "grid/distance.hpp"
#include "grid/rasterize.hpp"

namespace parksim::model {

DriverSet::DriverSet(grid::GridSpec spec, const grid::Grid<std::uint8_t>* area_mask) : m_spec(std::move(spec)) {
  m_spec.validate();
  if (area_mask) {
    grid::require_same_spec(m_spec, area_mask->spec(), "DriverSet study-area mask");
    m_area = *area_mask;
  }
}

void DriverSet::add(std::string name, grid::Grid<float> values, std::string unit) {
  if (name.empty()) throw Error(ErrorCode::data, "a driver needs a name", Context{.key = "drivers"});
  if (find(name)) throw Error(ErrorCode::data, "driver '" + name + "' is defined twice", Context{.key = name});
  grid::require_same_spec(m_spec, values.spec(), "DriverSet::add");
  // Mean and sd in two passes over the study area, in row order (deterministic).
  const bool all = m_area.size() == 0;
  double sum = 0.0;
  std::int64_t count = 0;
  for (std::int64_t i = 0; i < values.size(); ++i) {
    if (!all && m_area[i] == 0) continue;
    const double v = values[i];
    if (!std::isfinite(v)) {
      const grid::Cell cell = m_spec.cell_of_index(i);
      const grid::Point p = m_spec.cell_centre(cell.row, cell.col);
      throw Error(ErrorCode::data, "driver '" + name + "' is not finite in the study area",
                  Context{.key = name, .coordinate = Coordinate{p.x, p.y}});
    }
    sum += v;
    ++count;
  }
  const double mean = count > 0 ? sum / static_cast<double>(count) : 0.0;
  double squares = 0.0;
  for (std::int64_t i = 0; i < values.size(); ++i) {
    if (!all && m_area[i] == 0) continue;
    const double d = values[i] - mean;
    squares += d * d;
  }
  m_mean.push_back(mean);
  m_sd.push_back(count > 0 ? std::sqrt(squares / static_cast<double>(count)) : 0.0);
  m_names.push_back(std::move(name));
  m_units.push_back(std::move(unit));
  m_values.push_back(std::move(values));
}

std::optional<std::size_t> DriverSet::find(const std::string& name) const noexcept {
  const auto it = std::find(m_names.begin(), m_names.end(), name);
  if (it == m_names.end()) return std::nullopt;
  return static_cast<std::size_t>(it - m_names.begin());
}

std::size_t DriverSet::index_of(const std::string& name) const {
  if (const auto i = find(name)) return *i;
  throw Error(ErrorCode::config, "unknown driver '" + name + "'", Context{.key = name});
}

std::string hinge_name(const std::string& driver, double knot) { return fmt::format("{}>{}", driver, knot); }

std::optional<std::pair<std::string, double>> parse_hinge(const std::string& name) {
  const auto gt = name.rfind('>');
  if (gt == std::string::npos || gt == 0) return std::nullopt;
  const std::string knot = name.substr(gt + 1);
  char* end = nullptr;
  const double v = std::strtod(knot.c_str(), &end);
  if (knot.empty() || end != knot.c_str() + knot.size() || !std::isfinite(v)) return std::nullopt;
  return std::make_pair(name.substr(0, gt), v);
}

void DriverSet::add_terms(std::span<const std::string> names) {
  for (const std::string& name : names) {
    if (find(name)) continue;
    const auto hinge = parse_hinge(name);
    if (!hinge) continue;
    const auto base = find(hinge->first);
    if (!base) {
      throw Error(ErrorCode::config, "no driver '" + hinge->first + "' for the term '" + name + "'",
                  Context{.key = name});
    }
    grid::Grid<float> v(m_spec, 0.0F);
    const grid::Grid<float>& b = m_values[*base];
    const float knot = static_cast<float>(hinge->second);
    for (std::int64_t i = 0; i < v.size(); ++i) v[i] = std::max(0.0F, b[i] - knot);
    add(name, std::move(v), m_units[*base]);
  }
}

Eigen::MatrixXd DriverSet::sample(std::span<const std::int64_t> cells, std::span<const std::string> names) const {
  std::vector<std::size_t> columns;
  if (names.empty()) {
    for (std::size_t j = 0; j < size(); ++j) columns.push_back(j);
  } else {
    for (const std::string& n : names) columns.push_back(index_of(n));
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(cells.size()), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const grid::Grid<float>& g = m_values[columns[j]];
    for (std::size_t i = 0; i < cells.size(); ++i) {
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = g[cells[i]];
    }
  }
  return x;
}

}  // namespace parksim::model
