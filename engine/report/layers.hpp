#pragma once
// The layers of results.gpkg (and of the Shapefile / FlatGeobuf / GeoJSON exports) made from a RunResult, as io
// layers in the plan's working CRS. Field names follow the bundled dataset (parcels: `status` = development
// status, `data_status` = data quality; other layers: `status` = data quality, so the schematic flags survive).
//
// Spatial layers, always present (possibly empty), in this order: parcels, zones, phases, corridor, corridor_band,
// bases, stations. Non-spatial tables: indicators (the columns of indicators.csv), allocation_constraints (when
// the run has an allocation), zone_areas (year, zone, class, area), validation (when calibrated).
// parcels carry, per plan parcel, the plan attributes and the results: developed_year, developed_share,
// dev_probability, sim_class_end, sim_class, alloc_zone, alloc_landuse, alloc_kept, alloc_year, alloc_score
// (-1 years and classes are written as null). Every field has labels (zh/en) and a unit for the Shapefile map.
// Thread-safety: pure function.

#include <vector>

#include "io/vector.hpp"
#include "report/run_result.hpp"

namespace parksim::report {

/// The CRS reference of a CRS text such as "EPSG:4548" (an EPSG code) or any other definition GDAL reads (WKT,
/// PROJ string: kept as text).
io::CrsRef crs_ref(const std::string& crs);

/// Builds the layers described above. Throws Error(ErrorCode::internal) when result.parcels is neither empty nor
/// parallel to result.plan.parcels.
std::vector<io::Layer> result_layers(const RunResult& result);

/// Names of the spatial layers of result_layers(), in order.
std::vector<std::string> spatial_layer_names();

}  // namespace parksim::report
