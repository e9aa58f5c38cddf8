// `parksim export`: a run's results.gpkg layers to a folder in one format, or to PostGIS in one transaction.
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "core/error.hpp"
#include "io/atomic.hpp"
#include "io/postgis.hpp"
#include "io/vector.hpp"

namespace parksim::cli {

namespace fs = std::filesystem;

namespace {

// The bundle's results.gpkg; Error(input) naming what is missing when `bundle` is not an output bundle.
fs::path results_of(const fs::path& bundle) {
  if (!fs::is_directory(bundle)) {
    throw Error(ErrorCode::input, "not a parksim output folder: it does not exist or is not a folder",
                Context{.path = bundle.string()});
  }
  const fs::path gpkg = bundle / "results.gpkg";
  if (!fs::is_regular_file(gpkg)) {
    throw Error(ErrorCode::input, "not a parksim output bundle: results.gpkg is missing (write one with parksim run)",
                Context{.path = gpkg.string()});
  }
  return gpkg;
}

// layer -> QML from results.gpkg's layer_styles table (empty when the bundle has none).
std::map<std::string, std::string> styles_of(const fs::path& gpkg) {
  std::map<std::string, std::string> styles;
  io::Layer table;
  try {
    table = io::read_layer(gpkg, "layer_styles");
  } catch (const Error& e) {
    if (e.code() == ErrorCode::input) return styles;
    throw;
  }
  const auto name = table.find_field("f_table_name");
  const auto qml = table.find_field("styleQML");
  if (!name || !qml) return styles;
  for (const auto& feature : table.features) {
    const auto n = io::as_text(feature.values[*name]);
    const auto q = io::as_text(feature.values[*qml]);
    if (n && q && !q->empty()) styles[std::string(*n)] = std::string(*q);
  }
  return styles;
}

bool has_features(const io::Layer& layer) {
  return layer.geometry_type != io::GeometryType::none && !layer.features.empty();
}

// io never truncates; the Shapefile export says what it cut instead of failing on a long free-text field.
void fit_dbf_strings(std::vector<io::Layer>& layers, std::ostream& err) {
  for (const auto& cut : io::shorten_for_dbf(layers)) {
    err << fmt::format("parksim: warning: layer '{}' field '{}': {} value(s) longer than the Shapefile (DBF) "
                       "limit of {} bytes cut to fit; the other formats keep them in full\n",
                       cut.layer, cut.field, cut.values, io::dbf_string_max_bytes);
  }
}

}  // namespace

int run_export(const ExportOptions& options, std::ostream& out, std::ostream& err) {
  const fs::path gpkg = results_of(options.bundle);
  const std::string& format = options.format;
  const bool to_pg = io::is_pg_connection(options.to);
  if (!to_pg && format.empty()) {
    throw Error(ErrorCode::usage, "--format is required for a folder destination (gpkg, shp, fgb, geojson)",
                Context{.key = "format"});
  }
  if (!to_pg && format != "gpkg" && format != "shp" && format != "fgb" && format != "geojson") {
    throw Error(ErrorCode::usage, fmt::format("unknown format '{}' (gpkg, shp, fgb, geojson)", format),
                Context{.key = "format"});
  }
  if (to_pg && !format.empty() && format != "pg" && format != "postgis") {
    throw Error(ErrorCode::usage, fmt::format("--to PG:... writes to PostGIS; --format '{}' does not apply "
                                              "(leave it out or use pg)", format),
                Context{.key = "format"});
  }
  if (!to_pg) refuse_existing_output(options.to, options.overwrite);  // before reading anything
  std::vector<io::Layer> layers;
  for (const auto& info : io::list_layers(gpkg, true)) layers.push_back(io::read_layer(gpkg, info.name));
  if (layers.empty()) {
    throw Error(ErrorCode::input, "results.gpkg has no layers", Context{.path = gpkg.string()});
  }
  const std::map<std::string, std::string> styles = styles_of(gpkg);

  const Progress progress;
  const InterruptScope interrupts(progress);
  if (to_pg) {
    io::PostgisOptions pg;
    pg.overwrite = options.overwrite;
    pg.progress = &progress;
    for (const auto& [name, qml] : styles) {
      for (const auto& layer : layers) {
        if (layer.name == name) pg.layer_styles[name] = qml;
      }
    }
    io::write_postgis(options.to, layers, pg);
    out << fmt::format("exported {} tables to {}\n", layers.size(), io::mask_pg_password(options.to));
    return 0;
  }

  const fs::path dest(options.to);
  io::WriteOptions write;
  write.overwrite = options.overwrite;
  std::size_t files = 0;
  if (format == "shp") {
    fit_dbf_strings(layers, err);
    for (const auto& [name, qml] : styles) write.extra_files[name + ".qml"] = qml;
    write.progress = &progress;
    io::write_shapefile_set(dest, layers, write);  // atomic as a directory
    files = layers.size();
  } else {
    io::AtomicOutput folder(dest, io::AtomicOutput::Kind::directory, options.overwrite);
    io::WriteOptions inner;  // files inside the fresh temporary folder
    inner.progress = &progress;
    if (format == "gpkg") {
      inner.layer_styles = styles;
      io::write_gpkg(folder.temp_path() / "results.gpkg", layers, inner);
      files = 1;
    } else {
      for (const auto& layer : layers) {
        if (!has_features(layer)) continue;
        if (format == "fgb") {
          io::write_flatgeobuf(folder.temp_path() / (layer.name + ".fgb"), layer, inner);
        } else {
          io::write_geojson(folder.temp_path() / (layer.name + ".geojson"), layer, inner);
        }
        ++files;
      }
    }
    progress.throw_if_cancelled();  // an interrupt while writing: the temporary goes, the destination stays
    folder.commit();
  }
  out << fmt::format("exported {} layers as {} to {} ({} files)\n", layers.size(), format, dest.string(), files);
  return 0;
}

}  // namespace parksim::cli
