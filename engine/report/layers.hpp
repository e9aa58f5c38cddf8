#pragma once
// The layers of results.gpkg (and of the Shapefile / FlatGeobuf / GeoJSON / PostGIS exports) made from a RunResult,
// as io layers in the run's working CRS.
//
// One meaning per field name: every field comes from one catalogue (name, type, labels zh/en, unit), so a name means
// the same in every layer and format - `status` is the development status (parcels), `data_status` the data quality
// (surveyed-osm / derived / schematic) in every layer, `sim_class` the integer class value of the land-use rasters,
// `class_key` its key, `name_en` / `name_zh` the names. Names are at most 10 bytes where possible, so the Shapefile's
// DBF names equal them; data_status, indicator_id, shadow_price and persistence are longer and cut to DBF names no
// other field has (<layer>.fields.csv maps them back).
//
// Spatial layers, always present (possibly empty), in this order: parcels, zones, phases, corridor, corridor_band,
// bases, stations. Non-spatial tables: indicators (the columns of indicators.csv), allocation_constraints (when
// the run has an allocation), zone_areas (year, zone, sim_class, class_key, area), classes (sim_class, class_key,
// name_en, name_zh, colour, built, lu_codes: the classes of the land-use rasters), validation (when calibrated).
// parcels carry, per plan parcel, the plan attributes and the results: dev_year, dev_share, dev_prob, sim_class and
// class_key (at the end), alloc_zone, alloc_lu, alloc_kept, alloc_year, alloc_fit (-1 years and classes are written
// as null), gfa_m2 (floor area at the end: area x dev_share x far, see ParcelResult::gfa_m2). corridor / corridor_band / bases / stations: name_en, name_zh, then axis / tier / base_tier / line
// (stations also opens_year). Every field has labels (zh/en) and a unit for the Shapefile map.
// Thread-safety: pure function.

#include <vector>

#include "io/vector.hpp"
#include "report/run_result.hpp"

namespace parksim::report {

/// Names of fields other code reads back from a bundle.
namespace field_name {
inline constexpr const char* fillup_year = "fill_year";  ///< phases: year the phase filled up (run 0)
}  // namespace field_name

/// The CRS reference of a CRS text such as "EPSG:4548" (an EPSG code) or any other definition GDAL reads (WKT,
/// PROJ string: kept as text).
io::CrsRef crs_ref(const std::string& crs);

/// Builds the layers described above. Throws Error(ErrorCode::internal) when result.parcels is neither empty nor
/// parallel to result.plan.parcels.
std::vector<io::Layer> result_layers(const RunResult& result);

/// Names of the spatial layers of result_layers(), in order.
std::vector<std::string> spatial_layer_names();

}  // namespace parksim::report
