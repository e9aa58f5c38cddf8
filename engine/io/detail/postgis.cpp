// write_postgis / postgis_query through GDAL's PostgreSQL driver (see io/postgis.hpp).
#include "io/postgis.hpp"

#include <fmt/format.h>

#include <set>

#include "io/detail/gdal.hpp"

namespace parksim::io {

namespace {

using detail::DatasetPtr;
using detail::ErrorScope;
using detail::FeaturePtr;
using detail::FieldDefnPtr;
using detail::GeometryPtr;
using detail::StringList;
using detail::with_detail;

// The database error of `what`, with GDAL's message, passwords masked.
Error database_error(const std::string& what, const std::string& gdal_message, const Context& where) {
  return Error(ErrorCode::database, mask_pg_password(with_detail(what, gdal_message)), where);
}

Context where_of(const std::string& connection) {
  Context where;
  where.path = mask_pg_password(connection);
  return where;
}

DatasetPtr open_database(const std::string& connection, const Context& where) {
  detail::ensure_gdal_registered();
  ErrorScope errors;
  const char* const drivers[] = {"PostgreSQL", nullptr};
  DatasetPtr ds(GDALOpenEx(connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, nullptr, nullptr));
  if (!ds) {
    throw database_error("cannot connect to the database",
                         errors.has_failure() ? errors.failure_message() : "GDAL's PostgreSQL driver refused it", where);
  }
  return ds;
}

// Closes the dataset, swallowing what a dead connection reports on the way out.
void close_quietly(DatasetPtr& ds) {
  ErrorScope errors;
  ds.reset();
}

std::string sql_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// Runs a statement inside the open dataset's session; returns whether it produced errors.
void execute(GDALDatasetH ds, const std::string& sql, const Context& where) {
  ErrorScope errors;
  OGRLayerH result = GDALDatasetExecuteSQL(ds, sql.c_str(), nullptr, nullptr);
  if (result != nullptr) GDALDatasetReleaseResultSet(ds, result);
  if (errors.has_failure()) throw database_error("the server refused a statement", errors.failure_message(), where);
}

OGRwkbGeometryType table_type(GeometryType type) {
  switch (type) {
    case GeometryType::polygon: return wkbMultiPolygon;
    case GeometryType::line_string: return wkbMultiLineString;
    default: return detail::to_ogr(type);
  }
}

GeometryPtr make_geometry(const Feature& feature, OGRwkbGeometryType want, const Context& at) {
  ErrorScope errors;
  OGRGeometryH raw = nullptr;
  const OGRErr err = OGR_G_CreateFromWkbEx(feature.wkb.data(), nullptr, &raw, feature.wkb.size());
  GeometryPtr geometry(raw);
  if (err != OGRERR_NONE || !geometry) {
    throw Error(ErrorCode::output, with_detail("invalid WKB", errors.failure_message()), at);
  }
  OGR_G_SetCoordinateDimension(geometry.get(), 2);
  const OGRwkbGeometryType have = wkbFlatten(OGR_G_GetGeometryType(geometry.get()));
  if (want == wkbMultiPolygon && have == wkbPolygon) {
    geometry.reset(OGR_G_ForceToMultiPolygon(geometry.release()));
  } else if (want == wkbMultiLineString && have == wkbLineString) {
    geometry.reset(OGR_G_ForceToMultiLineString(geometry.release()));
  }
  const OGRwkbGeometryType now = wkbFlatten(OGR_G_GetGeometryType(geometry.get()));
  if (want != wkbUnknown && now != want) {
    throw Error(ErrorCode::output,
                fmt::format("a {} cannot go into a {} table", OGRGeometryTypeToName(now), OGRGeometryTypeToName(want)),
                at);
  }
  return geometry;
}

class Ticker {
 public:
  Ticker(const Progress* progress, std::size_t total) : m_progress(progress), m_total(total) {}
  void tick() {
    ++m_done;
    if (m_progress != nullptr && (m_done % 256 == 0 || m_done == m_total)) {
      m_progress->check(static_cast<double>(m_done) / static_cast<double>(m_total), "writing to PostGIS");
    }
  }

 private:
  const Progress* m_progress;
  std::size_t m_total;
  std::size_t m_done = 0;
};

void write_table(GDALDatasetH ds, const Layer& layer, bool overwrite, const Context& where, Ticker& ticker) {
  ErrorScope errors;
  detail::SrsPtr srs;
  const OGRwkbGeometryType type = table_type(layer.geometry_type);
  if (type != wkbNone && !layer.crs.empty()) {
    if (!layer.crs.epsg) throw Error(ErrorCode::crs, "a PostGIS table needs an EPSG code as SRID", where);
    srs = detail::make_srs(CrsRef::from_epsg(*layer.crs.epsg), where);
  }
  StringList options;
  options.set("LAUNDER", "YES");
  options.set("DIM", "2");
  options.set("GEOMETRY_NAME", "geom");
  options.set("SPATIAL_INDEX", type == wkbNone ? "NONE" : "GIST");
  options.set("OVERWRITE", overwrite ? "YES" : "NO");
  OGRLayerH out = GDALDatasetCreateLayer(ds, layer.name.c_str(), srs.get(), type, options.get());
  if (out == nullptr || errors.has_failure()) {
    throw database_error("cannot create the table", errors.failure_message(), where);
  }
  for (std::size_t i = 0; i < layer.fields.size(); ++i) {
    const FieldDef& def = layer.fields[i];
    Context at = where;
    at.key = def.name;
    OGRFieldType field_type = OFTString;
    switch (def.type) {
      case FieldType::integer: field_type = OFTInteger64; break;
      case FieldType::real: field_type = OFTReal; break;
      case FieldType::string: field_type = OFTString; break;
      case FieldType::date: field_type = OFTDate; break;
    }
    FieldDefnPtr field(OGR_Fld_Create(def.name.c_str(), field_type));
    const OGRErr err = OGR_L_CreateField(out, field.get(), TRUE);
    if (err != OGRERR_NONE || errors.has_failure()) {
      throw database_error("cannot create the column", errors.failure_message(), at);
    }
  }
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(out);
  if (OGR_FD_GetFieldCount(defn) != static_cast<int>(layer.fields.size())) {
    throw Error(ErrorCode::output, "GDAL did not create every column of the table", where);
  }
  for (std::size_t n = 0; n < layer.features.size(); ++n) {
    const Feature& feature = layer.features[n];
    Context at = where;
    at.feature_id = feature.fid >= 0 ? feature.fid : static_cast<std::int64_t>(n);
    if (feature.values.size() != layer.fields.size()) {
      throw Error(ErrorCode::output, fmt::format("the feature has {} values but the layer has {} fields",
                                                 feature.values.size(), layer.fields.size()), at);
    }
    FeaturePtr f(OGR_F_Create(defn));
    if (!feature.wkb.empty()) {
      if (type == wkbNone) throw Error(ErrorCode::output, "a feature with a geometry in a table without one", at);
      GeometryPtr geometry = make_geometry(feature, type, at);
      OGR_F_SetGeometryDirectly(f.get(), geometry.release());
    }
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
      Context field_at = at;
      field_at.key = layer.fields[i].name;
      detail::set_value(f.get(), static_cast<int>(i), layer.fields[i], feature.values[i], 0, field_at);
    }
    const OGRErr err = OGR_L_CreateFeature(out, f.get());
    if (err != OGRERR_NONE || errors.has_failure()) {
      throw database_error("the server refused a feature", errors.failure_message(), at);
    }
    ticker.tick();
  }
  // Ends the COPY and runs the deferred CREATE TABLE of an empty layer, so the server has seen the whole layer.
  if (OGR_L_SyncToDisk(out) != OGRERR_NONE || errors.has_failure()) {
    throw database_error("the server refused the table's data", errors.failure_message(), where);
  }
}

// QGIS's name of a geometry family in layer_styles.type.
std::string_view qgis_type(GeometryType type) {
  switch (type) {
    case GeometryType::point:
    case GeometryType::multi_point: return "Point";
    case GeometryType::line_string:
    case GeometryType::multi_line_string: return "Line";
    case GeometryType::polygon:
    case GeometryType::multi_polygon: return "Polygon";
    case GeometryType::none: return "";
    default: return "Unknown";
  }
}

void write_styles(GDALDatasetH ds, std::span<const Layer> layers, const std::map<std::string, std::string>& styles,
                  const Context& where) {
  execute(ds,
          "CREATE TABLE IF NOT EXISTS layer_styles (id SERIAL PRIMARY KEY, f_table_catalog varchar, "
          "f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, stylename text, styleqml xml, "
          "stylesld xml, useasdefault boolean, description text, owner varchar(63), ui xml, "
          "update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar)",
          where);
  for (const auto& [name, qml] : styles) {
    const Layer* layer = nullptr;
    for (const auto& l : layers) {
      if (l.name == name) layer = &l;
    }
    if (layer == nullptr) {
      throw Error(ErrorCode::internal, fmt::format("style for '{}', which is not a layer of the write", name), where);
    }
    const std::string table = sql_literal(name);
    execute(ds, fmt::format("DELETE FROM layer_styles WHERE f_table_schema = current_schema() AND f_table_name = {}",
                            table), where);
    execute(ds,
            fmt::format("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                        "stylename, styleqml, stylesld, useasdefault, description, owner, type) VALUES "
                        "(current_database(), current_schema(), {0}, {1}, {0}, XMLPARSE(DOCUMENT {2}), NULL, true, "
                        "'parksim default style', current_user, {3})",
                        table, sql_literal(layer->geometry_type == GeometryType::none ? "" : "geom"),
                        sql_literal(qml),
                        sql_literal(qgis_type(layer->geometry_type))),
            where);
  }
}

}  // namespace

void write_postgis(const std::string& connection, std::span<const Layer> layers, const PostgisOptions& options) {
  const Context where = where_of(connection);
  if (layers.empty()) throw Error(ErrorCode::internal, "no layers to write", where);
  std::set<std::string> names;
  for (const auto& layer : layers) {
    Context at = where;
    at.layer = layer.name;
    if (layer.name.empty() || !is_valid_utf8(layer.name) || !names.insert(layer.name).second) {
      throw Error(ErrorCode::internal, "layer names must be unique, non-empty UTF-8", at);
    }
  }
  DatasetPtr ds = open_database(connection, where);
  try {
    if (!options.overwrite) {
      for (const auto& layer : layers) {
        ErrorScope errors;
        if (GDALDatasetGetLayerByName(ds.get(), layer.name.c_str()) != nullptr) {
          Context at = where;
          at.layer = layer.name;
          throw Error(ErrorCode::output_exists, "the table exists already (use --overwrite to replace it)", at);
        }
      }
    }
    {
      ErrorScope errors;
      if (GDALDatasetStartTransaction(ds.get(), FALSE) != OGRERR_NONE) {
        throw database_error("cannot start a transaction", errors.failure_message(), where);
      }
    }
    std::size_t total = 0;
    for (const auto& layer : layers) total += layer.features.size();
    Ticker ticker(options.progress, total);
    for (const auto& layer : layers) {
      Context at = where;
      at.layer = layer.name;
      write_table(ds.get(), layer, options.overwrite, at, ticker);
      if (options.after_layer) options.after_layer(layer.name);
    }
    if (!options.layer_styles.empty()) write_styles(ds.get(), layers, options.layer_styles, where);
    ErrorScope errors;
    if (GDALDatasetCommitTransaction(ds.get()) != OGRERR_NONE || errors.has_failure()) {
      throw database_error("cannot commit the transaction", errors.failure_message(), where);
    }
  } catch (...) {
    {
      ErrorScope errors;  // a dead connection cannot roll back; the server then discards the transaction itself
      GDALDatasetRollbackTransaction(ds.get());
    }
    close_quietly(ds);
    throw;
  }
  ErrorScope errors;
  ds.reset();
  if (errors.has_failure()) throw database_error("closing the connection failed", errors.failure_message(), where);
}

std::vector<std::vector<std::string>> postgis_query(const std::string& connection, const std::string& sql) {
  const Context where = where_of(connection);
  DatasetPtr ds = open_database(connection, where);
  ErrorScope errors;
  OGRLayerH result = GDALDatasetExecuteSQL(ds.get(), sql.c_str(), nullptr, nullptr);
  std::vector<std::vector<std::string>> rows;
  if (result != nullptr) {
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(result);
    const int columns = OGR_FD_GetFieldCount(defn);
    OGR_L_ResetReading(result);
    while (OGRFeatureH raw = OGR_L_GetNextFeature(result)) {
      FeaturePtr feature(raw);
      std::vector<std::string> row;
      for (int i = 0; i < columns; ++i) {
        row.emplace_back(OGR_F_IsFieldSetAndNotNull(feature.get(), i) ? OGR_F_GetFieldAsString(feature.get(), i) : "");
      }
      rows.push_back(std::move(row));
    }
    GDALDatasetReleaseResultSet(ds.get(), result);
  }
  if (errors.has_failure()) throw database_error("the statement failed", errors.failure_message(), where);
  return rows;
}

}  // namespace parksim::io
