#pragma once
// PostGIS output: all layers of a write in ONE database transaction through GDAL's PostgreSQL driver, so a
// database either gets every table or none of them.
//
// Connection strings are GDAL's: "PG:dbname=parks host=db user=planner password=..." (libpq keyword/value
// form) or "PG:postgresql://user:password@host/db". libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD,
// PGDATABASE) fills what the string leaves out, so "PG:" alone is a valid string. Passwords never appear in an
// error message (mask_pg_password).
// Thread-safety: every function may be called from several threads at once (each opens its own connection).

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.hpp"
#include "io/vector.hpp"

namespace parksim::io {

/// True when `destination` names a PostgreSQL database rather than a folder: it starts with "PG:" (exactly
/// that case, as GDAL requires).
bool is_pg_connection(std::string_view destination) noexcept;

/// `connection` with every password replaced by "***": the value of a `password=` keyword (quoted or not) and
/// the password part of a postgresql:// or postgres:// URI ("user:***@host"). Everything else is kept.
std::string mask_pg_password(std::string_view connection);

/// Options of write_postgis(). DEFAULTs as given.
struct PostgisOptions {
  /// Replace tables that already exist (dropped and re-created inside the same transaction). DEFAULT false:
  /// any existing table of the write -> Error(ErrorCode::output_exists) naming it, before anything is written.
  bool overwrite = false;
  /// QGIS default styles, layer name -> QML document: stored in the connection's `layer_styles` table (QGIS's
  /// layout: id, f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename, styleqml,
  /// stylesld, useasdefault, description, owner, ui, update_time; created when missing) in the same
  /// transaction, one default style per layer, replacing the rows of the same tables. Every name must be a
  /// layer of the write (else Error(ErrorCode::internal)). DEFAULT none.
  std::map<std::string, std::string> layer_styles;
  /// Progress per feature; cancellation throws Error(ErrorCode::cancelled) and rolls back. DEFAULT nullptr.
  const Progress* progress = nullptr;
  /// Called inside the transaction after each layer has been sent to the server completely (its table
  /// created, all features written), with the layer's name. An exception from it rolls the write back like any
  /// other failure. For tests that interrupt a write; DEFAULT none.
  std::function<void(const std::string& layer)> after_layer;
};

/// Writes `layers` (at least one; unique names) as tables of the database `connection` (see above), all in one
/// transaction: BEGIN, create every table (GDAL options LAUNDER=YES, DIM=2, GEOMETRY_NAME=geom,
/// SPATIAL_INDEX=GIST; polygon / line layers as multi types, single geometries promoted), insert every feature,
/// the styles, COMMIT. Spatial tables get the layer's EPSG code as SRID (a layer with a CRS but no EPSG code is
/// Error(ErrorCode::crs)). Non-spatial layers (GeometryType::none) become plain tables. Table and column names
/// are laundered by GDAL (lower case; '-', '#' -> '_'); UTF-8 values are stored as they are.
/// On ANY failure - a feature GDAL or the server refuses, a lost connection, a server shut down mid-write,
/// cancellation - the transaction is rolled back (or dies with the connection) and no table of the write
/// exists afterwards; tables replaced under overwrite keep their previous content.
/// Errors: Error(ErrorCode::database) with GDAL's message (passwords masked) when the connection cannot be
/// opened or the server fails; Error(ErrorCode::output_exists) see overwrite; Error(ErrorCode::output) for a
/// feature that cannot be converted (Context: layer, feature_id, key); Error(ErrorCode::cancelled).
void write_postgis(const std::string& connection, std::span<const Layer> layers, const PostgisOptions& options = {});

/// Runs one SQL statement on `connection` (its own connection, autocommit) and returns the result rows as text
/// (NULL -> ""), columns in the statement's order; no rows for a statement without a result set. For
/// administration and tests (CREATE EXTENSION postgis, counting rows). Errors: Error(ErrorCode::database) with
/// GDAL's message, passwords masked.
std::vector<std::vector<std::string>> postgis_query(const std::string& connection, const std::string& sql);

}  // namespace parksim::io
