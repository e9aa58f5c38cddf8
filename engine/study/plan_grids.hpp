#pragma once
// The plan on the simulation grid: which grid a scenario's extent gives, and the plan's layers rasterised onto it
// (initial class map, constraints, phases, zones, free-trade area, parcels, study area). Geometry from geom is
// converted to grid's plain polygons and lines here, so grid stays free of GEOS.

#include <cstdint>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "grid/grid.hpp"
#include "grid/rasterize.hpp"
#include "plan/plan.hpp"
#include "study/classes.hpp"

namespace parksim::study {

/// How the grid is chosen (scenario keys grid.*). DEFAULTs as in the scenario schema.
struct PlanGridChoice {
  std::string extent = "corridor";  ///< "park" or "corridor"
  double cell_size_m = 30.0;
  double park_margin_m = 500.0;      ///< extent park: margin around the phases' envelope
  double corridor_margin_m = 2000.0; ///< extent corridor: margin around phases, zones and bases
  std::int64_t max_cells = 2'000'000;
};

/// The grid of a plan: extent "park" = the phases' envelope plus park_margin_m; extent "corridor" = the envelope
/// of the phases, the zones and the corridor bases plus corridor_margin_m (the corridor band itself reaches 40 km
/// along the expressways, far beyond any land the park's demand can reach). Corners on multiples of the cell size.
/// Throws Error(config, key "grid.cell_size_m") when the grid would exceed max_cells, Error(data) when the plan has
/// no phase or parcel geometry.
grid::GridSpec choose_grid(const plan::Plan& plan, const PlanGridChoice& choice);

/// Index of the sim class of roads/utilities and of green/water in a plan's land-use classes (-1 when absent):
/// the class of the first non-developable code of national group 12/13 (roads) or 14/17/03 (green, water, forest).
struct SpecialClasses {
  int roads = -1;
  int green = -1;
};
SpecialClasses special_classes(const plan::Plan& plan);

/// The plan's layers on one grid. Indices refer to the plan's vectors.
struct PlanGrids {
  grid::GridSpec spec;
  grid::Grid<std::uint8_t> study;       ///< 1 = inside the study area (phases, zones, and for extent corridor the
                                        ///< corridor band), 0 = outside (nodata in every map)
  grid::Grid<std::uint8_t> classes;     ///< initial sim class; 255 outside the study area
  grid::Grid<std::uint8_t> constraint;  ///< 1 = in a constraints polygon (never changes)
  grid::Grid<std::uint8_t> phase;       ///< index into plan.phases, 255 = in no phase
  grid::Grid<std::uint8_t> zone;        ///< index into plan.zones; plan.zones.size() = in no zone ("outside")
  grid::Grid<std::uint8_t> ftz;         ///< 1 = inside the free-trade area
  grid::Grid<std::int32_t> parcel;      ///< index into plan.parcels, -1 = none
  std::int64_t cells_without_landuse = 0;  ///< study cells outside every parcel (class by rule, not by data)
};

/// Rasterises the plan (cell-centre rule of grid/rasterize.hpp). Classes: study cells outside every parcel are
/// class 0 (non-built), the green/water class inside a constraints polygon, the roads class on a road or corridor
/// axis line; parcels then burn their land use's sim class in feature order. Reports "grid.no_landuse_outside_parcels"
/// (info) with the area classed by that rule, "grid.parcel_without_cells" (info) for parcels smaller than a cell
/// whose centre they miss, and "grid.class_unmapped" (warning) for parcels whose land use has no sim class (left
/// at class 0). Throws Error(data) when there are more than 254 phases or zones.
/// With a land-cover `base` (class indices on `spec`, no_class without data), the study area is the base's data
/// cells, land outside parcels keeps the base's class, and parcels burn the class whose code in `classes` is their
/// land use's sim_class (a land use whose sim_class is no class of the table is "grid.class_unmapped" and keeps the
/// base's class).
PlanGrids rasterize_plan(const plan::Plan& plan, const grid::GridSpec& spec, bool corridor_extent,
                         ProblemReporter& problems, const grid::Grid<std::uint8_t>* base = nullptr,
                         const ClassTable* classes = nullptr);

/// geom polygons -> grid polygons (rings as given; the rasteriser's even-odd rule needs no orientation).
grid::MultiPolygon to_grid_polygons(const geom::Geometry& geometry);
/// The line strings of a LineString / MultiLineString / GeometryCollection (from its WKB); empty for polygons and
/// points.
std::vector<grid::LineString> to_grid_lines(const geom::Geometry& geometry);
/// The points of a Point / MultiPoint / GeometryCollection (from its WKB); empty points are skipped.
std::vector<grid::Point> to_grid_points(const geom::Geometry& geometry);

}  // namespace parksim::study
