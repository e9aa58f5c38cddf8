#pragma once
// Vector and raster layers a study reads besides its maps: masks, exclusion layers and driver sources. Vector layers
// come from any GDAL vector file (reprojected to the grid's CRS) or from a layer of the plan dataset; rasters must
// lie on the grid (study.hpp, require_on_grid).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/problem.hpp"
#include "geom/geometry.hpp"
#include "grid/grid.hpp"
#include "plan/plan.hpp"
#include "study/study.hpp"

namespace parksim::study {

/// A vector layer in the grid's CRS with its attributes as text. Plain value.
struct VectorLayer {
  std::string source;               ///< "file.gpkg: roads" or "plan dataset: stations", for messages
  std::vector<std::string> fields;
  struct Item {
    std::int64_t fid = -1;
    geom::Geometry geometry;        ///< in the grid's CRS; null for a feature without geometry
    std::vector<std::optional<std::string>> values;  ///< by field; nullopt = null
  };
  std::vector<Item> features;

  std::optional<std::size_t> field_index(std::string_view field) const noexcept;
  /// The value of `field` for a feature as text, nullopt for null or an unknown field.
  std::optional<std::string> value(const Item& item, std::string_view field) const;
};

/// True when GDAL opens `path` as a raster with at least one band (else it is taken as a vector source).
bool is_raster(const std::filesystem::path& path);

/// Reads layer `layer` ("" = the first layer) of a vector file and reprojects it to the CRS of `spec`. A layer
/// without CRS is taken to be in the grid's CRS (a "study.layer_without_crs" warning). Throws Error(input) naming
/// the file and layer when unreadable, Error(crs) when it cannot be reprojected.
VectorLayer read_vector(const std::filesystem::path& path, const std::string& layer, const grid::GridSpec& spec,
                        const Context& where, ProblemReporter& problems);

/// A layer of the plan (corridor, corridor_band, bases, stations, roads, constraints, ftz, zones, phases) with the
/// fields name, name_zh, kind (also line, class, tier) and opens. Error(config, where) naming the layers for an
/// unknown name.
VectorLayer plan_layer(const plan::Plan& plan, const std::string& name, const Context& where);

/// 1 inside `source` on `spec`: non-zero, non-nodata cells of a raster on the grid, or cells whose centre lies in a
/// polygon of a vector layer. Throws as read_vector / require_on_grid.
grid::Grid<std::uint8_t> read_mask(const MaskSource& source, const grid::GridSpec& spec, ProblemReporter& problems);

/// Band 1 of a raster on the grid (require_on_grid with `resampling` for the message) as floats; nodata and NaN
/// cells are NaN.
grid::Grid<float> read_values(const std::filesystem::path& path, const grid::GridSpec& spec,
                              const std::string& resampling, const Context& where);

}  // namespace parksim::study
