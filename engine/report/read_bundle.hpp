#pragma once
// Reading an output bundle (report/bundle.hpp) back, as far as a comparison needs it: what was run and its question
// (manifest.json), the classes and what the input layers rest on (manifest.json), the indicators (indicators.json,
// else indicators.csv), the phases with their fill-up years and the zones (results.gpkg), and the land-use maps
// (rasters/landuse_<year>.tif) on demand. Bundles of older parksim versions without some of these read with the
// parts they have.
// Thread-safety: pure functions reading files.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "grid/grid.hpp"
#include "report/run_result.hpp"

namespace parksim::report {

/// The RunResult of the bundle `dir` without its maps (class_maps empty; no parcels, drivers or ensemble). A bundle
/// whose manifest lists no classes (an older parksim) takes them from its first land-use raster's category names and
/// colour table (ids in raster value order; none counts as built). Errors:
/// Error(input) naming the folder when it is not a bundle (indicators.json and indicators.csv both missing) or a file
/// cannot be read; Error(data) naming the file (and line) when a file is not what parksim writes. The scenario name
/// falls back to the indicators' scenario, then to the folder name.
RunResult read_bundle(const std::filesystem::path& dir);

/// The name of the bundle's folder (its last path component; a trailing "/" is ignored).
std::string bundle_folder_name(const std::filesystem::path& dir);

/// The years of the bundle's land-use rasters (rasters/landuse_<year>.tif), ascending; empty without rasters.
std::vector<int> bundle_map_years(const std::filesystem::path& dir);

/// The land-use map of `year` of the bundle as class ids of `classes` (the raster holds their codes; 255 = none, as is
/// a code of no class; without classes the codes are taken as ids). Error(input) when it cannot be read,
/// Error(data) when it is not a single-band Byte raster.
grid::Grid<std::uint8_t> read_class_map(const std::filesystem::path& dir, int year, const std::vector<SimClass>& classes);

/// The rows of an indicators.json / indicators.csv as written by report/indicators.hpp (a CSV may start with the
/// UTF-8 BOM). Error(data) naming the file and line for anything else.
std::vector<Indicator> read_indicators_json(const std::filesystem::path& path);
std::vector<Indicator> read_indicators_csv(const std::filesystem::path& path);

}  // namespace parksim::report
