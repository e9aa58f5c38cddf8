#pragma once
// Field-mapping files: how a user's own parcel data (other layer and field names, no CRS, GBK text) maps onto
// parksim's layers. Format (TOML; every key optional):
//
//   assume_crs = "EPSG:4548"          # CRS of layers that have none (never guessed otherwise)
//   working_crs = "EPSG:4548"         # projected CRS for areas and distances
//   source_encoding = "CP936"         # Shapefile text without .cpg
//   reference_dataset = "../geodata/zgc_life_science_park.gpkg"   # landuse_classes / plan_targets from here
//   [layers.parcels]
//   layer = "dikuai"                  # the source layer
//   [layers.parcels.fields]
//   parcel_id = "DKBH"                # our field = source field
//   landuse = "YDXZ"
//   [status_values]
//   "已建" = "built"                  # source development status -> ours
//
// Unknown keys, unknown layers and unknown fields are errors naming file:line and the key, with a suggestion.

#include <filesystem>
#include <string_view>

#include "plan/loader.hpp"

namespace parksim::scenario {

/// Reads a mapping file; relative paths in it are resolved against its folder. Throws Error(config) (or
/// Error(input) when the file cannot be read).
plan::FieldMapping load_mapping(const std::filesystem::path& path);

/// Parses mapping-file text; `origin` names it in messages and its folder resolves relative paths. Throws
/// Error(config).
plan::FieldMapping parse_mapping(std::string_view toml_text, const std::filesystem::path& origin);

}  // namespace parksim::scenario
