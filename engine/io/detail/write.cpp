// Writing io::Layer values through OGR, atomically. The rules (promotion to multi, family checks, every
// OGRErr checked) are documented in io/vector.hpp; this file says why some steps look the way they do.
#include <sys/statvfs.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "core/budget.hpp"
#include "io/atomic.hpp"
#include "io/csv.hpp"
#include "io/detail/gdal.hpp"
#include "io/vector.hpp"

namespace parksim::io {

namespace fs = std::filesystem;
using namespace detail;

namespace {

enum class Format { gpkg, shapefile, geojson, flatgeobuf };

constexpr std::size_t dbf_string_max_bytes = 254;
constexpr std::size_t progress_stride = 256;  // features between progress reports

const char* driver_for(Format format) {
  switch (format) {
    case Format::gpkg: return "GPKG";
    case Format::shapefile: return "ESRI Shapefile";
    case Format::geojson: return "GeoJSON";
    case Format::flatgeobuf: return "FlatGeobuf";
  }
  return "";
}

// YYYY-MM-DDTHH:MM:SS.sssZ: the exact form GeoPackage uses, so OGR_CURRENT_DATE can be passed through as is.
void check_timestamp(const std::string& timestamp) {
  const std::string_view t = timestamp;
  const bool ok = t.size() == 24 && is_digits(t.substr(0, 4)) && t[4] == '-' && is_digits(t.substr(5, 2)) &&
                  t[7] == '-' && is_digits(t.substr(8, 2)) && t[10] == 'T' && is_digits(t.substr(11, 2)) &&
                  t[13] == ':' && is_digits(t.substr(14, 2)) && t[16] == ':' && is_digits(t.substr(17, 2)) &&
                  t[19] == '.' && is_digits(t.substr(20, 3)) && t[23] == 'Z';
  if (!ok) {
    throw Error(ErrorCode::config, fmt::format("timestamp '{}' is not YYYY-MM-DDTHH:MM:SS.sssZ", timestamp),
                Context{.key = "timestamp"});
  }
}

enum class Family { none, point, line, polygon, collection, other };

Family family_of(OGRwkbGeometryType type) {
  switch (wkbFlatten(type)) {
    case wkbNone: return Family::none;
    case wkbPoint:
    case wkbMultiPoint: return Family::point;
    case wkbLineString:
    case wkbMultiLineString: return Family::line;
    case wkbPolygon:
    case wkbMultiPolygon: return Family::polygon;
    case wkbGeometryCollection: return Family::collection;
    default: return Family::other;
  }
}

// The OGR geometry type of the layer to create. Polygons and lines become multi (see vector.hpp).
OGRwkbGeometryType target_type(GeometryType declared, Format format) {
  const OGRwkbGeometryType type = to_ogr(declared);
  if (format == Format::geojson) return type;
  switch (type) {
    case wkbPolygon: return wkbMultiPolygon;
    case wkbLineString: return wkbMultiLineString;
    default: return type;
  }
}

// Shapefiles need one concrete type: an `unknown` layer takes the (promoted) type of its first geometry.
OGRwkbGeometryType shapefile_type(const Layer& layer, const Context& where) {
  OGRwkbGeometryType type = target_type(layer.geometry_type, Format::shapefile);
  if (type == wkbUnknown) {
    for (const auto& feature : layer.features) {
      if (feature.wkb.empty()) continue;
      OGRGeometryH geometry = nullptr;
      if (OGR_G_CreateFromWkb(feature.wkb.data(), nullptr, &geometry, static_cast<int>(feature.wkb.size())) ==
          OGRERR_NONE) {
        GeometryPtr owned(geometry);
        const OGRwkbGeometryType first = wkbFlatten(OGR_G_GetGeometryType(geometry));
        type = first == wkbPolygon ? wkbMultiPolygon : first == wkbLineString ? wkbMultiLineString : first;
      }
      break;  // an invalid first geometry is reported when its feature is written
    }
    if (type == wkbUnknown) {
      throw Error(ErrorCode::output, "a Shapefile needs a geometry type; the layer declares none and has no "
                                     "geometry to take it from", where);
    }
  }
  if (family_of(type) == Family::collection || family_of(type) == Family::other) {
    throw Error(ErrorCode::output,
                fmt::format("a Shapefile cannot hold {} geometries", OGRGeometryTypeToName(type)), where);
  }
  return type;
}

std::string gdal_message(const ErrorScope& errors, OGRErr err) {
  if (errors.has_failure()) return errors.failure_message();
  return fmt::format("OGR error {}", static_cast<int>(err));
}

/// Per-layer plan: names of the fields in the output, the layer's geometry type, an optional transform.
struct LayerPlan {
  std::vector<std::string> field_names;
  OGRwkbGeometryType geometry_type = wkbUnknown;
  OGRCoordinateTransformationH transform = nullptr;  // not owned
  OGRSpatialReferenceH srs = nullptr;                // not owned; nullptr = no CRS
  StringList creation_options;
};

/// Counts features across all layers of one write, for the progress handle.
class ProgressTicker {
 public:
  ProgressTicker(const Progress* progress, std::size_t total) : m_progress(progress), m_total(total) {}
  void tick() {
    ++m_done;
    if (m_progress != nullptr && (m_done % progress_stride == 0 || m_done == m_total)) {
      m_progress->check(m_total == 0 ? 1.0 : static_cast<double>(m_done) / static_cast<double>(m_total),
                        "writing features");
    }
  }
  void start() const {
    if (m_progress != nullptr) m_progress->check(0.0, "writing features");
  }

 private:
  const Progress* m_progress;
  std::size_t m_total;
  std::size_t m_done = 0;
};

std::size_t total_features(std::span<const Layer> layers) {
  std::size_t n = 0;
  for (const auto& layer : layers) n += layer.features.size();
  return n;
}

// Makes the OGR geometry of one feature: parse, check its family, promote, reproject.
GeometryPtr make_geometry(const Feature& feature, const LayerPlan& plan, const Context& at) {
  ErrorScope errors;
  OGRGeometryH raw = nullptr;
  const OGRErr err = OGR_G_CreateFromWkbEx(feature.wkb.data(), nullptr, &raw, feature.wkb.size());
  GeometryPtr geometry(raw);
  if (err != OGRERR_NONE || !geometry) {
    throw Error(ErrorCode::output, with_detail("invalid WKB", gdal_message(errors, err)), at);
  }
  if (OGR_G_CoordinateDimension(geometry.get()) != 2 || OGR_G_IsMeasured(geometry.get())) {
    OGR_G_SetCoordinateDimension(geometry.get(), 2);  // x, y only (documented)
  }
  const OGRwkbGeometryType have = wkbFlatten(OGR_G_GetGeometryType(geometry.get()));
  const OGRwkbGeometryType want = wkbFlatten(plan.geometry_type);
  if (want == wkbNone) {
    throw Error(ErrorCode::output, "the layer has no geometry column but the feature has a geometry", at);
  }
  if (want != wkbUnknown) {
    if (family_of(have) != family_of(want)) {
      throw Error(ErrorCode::output,
                  fmt::format("a {} cannot go into a {} layer", OGRGeometryTypeToName(have),
                              OGRGeometryTypeToName(want)),
                  at);
    }
    if (want == wkbMultiPolygon && have == wkbPolygon) {
      geometry.reset(OGR_G_ForceToMultiPolygon(geometry.release()));
    } else if (want == wkbMultiLineString && have == wkbLineString) {
      geometry.reset(OGR_G_ForceToMultiLineString(geometry.release()));
    } else if (want == wkbMultiPoint && have == wkbPoint) {
      geometry.reset(OGR_G_ForceToMultiPoint(geometry.release()));
    }
    const OGRwkbGeometryType now = wkbFlatten(OGR_G_GetGeometryType(geometry.get()));
    if (now != want) {
      throw Error(ErrorCode::output,
                  fmt::format("a {} cannot go into a {} layer", OGRGeometryTypeToName(now),
                              OGRGeometryTypeToName(want)),
                  at);
    }
  }
  if (plan.transform != nullptr) {
    const OGRErr terr = OGR_G_Transform(geometry.get(), plan.transform);
    if (terr != OGRERR_NONE) {
      throw Error(ErrorCode::crs, with_detail("cannot reproject the geometry to WGS84", gdal_message(errors, terr)),
                  at);
    }
  }
  errors.throw_if_failed(ErrorCode::output, "invalid geometry", at);
  return geometry;
}

// A write GDAL gave up on because the disk is full says so, whatever GDAL's words for it ("Failure seeking to position
// before writing DBF record 28", "database or disk is full"): the free space of the target's filesystem is looked at
// when the write fails, while the temporary still takes its space.
std::string failed_write(std::string_view what, const std::string& gdal_detail, const Context& where) {
  const fs::path target(where.path);
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  struct statvfs info {};
  constexpr std::uint64_t nearly_full = std::uint64_t{1} << 20;
  if (!where.path.empty() && ::statvfs(parent.c_str(), &info) == 0) {
    const auto free_bytes = static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
    if (free_bytes < nearly_full) {
      return fmt::format("{}: the disk is full ({} free where {} is written): free some space or write to another "
                         "disk; nothing was written (GDAL: {})",
                         what, format_bytes(free_bytes), parent.string(), gdal_detail);
    }
  }
  return with_detail(std::string(what), gdal_detail);
}

void write_layer(GDALDatasetH ds, const Layer& layer, LayerPlan& plan, Format format, const Context& where,
                 ProgressTicker& ticker) {
  ErrorScope errors;
  OGRLayerH out = GDALDatasetCreateLayer(ds, layer.name.c_str(), plan.srs, plan.geometry_type,
                                         plan.creation_options.get());
  if (out == nullptr) throw Error(ErrorCode::output, with_detail("cannot create the layer", errors.failure_message()), where);
  errors.throw_if_failed(ErrorCode::output, "cannot create the layer", where);

  for (std::size_t i = 0; i < layer.fields.size(); ++i) {
    const FieldDef& def = layer.fields[i];
    Context at = where;
    at.key = def.name;
    if (def.name.empty() || !is_valid_utf8(def.name)) {
      throw Error(ErrorCode::output, "field name is empty or not valid UTF-8", at);
    }
    OGRFieldType type = OFTString;
    switch (def.type) {
      case FieldType::integer: type = OFTInteger64; break;
      case FieldType::real: type = OFTReal; break;
      case FieldType::string: type = OFTString; break;
      case FieldType::date: type = OFTDate; break;
    }
    FieldDefnPtr field(OGR_Fld_Create(plan.field_names[i].c_str(), type));
    const OGRErr err = OGR_L_CreateField(out, field.get(), FALSE);
    if (err != OGRERR_NONE || errors.has_failure()) {
      throw Error(ErrorCode::output, with_detail("cannot create the field", gdal_message(errors, err)), at);
    }
    // Never address fields by a position GDAL might have changed: check that the name survived as given.
    const int index = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(out), plan.field_names[i].c_str());
    if (index != static_cast<int>(i)) {
      throw Error(ErrorCode::output, fmt::format("GDAL did not create field '{}' as field #{}",
                                                 plan.field_names[i], i + 1), at);
    }
  }

  const bool transaction = format == Format::gpkg;
  if (transaction && OGR_L_StartTransaction(out) != OGRERR_NONE) {
    throw Error(ErrorCode::output, with_detail("cannot start a transaction", errors.failure_message()), where);
  }
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(out);
  for (std::size_t n = 0; n < layer.features.size(); ++n) {
    const Feature& feature = layer.features[n];
    Context at = where;
    at.feature_id = feature.fid >= 0 ? feature.fid : static_cast<std::int64_t>(n);
    if (feature.values.size() != layer.fields.size()) {
      throw Error(ErrorCode::output, fmt::format("the feature has {} values but the layer has {} fields",
                                                 feature.values.size(), layer.fields.size()), at);
    }
    FeaturePtr f(OGR_F_Create(defn));
    if (format == Format::gpkg && feature.fid >= 0) OGR_F_SetFID(f.get(), static_cast<GIntBig>(feature.fid));
    if (!feature.wkb.empty()) {
      GeometryPtr geometry = make_geometry(feature, plan, at);
      if (OGR_F_SetGeometryDirectly(f.get(), geometry.release()) != OGRERR_NONE) {
        throw Error(ErrorCode::output, with_detail("GDAL refused the geometry", errors.failure_message()), at);
      }
    } else if (format == Format::flatgeobuf) {
      throw Error(ErrorCode::output, "FlatGeobuf's spatial index cannot hold a feature without geometry", at);
    }
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
      Context field_at = at;
      field_at.key = layer.fields[i].name;
      set_value(f.get(), static_cast<int>(i), layer.fields[i], feature.values[i],
                format == Format::shapefile ? dbf_string_max_bytes : 0, field_at);
    }
    const OGRErr err = OGR_L_CreateFeature(out, f.get());
    if (err != OGRERR_NONE || errors.has_failure()) {
      throw Error(ErrorCode::output, failed_write("GDAL refused the feature", gdal_message(errors, err), at), at);
    }
    ticker.tick();
  }
  if (transaction && OGR_L_CommitTransaction(out) != OGRERR_NONE) {
    throw Error(ErrorCode::output, failed_write("cannot commit the transaction", errors.failure_message(), where),
                where);
  }
  if (errors.has_failure()) {
    throw Error(ErrorCode::output, failed_write("cannot write the layer", errors.failure_message(), where), where);
  }
}

// Creates a dataset with the format's driver at `path`.
DatasetPtr create_dataset(Format format, const fs::path& path, const Context& where) {
  ensure_gdal_registered();
  ErrorScope errors;
  GDALDriverH driver = GDALGetDriverByName(driver_for(format));
  if (driver == nullptr) {
    throw Error(ErrorCode::output, fmt::format("GDAL has no {} driver", driver_for(format)), where);
  }
  DatasetPtr ds(GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw Error(ErrorCode::output, with_detail("cannot create the file", errors.failure_message()), where);
  return ds;
}

// Closes the dataset and checks what GDAL reported while flushing (GDALClose returns void in GDAL 3.6).
void close_dataset(DatasetPtr& ds, const Context& where) {
  ErrorScope errors;
  ds.reset();
  if (errors.has_failure()) {
    throw Error(ErrorCode::output, failed_write("cannot finish writing the file", errors.failure_message(), where),
                where);
  }
}

void check_layer_names(std::span<const Layer> layers, const Context& where, bool as_file_names) {
  if (layers.empty()) throw Error(ErrorCode::output, "nothing to write: no layers", where);
  std::set<std::string> seen;
  for (const auto& layer : layers) {
    Context at = where;
    at.layer = layer.name;
    std::string folded = layer.name;
    std::transform(folded.begin(), folded.end(), folded.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    if (layer.name.empty() || !is_valid_utf8(layer.name)) {
      throw Error(ErrorCode::output, "layer name is empty or not valid UTF-8", at);
    }
    if (as_file_names && (layer.name.find_first_of("/\\:*?\"<>|") != std::string::npos ||
                          layer.name.front() == '.')) {
      throw Error(ErrorCode::output, "layer name cannot be used as a file name", at);
    }
    if (!seen.insert(folded).second) throw Error(ErrorCode::output, "two layers have the same name", at);
  }
}

void check_no_extra_files(const WriteOptions& options, const Context& where) {
  if (!options.extra_files.empty()) {
    throw Error(ErrorCode::internal, "extra_files is only for write_shapefile_set", where);
  }
}

void check_no_layer_styles(const WriteOptions& options, const Context& where) {
  if (!options.layer_styles.empty()) {
    throw Error(ErrorCode::internal, "layer_styles is only for write_gpkg", where);
  }
}

constexpr const char* layer_styles_table = "layer_styles";

// QGIS's `layer_styles` table (the schema QGIS itself creates in a GeoPackage) as a plain attribute layer, so it
// goes through the same checked writer as every other table.
Layer make_layer_styles(std::span<const Layer> layers, const WriteOptions& options, const Context& where) {
  Layer styles;
  styles.name = layer_styles_table;
  styles.geometry_type = GeometryType::none;
  for (const char* name : {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                           "styleQML", "styleSLD"}) {
    styles.fields.push_back({name, FieldType::string});
  }
  styles.fields.push_back({"useAsDefault", FieldType::integer});
  for (const char* name : {"description", "owner", "ui", "update_time"}) styles.fields.push_back({name, FieldType::string});
  if (options.layer_styles.empty()) return styles;
  for (const auto& layer : layers) {
    if (layer.name == layer_styles_table) {
      throw Error(ErrorCode::internal, "a layer called layer_styles would clash with the QGIS style table",
                  Context{.path = where.path, .layer = layer.name});
    }
  }
  for (const auto& [name, qml] : options.layer_styles) {
    const std::string& styled = name;  // clang 14 cannot capture a structured binding
    const auto it = std::find_if(layers.begin(), layers.end(), [&](const Layer& l) { return l.name == styled; });
    if (it == layers.end()) {
      throw Error(ErrorCode::internal, "a style names a layer that is not written",
                  Context{.path = where.path, .layer = name});
    }
    const std::string geometry_column = it->geometry_type == GeometryType::none ? "" : "geom";
    styles.features.push_back(
        {-1, {}, {std::string(), std::string(), name, geometry_column, name, qml, std::string(), std::int64_t{1},
                  std::string("parksim default style"), std::string("parksim"), std::monostate{}, options.timestamp}});
  }
  return styles;
}


void write_text_file(const fs::path& path, const std::string& content, const Context& where) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw Error(ErrorCode::output, fmt::format("cannot write {}", path.filename().string()), where);
}

// The single-layer, single-file writers (GeoJSON, FlatGeobuf).
void write_single(Format format, const fs::path& path, const Layer& layer, const WriteOptions& options,
                  const SrsPtr& srs, OGRCoordinateTransformationH transform, StringList creation_options) {
  const Context where{.path = path.string(), .layer = layer.name};
  AtomicOutput output(path, AtomicOutput::Kind::file, options.overwrite);
  ProgressTicker ticker(options.progress, layer.features.size());
  ticker.start();
  DatasetPtr ds = create_dataset(format, output.temp_path(), where);
  LayerPlan plan;
  plan.field_names.reserve(layer.fields.size());
  for (const auto& field : layer.fields) plan.field_names.push_back(field.name);
  plan.geometry_type = target_type(layer.geometry_type, format);
  plan.srs = srs.get();
  plan.transform = transform;
  plan.creation_options = std::move(creation_options);
  write_layer(ds.get(), layer, plan, format, where, ticker);
  close_dataset(ds, where);
  output.commit();
}

}  // namespace

void write_gpkg(const fs::path& path, std::span<const Layer> layers, const WriteOptions& options) {
  const Context where{.path = path.string()};
  check_timestamp(options.timestamp);
  check_no_extra_files(options, where);
  check_layer_names(layers, where, false);
  const Layer styles = make_layer_styles(layers, options, where);
  AtomicOutput output(path, AtomicOutput::Kind::file, options.overwrite);
  // GDAL 3.6's GeoPackage driver stamps gpkg_contents.last_change and the metadata with "now" unless
  // OGR_CURRENT_DATE is set; a thread-local option is honoured (CPLGetConfigOption looks there first)
  // and keeps concurrent writers in other threads unaffected. It must stay set until the file is closed.
  ThreadConfigScope fixed_date("OGR_CURRENT_DATE", options.timestamp);
  ProgressTicker ticker(options.progress, total_features(layers) + styles.features.size());
  ticker.start();
  DatasetPtr ds = create_dataset(Format::gpkg, output.temp_path(), where);
  for (const auto& layer : layers) {
    Context at = where;
    at.layer = layer.name;
    const SrsPtr srs = make_srs(layer.crs, at);
    LayerPlan plan;
    for (const auto& field : layer.fields) plan.field_names.push_back(field.name);
    plan.geometry_type = target_type(layer.geometry_type, Format::gpkg);
    plan.srs = srs.get();
    if (plan.geometry_type != wkbNone) {
      plan.creation_options.set("GEOMETRY_NAME", "geom");
      plan.creation_options.set("SPATIAL_INDEX", "YES");
    }
    plan.creation_options.set("FID", "fid");
    write_layer(ds.get(), layer, plan, Format::gpkg, at, ticker);
  }
  if (!styles.features.empty()) {
    Context at = where;
    at.layer = styles.name;
    LayerPlan plan;
    for (const auto& field : styles.fields) plan.field_names.push_back(field.name);
    plan.geometry_type = wkbNone;
    plan.creation_options.set("FID", "id");
    write_layer(ds.get(), styles, plan, Format::gpkg, at, ticker);
  }
  close_dataset(ds, where);
  output.commit();
}

void write_shapefile_set(const fs::path& dir, std::span<const Layer> layers, const WriteOptions& options) {
  const Context where{.path = dir.string()};
  check_timestamp(options.timestamp);
  check_no_layer_styles(options, where);
  check_layer_names(layers, where, true);
  for (const auto& [name, content] : options.extra_files) {
    const fs::path file(name);
    if (name.empty() || file.filename() != file || name == "." || name == "..") {
      throw Error(ErrorCode::internal, fmt::format("extra file '{}' is not a plain file name", name), where);
    }
  }
  AtomicOutput output(dir, AtomicOutput::Kind::directory, options.overwrite);
  ProgressTicker ticker(options.progress, total_features(layers));
  ticker.start();
  std::set<std::string> written;
  {
    DatasetPtr ds = create_dataset(Format::shapefile, output.temp_path(), where);
    for (const auto& layer : layers) {
      Context at = where;
      at.layer = layer.name;
      const SrsPtr srs = make_srs(layer.crs, at);
      LayerPlan plan;
      plan.field_names = shapefile_field_names(layer.fields);
      plan.geometry_type = layer.geometry_type == GeometryType::none ? wkbNone : shapefile_type(layer, at);
      plan.srs = srs.get();
      plan.creation_options.set("ENCODING", "UTF-8");
      plan.creation_options.set("DBF_DATE_LAST_UPDATE", options.timestamp.substr(0, 10));
      write_layer(ds.get(), layer, plan, Format::shapefile, at, ticker);

      std::string map = "short_name,full_name,label_zh,label_en,unit\n";
      for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        const FieldDef& field = layer.fields[i];
        map += fmt::format("{},{},{},{},{}\n", csv_cell(plan.field_names[i]), csv_cell(field.name),
                           csv_cell(field.label_zh), csv_cell(field.label_en), csv_cell(field.unit));
      }
      const std::string map_name = layer.name + ".fields.csv";
      write_text_file(output.temp_path() / map_name, map, at);
      written.insert(map_name);
    }
    close_dataset(ds, where);
  }
  for (const auto& [name, content] : options.extra_files) {
    const fs::path file = output.temp_path() / name;
    std::error_code ec;
    if (written.count(name) != 0 || fs::exists(file, ec)) {
      throw Error(ErrorCode::internal, fmt::format("extra file '{}' would replace a file of the set", name), where);
    }
    write_text_file(file, content, where);
  }
  output.commit();
}

void write_geojson(const fs::path& path, const Layer& layer, const WriteOptions& options) {
  const Context where{.path = path.string(), .layer = layer.name};
  check_no_extra_files(options, where);
  check_no_layer_styles(options, where);
  check_layer_names(std::span<const Layer>(&layer, 1), where, false);
  if (layer.crs.empty()) {
    throw Error(ErrorCode::crs, "GeoJSON needs WGS84 coordinates but the layer has no CRS to reproject from", where);
  }
  ensure_gdal_registered();
  const SrsPtr source = make_srs(layer.crs, where);
  const SrsPtr wgs84 = make_srs(CrsRef::from_epsg(4326), where);
  TransformPtr transform;
  if (!OSRIsSame(source.get(), wgs84.get())) {
    ErrorScope errors;
    transform.reset(OCTNewCoordinateTransformation(source.get(), wgs84.get()));
    if (!transform) {
      throw Error(ErrorCode::crs, with_detail("no transformation to WGS84", errors.failure_message()), where);
    }
  }
  StringList creation_options;
  creation_options.set("RFC7946", "YES");
  write_single(Format::geojson, path, layer, options, wgs84, transform.get(), std::move(creation_options));
}

void write_flatgeobuf(const fs::path& path, const Layer& layer, const WriteOptions& options) {
  const Context where{.path = path.string(), .layer = layer.name};
  check_no_extra_files(options, where);
  check_no_layer_styles(options, where);
  check_layer_names(std::span<const Layer>(&layer, 1), where, false);
  if (layer.geometry_type == GeometryType::none) {
    throw Error(ErrorCode::output, "FlatGeobuf cannot hold a non-spatial table", where);
  }
  ensure_gdal_registered();
  const SrsPtr srs = make_srs(layer.crs, where);
  StringList creation_options;
  creation_options.set("SPATIAL_INDEX", "YES");
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  creation_options.set("TEMPORARY_DIR", parent.string());
  write_single(Format::flatgeobuf, path, layer, options, srs, nullptr, std::move(creation_options));
}

}  // namespace parksim::io
