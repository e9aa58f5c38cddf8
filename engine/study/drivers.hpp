#pragma once
// Drivers of land change, declared as data ([drivers.<name>] in a scenario) and built on a study's grid year by
// year. No driver is known to C++ by name: which road, line or class matters is the scenario's choice.
//
// Kinds:
//  - distance: metres to the nearest source cell - features of a vector layer (matching `where`, open in the year),
//    non-zero cells of a raster, or the cells of classes on the year's map (updated every simulated year, or
//    measured once on the start map);
//  - value:    a raster's values (slope, elevation, land price); nodata cells inside the study area take the mean;
//  - category: a numeric attribute of polygons (a corridor tier), `outside` elsewhere; where polygons overlap the
//    smallest value wins (inner tiers), or the largest;
//  - density:  kernel density of points within `radius_m` (quartic kernel, points per km2, or the sum of a weight
//    field per km2);
//  - share:    the share of the cells of classes in the square window of half-side `radius_m` around each cell (the
//    neighbourhood of a cellular automaton, at any scale), measured on each year's map like class distances.
// A source may change by year (one file per year, the latest at or before the year in effect) or carry an opening
// year per feature (`opens_field`; plan layers: the plan's opening years with the scenario's infrastructure
// timeline applied). Then `cap` (values above it are set to it; distances DEFAULT to the run's max distance, so a
// driver with no source yet is finite) and `transform` (none, log1p, decay = exp(-v / length_m)).
//
// Determinism: build() depends only on the declarations, the input files, the year and the map. Thread-safe: const
// members may run concurrently (ensemble runs rebuild drivers on their own maps).

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "grid/grid.hpp"
#include "grid/rasterize.hpp"
#include "plan/plan.hpp"
#include "study/study.hpp"

namespace parksim::study {

enum class DriverKind { distance, value, category, density, share };
enum class DriverTransform { none, log1p, decay };

std::string_view to_string(DriverKind kind) noexcept;
/// "distance", "value", "category", "density", "share" (Error(config) otherwise, listing them).
DriverKind driver_kind_from(std::string_view text, const Context& where);
DriverTransform driver_transform_from(std::string_view text, const Context& where);

/// One version of a driver's source, in effect from `from_year` (the first version also before it).
struct DriverSource {
  int from_year = std::numeric_limits<int>::min();
  std::filesystem::path path;  ///< raster or vector file; empty = a plan layer (DriverSpec::layer) or `values`
  grid::Grid<float> values;    ///< given in memory (Python): kind value = the values; kind distance: non-zero =
                               ///< source cells; must be on the study's grid
};

/// A driver declaration. DEFAULTs as given.
struct DriverSpec {
  std::string name;
  DriverKind kind = DriverKind::value;
  std::vector<DriverSource> sources;  ///< any order; empty for class distances and plan layers
  std::string layer;                  ///< vector layer of the source file, or of the plan dataset without a source
  std::string where;                  ///< attribute filter of vector features (filter.hpp); "" = all
  std::vector<std::string> classes;   ///< kinds distance and share: the cells of these classes (keys)
  bool built_classes = false;         ///< kinds distance and share: the cells of every built class
  bool every_year = true;             ///< class distance / share: measured on each simulated year's map (false: start map)
  std::string field;                  ///< category: the numeric attribute; density: optional weight field (a
                                      ///< feature whose value is not a number within float's range is left out,
                                      ///< with a warning)
  std::string opens_field;            ///< file vector sources: a feature counts from the year in this field
  std::optional<double> outside;      ///< category: value outside every polygon. DEFAULT largest value + 1
  bool smallest_wins = true;          ///< category: where polygons overlap. DEFAULT the smallest value
  double radius_m = 1000.0;           ///< density: kernel radius; share: half the window side. DEFAULT 1000
  std::optional<double> cap;          ///< values above are set to it. DEFAULT distance: the run's max distance
  DriverTransform transform = DriverTransform::none;
  double length_m = 1000.0;           ///< decay length. DEFAULT 1000
  std::string unit;                   ///< label; DEFAULT "m" for distances, "1/km2" for densities, "" else
  Context where_declared;             ///< file:line:key of the declaration
};

/// One driver grid.
struct DriverLayer {
  std::string name, unit;
  grid::Grid<float> values;  ///< finite inside the study area
};

/// Builds declared drivers on a study. Construction reads and prepares every source (files read once).
class DriverBuilder {
 public:
  /// Throws Error(config, where_declared) for an inconsistent declaration (no source, unknown class or field, a
  /// where on a raster, a name used twice, a cap or outside beyond float's range), Error(input) for unreadable sources, Error(data) for rasters on another
  /// grid (with the gdalwarp command that aligns them) or a category attribute that is not a number.
  /// `plan` may be null (then declarations may not use plan layers). `default_cap_m` caps distances.
  DriverBuilder(std::vector<DriverSpec> specs, const Study& study, const plan::Plan* plan, double default_cap_m,
                ProblemReporter& problems);
  DriverBuilder(const DriverBuilder&) = delete;
  DriverBuilder& operator=(const DriverBuilder&) = delete;
  DriverBuilder(DriverBuilder&&) noexcept;
  DriverBuilder& operator=(DriverBuilder&&) noexcept;
  ~DriverBuilder();

  /// Declared driver names, in declaration order.
  std::vector<std::string> names() const;
  bool has(const std::string& name) const noexcept;
  /// True when a driver among `names` (all when empty) is measured on each year's map.
  bool depends_on_map(std::span<const std::string> names = {}) const;

  /// The drivers `names` (all when empty, in declaration order) in `year`, class distances measured on `map`
  /// (class indices of the study; those with every_year = false on the study's start map).
  /// Error(config) naming an unknown driver; Error(data) naming the driver and a cell when a value inside the study
  /// area leaves float's range (a density of huge weights, a source value near FLT_MAX), so every layer is finite.
  std::vector<DriverLayer> build(int year, const grid::Grid<std::uint8_t>& map,
                                 std::span<const std::string> names = {}) const;

  /// What the sources of drivers `names` look like in `year` (version in effect, features open); two years with
  /// equal states give equal drivers for equal maps.
  std::vector<std::uint8_t> state(int year, std::span<const std::string> names = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Distance in metres from each cell to the nearest source cell (non-zero), capped at `max_distance_m` (so an
/// empty source set - a station not yet open - gives a constant, finite driver). Exact EDT.
grid::Grid<float> distance_driver_m(const grid::Grid<std::uint8_t>& sources, double max_distance_m);
/// 1 where classes == value, else 0.
grid::Grid<std::uint8_t> class_mask(const grid::Grid<std::uint8_t>& classes, std::uint8_t value);

}  // namespace parksim::study
