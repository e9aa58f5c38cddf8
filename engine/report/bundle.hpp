#pragma once
// The output bundle of a run (`parksim run --out DIR`), written from a RunResult:
//
//   DIR/results.gpkg          layers of report/layers.hpp + QGIS default styles in `layer_styles`
//   DIR/shp/                  when formats has "shp": one Shapefile per layer (.shp/.shx/.dbf, .prj, .cpg UTF-8,
//                             <layer>.fields.csv, <layer>.qml for the styled layers)
//   DIR/fgb/<layer>.fgb       when formats has "fgb" (spatial layers with features)
//   DIR/geojson/<layer>.geojson  when formats has "geojson" (same, WGS84)
//   DIR/rasters/landuse_<year>.tif (+ .aux.xml, + landuse_<year>.qml)   when rasters: a class COG per class map, its
//                             cells the classes' codes (their values in the user's rasters), colour table, category names and attribute table
//                             (value, class, key, red, green, blue) with the classes' bilingual names, and a QGIS
//                             style listing exactly the run's classes
//   DIR/rasters/probability_<class key>.tif (+ .qml)   when rasters and the run is an ensemble: Float32 COG per class
//   DIR/indicators.csv, DIR/indicators.json   (the CSV starts with a UTF-8 BOM, for spreadsheets: io/csv.hpp)
//   DIR/report/index.html     when html: the self-contained report (report/html.hpp)
//   DIR/manifest.json         report/manifest.hpp; written last, lists every other file with size and SHA-256
//
// Atomic at the directory level: everything is written into a temporary directory beside DIR, which is renamed
// into place only when all of it succeeded (io::AtomicOutput, directory mode). An existing DIR without
// `overwrite` is Error(ErrorCode::output_exists) before any work; on any failure (or cancellation) the previous
// DIR is untouched and no temporary is left. The same RunResult and options give byte-identical files except
// manifest.json's `started` / `finished`.
// Thread-safety: one call per target directory at a time; different targets may be written concurrently.

#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "report/run_result.hpp"

namespace parksim::report {

/// Options of write_bundle(). DEFAULTs as given.
struct BundleOptions {
  /// Vector formats: "gpkg" (always written, whether listed or not), "shp", "fgb", "geojson". Anything else is
  /// Error(ErrorCode::usage, key "format"). DEFAULT {"gpkg"}.
  std::set<std::string> formats = {"gpkg"};
  /// Replace an existing output directory. DEFAULT false.
  bool overwrite = false;
  /// Write rasters/. DEFAULT true.
  bool rasters = true;
  /// Write report/index.html. DEFAULT true.
  bool html = true;
  /// Timestamp stamped into the files (GeoPackage, DBF, layer_styles.update_time), YYYY-MM-DDTHH:MM:SS.sssZ.
  /// Fixed so the same run gives the same bytes. DEFAULT "2000-01-01T00:00:00.000Z".
  std::string timestamp = "2000-01-01T00:00:00.000Z";
  /// Start and end time of the run, for manifest.json only (free text, ISO 8601 recommended). DEFAULT "".
  std::string start_time;
  std::string end_time;
  /// Progress of the writing, one step per file; cancellation throws Error(ErrorCode::cancelled) and leaves the
  /// previous output untouched. DEFAULT nullptr: none.
  const Progress* progress = nullptr;
};

/// The folder name of a run's bundle when no folder is given (`parksim run` writes out/<this>): the scenario name is
/// a label, so the name keeps letters (any script), digits, '-', '_' and '.', turns every other character (path
/// separators, spaces, control characters) into '_', and drops leading dots, so it never leaves its parent folder
/// and is never hidden. Throws Error(ErrorCode::config, key "name") when nothing usable remains (e.g. "..", "/").
std::string output_folder_name(std::string_view scenario_name);

/// Writes the bundle described above. Errors: output_exists (see above), usage (unknown format), output (a file
/// cannot be written - naming it), input (an input file cannot be hashed for the manifest), cancelled, internal
/// (an inconsistent RunResult).
void write_bundle(const RunResult& result, const std::filesystem::path& out_dir, const BundleOptions& options = {});

/// Writes a map of simulation class ids (study::no_class = no data) as the bundle writes rasters/landuse_<year>.tif:
/// a class COG (io::write_class_cog) holding each class's raster value (its code in the user's maps), with its
/// bilingual name, colour and key (colour table, category names, attribute table). The CRS is the grid's, or
/// `fallback_crs` when the grid has none. Throws as io::write_class_cog (Error(output_exists) when the file exists and
/// !overwrite), Error(internal) for a class without a raster value in 0..254.
void write_class_map(const std::filesystem::path& path, const grid::Grid<std::uint8_t>& class_ids,
                     std::span<const SimClass> classes, const std::string& fallback_crs, bool overwrite = false);

}  // namespace parksim::report
