#pragma once
// What a run studies, as data: the grid, the land-use classes, the dated land-use maps, the study area, the land
// that never changes and, when the study has a plan dataset, the plan's layers on the grid.
//
// A study is built from (build_study):
//  - land-use rasters by year (any GDAL raster; the latest is the start state, earlier ones feed trend demand and
//    calibration), with a class table from the scenario, a CSV, or the rasters' own category names / attribute
//    table / colour table; an optional study-area mask and exclusion layer (raster or vector); or
//  - a plan dataset (parcels rasterised, land outside parcels by the plan's rules); or
//  - both: parcels burnt over a raster land-cover base.
// Every map lies on the run's grid: a raster on another grid is an error that states both grids and gives a
// gdalwarp command that aligns it (-te ... -tr ... -r near), never one that shifts it.
//
// Plain value; thread-safe to read.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "grid/grid.hpp"
#include "plan/plan.hpp"
#include "study/classes.hpp"

namespace parksim::study {

/// One observed land-use map: class indices (ClassTable ids) per cell, no_class outside the study area or without
/// data.
struct DatedMap {
  int year = 0;
  grid::Grid<std::uint8_t> classes;
  std::string source;  ///< file it was read from ("" for maps given in memory)
};

struct Study {
  grid::GridSpec spec;
  ClassTable classes;
  int start_year = 0;
  grid::Grid<std::uint8_t> area;       ///< 1 = inside the study area
  grid::Grid<std::uint8_t> initial;    ///< class index at start_year; no_class outside the area
  grid::Grid<std::uint8_t> exclusion;  ///< 1 = never changes (exclusion layer, plan constraints); 0 elsewhere
  std::vector<DatedMap> maps;          ///< observed maps, ascending years, all <= start_year; empty without rasters

  // The plan's layers on the grid (empty grids when the study has no plan).
  grid::Grid<std::uint8_t> phase;      ///< index into plan.phases, 255 = in no phase
  grid::Grid<std::uint8_t> zone;       ///< index into plan.zones; plan.zones.size() = in no zone
  grid::Grid<std::uint8_t> ftz;        ///< 1 = inside the free-trade area
  grid::Grid<std::int32_t> parcel;     ///< index into plan.parcels, -1 = none
  std::vector<std::string> zone_ids;   ///< plan zone ids then "outside" (cells in no zone); {"outside"} without plan

  bool has_plan_layers() const noexcept { return parcel.size() > 0; }
  int zone_count() const noexcept { return static_cast<int>(zone_ids.size()); }
  /// Index of a zone id ("outside" included), or -1.
  int find_zone(const std::string& id) const noexcept;
};

/// The zone id of cells in no zone.
inline constexpr const char* outside_zone = "outside";

/// A land-use map file and its year.
struct MapFile {
  int year = 0;
  std::filesystem::path path;
  Context where;  ///< the scenario key that names it, for messages
};

/// A raster or vector layer used as a mask (inside = non-zero cells / inside a polygon).
struct MaskSource {
  std::filesystem::path path;  ///< empty = none
  std::string layer;           ///< vector layer ("" = the file's first layer)
  Context where;
};

/// How the grid is chosen. DEFAULTs as in the scenario schema.
struct GridChoice {
  /// "auto" (map when there are maps, else corridor), "map" (the grid of a map), "explicit" (the members below),
  /// "park" (the plan's phases plus park_margin_m), "corridor" (phases, zones and bases plus corridor_margin_m).
  std::string extent = "auto";
  int map_year = 0;                  ///< extent map: the map whose grid is used; 0 = the latest
  double cell_size_m = 30.0;         ///< park/corridor/explicit: cell width
  double cell_height_m = 0.0;        ///< explicit: cell height (0 = square)
  double origin_x = 0.0, origin_y = 0.0;  ///< explicit: upper-left corner
  int cols = 0, rows = 0;            ///< explicit
  std::string crs;                   ///< explicit: the grid's CRS; any extent: the CRS of rasters without one
  double park_margin_m = 500.0;
  double corridor_margin_m = 2000.0;
  std::int64_t max_cells = 2'000'000;
  Context where;                     ///< the scenario's grid keys, for messages
};

/// Everything build_study() needs besides the plan.
struct StudySpec {
  std::vector<MapFile> maps;                   ///< any order; years unique
  std::vector<ClassDeclaration> classes;       ///< declared in the scenario
  std::filesystem::path class_table;           ///< CSV of declarations (used when `classes` is empty)
  Context class_table_where;
  std::optional<std::vector<std::string>> built;  ///< classes.built: keys of the built classes (nullopt: as declared)
  Context built_where;
  MaskSource mask, exclusion;
  GridChoice grid;
  std::optional<int> start_year;               ///< years.start; nullopt = the latest map's year
  Context start_where;
  std::map<int, plan::SimClassName> plan_class_names;  ///< the plan dataset's sim_class names (plan studies)
};

/// Builds the study from `spec` and, when given, the plan (parcels over a raster base when both).
/// Throws Error(config) for contradicting keys (no map and no plan, a map dated after the start year, two maps of
/// one year, a grid extent that needs a plan without one, a grid above max_cells), Error(input) for unreadable
/// files, Error(data) for unusable maps (float values, codes not in the class table, no data at all, a map on
/// another grid - with the gdalwarp command that aligns it), Error(crs) for a raster without CRS and no grid.crs.
/// Expected findings (classes absent from some maps, land without land-use data) are Problems.
Study build_study(const StudySpec& spec, const plan::Plan* plan, ProblemReporter& problems);

/// A study from maps given in memory (Python): `maps` hold class CODES (255 = no data) on `spec`; classes from
/// `declarations` and the codes found. `mask` / `exclusion` (optional, empty = none) are non-zero inside. The start
/// year is the latest map's. Throws as build_study.
Study study_from_maps(const grid::GridSpec& spec, const std::vector<std::pair<int, grid::Grid<std::uint8_t>>>& maps,
                      const std::vector<ClassDeclaration>& declarations, const grid::Grid<std::uint8_t>& mask,
                      const grid::Grid<std::uint8_t>& exclusion, ProblemReporter& problems);

/// A class map of the study's classes read from a raster of class codes on the study's grid (as the study's own
/// maps; cells outside the study area are no_class). Throws as build_study does for its maps.
grid::Grid<std::uint8_t> read_class_map(const std::filesystem::path& path, const Study& study, const Context& where);

/// The GridSpec of a raster file (its CRS, or `assume_crs` when it has none; Error(crs) naming the file when it has
/// neither). Error(input) when unreadable, Error(data) when it is rotated or sheared.
grid::GridSpec raster_grid(const std::filesystem::path& path, const std::string& assume_crs);

/// Throws Error(data, where with the path) unless the raster at `path` lies exactly on `spec` (shape, origin, cell
/// size within 1e-6 of a cell, same CRS when both have one). The message states both grids and a gdalwarp command
/// aligning the file to `spec` with resampling `resampling` ("near" for classes and masks).
/// `grid_from` ("the grid of the map of 1991, lu_1991.tif") says where the run's grid comes from, when it is known.
void require_on_grid(const std::filesystem::path& path, const grid::GridSpec& spec, const std::string& resampling,
                     const Context& where, const std::string& grid_from = {});

}  // namespace parksim::study
