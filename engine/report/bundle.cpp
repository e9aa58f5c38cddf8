#include "report/bundle.hpp"

#include <array>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/atomic.hpp"
#include "io/raster.hpp"
#include "io/vector.hpp"
#include "report/detail/format.hpp"
#include "report/detail/map.hpp"
#include "report/html.hpp"
#include "report/indicators.hpp"
#include "report/layers.hpp"
#include "report/manifest.hpp"
#include "report/styles.hpp"

namespace parksim::report {

namespace fs = std::filesystem;

namespace {

/// One progress step per file written, so a cancellation lands between two files (never inside a rename).
class Steps {
 public:
  Steps(const Progress* progress, int total) : m_progress(progress), m_total(total) {}
  void next(const std::string& what) {
    if (m_progress != nullptr) m_progress->check(static_cast<double>(m_done) / m_total, what);
    ++m_done;
  }
  void finish() const {
    if (m_progress != nullptr) m_progress->check(1.0, "bundle written");
  }

 private:
  const Progress* m_progress;
  int m_total;
  int m_done = 0;
};

io::RasterGeometry raster_geometry(const grid::GridSpec& spec, const std::string& fallback_crs) {
  io::RasterGeometry g;
  g.origin_x = spec.origin_x;
  g.origin_y = spec.origin_y;
  g.cell_size = spec.cell_size_m;
  g.cell_height = spec.cell_height_m;
  g.cols = spec.cols;
  g.rows = spec.rows;
  const std::string& crs = spec.crs.empty() ? fallback_crs : spec.crs;
  if (!crs.empty()) g.crs = crs_ref(crs);
  return g;
}

void make_directory(const fs::path& dir) {
  std::error_code ec;
  fs::create_directory(dir, ec);
  if (ec) throw Error(ErrorCode::output, fmt::format("cannot create the directory: {}", ec.message()),
                      Context{.path = dir.string()});
}

// "R&D 科研": the class's bilingual name for category names, attribute tables and legends.
std::string class_name(const SimClass& cls) { return detail::class_label(cls); }

// The classes as the rasters hold them: each class's raster value, bilingual name, colour and key.
std::vector<io::RasterClass> raster_classes(std::span<const SimClass> classes) {
  std::vector<io::RasterClass> out;
  for (const auto& cls : classes) {
    const int value = cls.raster_value();
    if (cls.id < 0 || cls.id >= io::class_nodata || value < 0 || value >= io::class_nodata) {
      throw Error(ErrorCode::internal, fmt::format("class '{}' has no raster value in 0..254 (id {}, value {})",
                                                   cls.key, cls.id, value));
    }
    out.push_back({value, class_name(cls), cls.colour, cls.key});
  }
  return out;
}

bool has_features(const io::Layer& layer) { return layer.geometry_type != io::GeometryType::none && !layer.features.empty(); }

}  // namespace

std::string output_folder_name(std::string_view scenario_name) {
  std::string out;
  for (const char c : scenario_name) {
    const auto u = static_cast<unsigned char>(c);
    // Bytes >= 0x80 are parts of UTF-8 characters (letters of any script); ASCII keeps only the safe characters.
    const bool keep = u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    out += keep ? c : '_';
  }
  const std::size_t first = out.find_first_not_of('.');
  out = first == std::string::npos ? std::string() : out.substr(first);
  // A file name holds at most 255 bytes; cut long labels at a character boundary well below that.
  constexpr std::size_t max_bytes = 120;
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  if (out.find_first_not_of("_.") == std::string::npos) {
    throw Error(ErrorCode::config,
                fmt::format("the scenario name '{}' gives no usable folder name; give the output folder with --out",
                            scenario_name),
                Context{.key = "name"});
  }
  return out;
}

void write_bundle(const RunResult& result, const fs::path& out_dir, const BundleOptions& options) {
  for (const auto& format : options.formats) {
    if (format != "gpkg" && format != "shp" && format != "fgb" && format != "geojson") {
      throw Error(ErrorCode::usage, fmt::format("unknown output format '{}' (gpkg, shp, fgb, geojson)", format),
                  Context{.key = "format"});
    }
  }
  io::AtomicOutput output(out_dir, io::AtomicOutput::Kind::directory, options.overwrite);
  const fs::path dir = output.temp_path();

  const bool ensemble = result.ensemble && result.ensemble->runs > 1;
  const int raster_count = options.rasters ? static_cast<int>(result.class_maps.size()) +
                                                 (ensemble ? static_cast<int>(result.ensemble->probability.size()) : 0)
                                           : 0;
  Steps steps(options.progress,
              1 + static_cast<int>(options.formats.count("shp") + options.formats.count("fgb") +
                                   options.formats.count("geojson")) +
                  raster_count + 2 + (options.html ? 1 : 0) + 1);

  const std::vector<io::Layer> layers = result_layers(result);
  const std::map<std::string, std::string> styles = default_styles(result.plan);

  steps.next("writing results.gpkg");
  {
    io::WriteOptions write;
    write.timestamp = options.timestamp;
    write.layer_styles = styles;
    io::write_gpkg(dir / "results.gpkg", layers, write);
  }
  if (options.formats.count("shp") != 0) {
    steps.next("writing the Shapefile set");
    io::WriteOptions write;
    write.timestamp = options.timestamp;
    for (const auto& [layer, qml] : styles) write.extra_files[layer + ".qml"] = qml;
    // DBF strings hold at most 254 bytes: longer texts (provenance notes) are cut for the Shapefiles only, and a
    // README beside them says which, so nobody mistakes the cut text for the source.
    std::vector<io::Layer> dbf_layers = layers;
    const auto cuts = io::shorten_for_dbf(dbf_layers);
    if (!cuts.empty()) {
      std::string note = fmt::format(
          "Shapefile (DBF) text values hold at most {} bytes. These values were longer and are cut here at a\n"
          "character boundary; results.gpkg (and the other formats) keep them in full:\n",
          io::dbf_string_max_bytes);
      for (const auto& cut : cuts) note += fmt::format("  layer {}, field {}: {} value(s)\n", cut.layer, cut.field, cut.values);
      write.extra_files["README.txt"] = note;
    }
    io::write_shapefile_set(dir / "shp", dbf_layers, write);
  }
  if (options.formats.count("fgb") != 0) {
    steps.next("writing FlatGeobuf layers");
    make_directory(dir / "fgb");
    io::WriteOptions write;
    write.timestamp = options.timestamp;
    for (const auto& layer : layers) {
      if (has_features(layer)) io::write_flatgeobuf(dir / "fgb" / (layer.name + ".fgb"), layer, write);
    }
  }
  if (options.formats.count("geojson") != 0) {
    steps.next("writing GeoJSON layers");
    make_directory(dir / "geojson");
    io::WriteOptions write;
    write.timestamp = options.timestamp;
    for (const auto& layer : layers) {
      if (has_features(layer)) io::write_geojson(dir / "geojson" / (layer.name + ".geojson"), layer, write);
    }
  }

  if (options.rasters) {
    make_directory(dir / "rasters");
    // The rasters hold each class's code (its value in the user's rasters), and so do their colour tables, category
    // names, attribute tables and QGIS styles.
    const std::vector<io::RasterClass> classes = raster_classes(result.classes);
    std::string class_qml;  // after the first raster: the raster writer names a bad colour with its file
    for (const auto& [year, values] : result.class_maps) {
      const fs::path path = dir / "rasters" / fmt::format("landuse_{}.tif", year);
      steps.next("writing " + path.filename().string());
      write_class_map(path, values, result.classes, working_crs(result));
      if (class_qml.empty()) class_qml = class_raster_qml(classes);
      io::atomic_write_text(dir / "rasters" / fmt::format("landuse_{}.qml", year), class_qml, false);
    }
    if (ensemble) {
      const auto& probability = result.ensemble->probability;
      const std::string probability_qml = probability_raster_qml(detail::probability_palette());
      for (std::size_t k = 0; k < probability.size(); ++k) {
        std::string key = std::to_string(k);
        for (const auto& cls : result.classes) {
          if (cls.id == static_cast<int>(k) && !cls.key.empty()) key = cls.key;
        }
        const fs::path path = dir / "rasters" / ("probability_" + key + ".tif");
        steps.next("writing " + path.filename().string());
        io::write_real_cog(path, raster_geometry(probability[k].spec(), working_crs(result)),
                           std::span<const float>(probability[k].data(), static_cast<std::size_t>(probability[k].size())));
        io::atomic_write_text(dir / "rasters" / ("probability_" + key + ".qml"), probability_qml, false);
      }
    }
  }

  steps.next("writing indicators.csv");
  write_indicators_csv(dir / "indicators.csv", result.indicators);
  steps.next("writing indicators.json");
  write_indicators_json(dir / "indicators.json", result.indicators);
  if (options.html) {
    steps.next("writing report/index.html");
    make_directory(dir / "report");
    io::atomic_write_text(dir / "report" / "index.html", render_html(result), false);
  }
  steps.next("writing manifest.json");
  io::atomic_write_text(dir / "manifest.json", manifest_json(result, dir, options.start_time, options.end_time), false);
  steps.finish();
  output.commit();
}

void write_class_map(const fs::path& path, const grid::Grid<std::uint8_t>& class_ids, std::span<const SimClass> classes,
                     const std::string& fallback_crs, bool overwrite) {
  // Cells hold class ids, the raster each class's code, so it compares cell by cell with the maps the study was
  // built from. An id no class has (none should) becomes nodata rather than another class's code.
  const std::vector<io::RasterClass> coded_classes = raster_classes(classes);
  std::array<std::uint8_t, 256> value_of;
  value_of.fill(io::class_nodata);
  for (const auto& cls : classes) value_of[static_cast<std::size_t>(cls.id)] = static_cast<std::uint8_t>(cls.raster_value());
  std::vector<std::uint8_t> cells(class_ids.data(), class_ids.data() + class_ids.size());
  for (auto& c : cells) c = value_of[c];
  io::RasterWriteOptions write;
  write.overwrite = overwrite;
  io::write_class_cog(path, raster_geometry(class_ids.spec(), fallback_crs), cells, coded_classes, write);
}

}  // namespace parksim::report
