#pragma once
// Driver layers of the suitability model: named float grids on one GridSpec (distances, values, categories,
// densities), with their statistics over the study area. How each driver is built from its declaration belongs to
// study/drivers.hpp; this module only needs the grids.

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
  /// area (cap distances first: study::distance_driver_m), Error(internal) when `values` is on another spec.
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

  /// Adds the hinge terms among `names` ("slope_deg>12.5" = max(0, slope_deg - 12.5), see hinge_name) that the set
  /// lacks, computed from their base drivers. Throws Error(config, key = the term) when a base driver is missing.
  void add_terms(std::span<const std::string> names);

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

/// The name of a hinge term max(0, driver - knot): "driver>knot", the knot written with the fewest digits that read
/// back to the same double. A logistic model whose terms are a driver and some of its hinges is a linear spline in
/// that driver.
std::string hinge_name(const std::string& driver, double knot);
/// (driver, knot) of a hinge term's name; nullopt for a plain driver name.
std::optional<std::pair<std::string, double>> parse_hinge(const std::string& name);

}  // namespace parksim::model
