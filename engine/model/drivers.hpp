#pragma once
// Driver layers of the suitability model: named float grids on one GridSpec (distance to G6, G7, open
// stations, built land, Beiqing Road; corridor tier; zone indicators; user rasters such as slope), and
// helpers that build them from rasterised plan layers. The plan-specific wiring (which layer feeds which
// driver) belongs to the caller; this module only needs masks and grids.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "grid/grid.hpp"

namespace parksim::model {

/// Named float driver grids on one GridSpec, with each driver's mean and standard deviation over the study
/// area (the cells of `area_mask` given at construction, or all cells) - the statistics fit_suitability
/// standardises with, so coefficients are "per standard deviation over the study area".
/// Value type (copies are deep). Not synchronised; const member functions are safe from several threads.
class DriverSet {
 public:
  /// `area_mask` (non-zero = inside the study area) must be on `spec`; null means every cell.
  explicit DriverSet(grid::GridSpec spec, const grid::Grid<std::uint8_t>* area_mask = nullptr);

  /// Adds a driver and computes its mean/sd over the study area (population sd, in double, row order).
  /// Throws Error(data, key = name) on a duplicate or empty name or a non-finite value inside the study
  /// area (cap distances first: distance_driver_m), Error(internal) when `values` is on another spec.
  void add(std::string name, grid::Grid<float> values, std::string unit);

  std::size_t size() const noexcept { return m_names.size(); }
  const grid::GridSpec& spec() const noexcept { return m_spec; }
  const std::vector<std::string>& names() const noexcept { return m_names; }
  const std::string& unit(std::size_t i) const { return m_units.at(i); }
  const grid::Grid<float>& values(std::size_t i) const { return m_values.at(i); }
  double mean(std::size_t i) const { return m_mean.at(i); }
  double sd(std::size_t i) const { return m_sd.at(i); }
  /// Index of a driver by name; nullopt when absent.
  std::optional<std::size_t> find(const std::string& name) const noexcept;
  /// Index of a driver by name; throws Error(config, key = name) when absent.
  std::size_t index_of(const std::string& name) const;

  /// Raw values of the drivers `names` (all drivers, in set order, when empty) at the given flat cell
  /// indices: a cells.size() x k matrix.
  Eigen::MatrixXd sample(std::span<const std::int64_t> cells, std::span<const std::string> names = {}) const;

 private:
  grid::GridSpec m_spec;
  grid::Grid<std::uint8_t> m_area;  // empty when every cell counts
  std::vector<std::string> m_names;
  std::vector<std::string> m_units;
  std::vector<grid::Grid<float>> m_values;
  std::vector<double> m_mean;
  std::vector<double> m_sd;
};

/// Distance in metres from each cell to the nearest source cell (non-zero), capped at `max_distance_m`
/// (so an empty source set - a station not yet open - gives a constant, finite driver). Exact EDT.
grid::Grid<float> distance_driver_m(const grid::Grid<std::uint8_t>& sources, double max_distance_m);

/// A point feature that exists from `open_year` on (a metro station, a base).
struct TimedPoint {
  grid::Point location;
  int open_year = 0;
};

/// Mask (1) of the cells holding a point that is open in `year` (open_year <= year).
grid::Grid<std::uint8_t> open_points_mask(const grid::GridSpec& spec, std::span<const TimedPoint> points, int year);

/// 1 where categories == value, else 0 (a one-hot driver for a zone or corridor tier, or a class mask).
grid::Grid<float> indicator_driver(const grid::Grid<std::uint8_t>& categories, std::uint8_t value);
grid::Grid<std::uint8_t> class_mask(const grid::Grid<std::uint8_t>& classes, std::uint8_t value);

}  // namespace parksim::model
