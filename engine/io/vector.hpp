#pragma once
// Vector I/O: OGR layers (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, anything GDAL reads) <-> plain data.
//
// The types here are plain values with no GDAL in sight: a geometry is ISO WKB bytes (little endian, as
// produced by OGR_G_ExportToIsoWkb / accepted by GEOS), a CRS is an EPSG code and/or WKT2. The geom module
// turns WKB into its own geometries; io never depends on geom.
//
// Thread-safety: every function may be called from several threads at once on different paths. GDAL errors
// are captured per thread, so a failure in one thread never shows up in another thread's exception.
// Errors: parksim::Error with a code and a Context naming the path, the layer and, where known, the feature
// (FID) and the field (Context::key).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/progress.hpp"

namespace parksim::io {

/// A coordinate reference system by reference. Empty (no EPSG, no WKT) means "the source has no CRS".
/// When both are set they describe the same CRS; writers use the EPSG code when it is set, else the WKT.
/// Axis order is never part of this: parksim coordinates are always x = easting/longitude,
/// y = northing/latitude, whatever the CRS definition says (EPSG:4548 is defined northing-first).
struct CrsRef {
  std::optional<int> epsg;  ///< authority code when the CRS is identified as an EPSG CRS
  std::string wkt;          ///< WKT2 (2019) as produced by GDAL/PROJ; may be empty when epsg is set
  bool empty() const noexcept { return !epsg && wkt.empty(); }
  static CrsRef from_epsg(int code) { return CrsRef{code, {}}; }
  /// "EPSG:4548" (either case) -> the code; any other text -> taken as WKT (or another definition GDAL reads).
  static CrsRef from_text(const std::string& text);
  /// "EPSG:<code>" when the code is set, else the WKT ("" for an empty CRS).
  std::string text() const;
  friend bool operator==(const CrsRef&, const CrsRef&) = default;
};

/// Attribute types. Dates are ISO "YYYY-MM-DD" strings in Value. A date-time is read as FieldType::string
/// in ISO 8601 ("2023-01-15T00:00:00.000", "Z" or "+08:00" appended when the source says); any other OGR
/// type (time, lists, binary) as FieldType::string holding OGR's text form.
enum class FieldType { integer, real, string, date };

/// One attribute field. `name` is the full name (any UTF-8, e.g. "用地性质" or "far"); the labels and the
/// unit are documentation carried to the Shapefile field map (`<layer>.fields.csv`) and restored from it;
/// the other formats keep only the name. unit is free text such as "m2", "mu", "%" or "" for none.
struct FieldDef {
  std::string name;
  FieldType type = FieldType::string;
  std::string label_zh;
  std::string label_en;
  std::string unit;
  friend bool operator==(const FieldDef&, const FieldDef&) = default;
};

/// An attribute value: null, integer (any OGR integer width), real, or string (also dates, see FieldType).
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

/// Geometry type of a layer. `none` = a non-spatial attribute table; `unknown` = any geometry.
enum class GeometryType {
  none,
  unknown,
  point,
  line_string,
  polygon,
  multi_point,
  multi_line_string,
  multi_polygon,
  geometry_collection,
};
std::string_view to_string(GeometryType type) noexcept;

/// One feature. `fid` is the source's feature id (-1 = none/let the writer choose); `wkb` is ISO WKB,
/// little endian, empty for a feature without geometry; `values` are in the order of Layer::fields.
struct Feature {
  std::int64_t fid = -1;
  std::vector<std::uint8_t> wkb;
  std::vector<Value> values;
};

/// One layer (table) with all its features, in source order. A plain value: copyable and movable.
struct Layer {
  std::string name;
  CrsRef crs;
  GeometryType geometry_type = GeometryType::unknown;
  std::vector<FieldDef> fields;
  std::vector<Feature> features;

  /// Index of the field called `name` (exact, case-sensitive), or nullopt.
  std::optional<std::size_t> find_field(std::string_view field_name) const noexcept;
  /// Index of the field called `name`; throws Error(ErrorCode::data) naming the layer and the field.
  std::size_t field_index(std::string_view field_name) const;
  /// The value of field `name` in `feature` (a feature of this layer). Throws like field_index(), and
  /// Error(ErrorCode::internal) when the feature has fewer values than the layer has fields.
  const Value& value(const Feature& feature, std::string_view field_name) const;
};

/// Value accessors: nullopt for null or for a value of another kind. as_real also converts integers.
std::optional<std::int64_t> as_integer(const Value& value) noexcept;
std::optional<double> as_real(const Value& value) noexcept;
std::optional<std::string_view> as_text(const Value& value) noexcept;

/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

// ---------------------------------------------------------------------------------------------------------
// Reading

/// What list_layers() reports about one layer, without reading its features.
struct LayerInfo {
  std::string name;
  GeometryType geometry_type = GeometryType::unknown;
  std::int64_t feature_count = -1;  ///< -1 when the driver cannot tell without a full scan
};

/// Layers of a dataset (file, Shapefile directory, ...) in the dataset's order. Always skips a GeoPackage's
/// QGIS style table `layer_styles`; skips non-spatial (attribute) tables unless include_non_spatial.
/// Throws Error(ErrorCode::input) naming the path when it does not exist or GDAL cannot open it.
std::vector<LayerInfo> list_layers(const std::filesystem::path& path, bool include_non_spatial = false);

/// Options of read_layer(). DEFAULTs as given.
struct ReadOptions {
  /// Encoding of a Shapefile's DBF strings when the data says nothing reliable ("CP936" for GBK, ...; any
  /// name iconv knows). DEFAULT "": use the `.cpg` when there is one; without a `.cpg`, read the bytes as
  /// they are and require UTF-8 (see read_layer).
  std::string source_encoding;
  /// When a Shapefile has a `<layer>.fields.csv` (as written by write_shapefile_set) beside it, restore the
  /// full field names, labels and units from it. DEFAULT true.
  bool apply_field_map = true;
};

/// One opened vector dataset, for readers that list and read several of its layers: GDAL opens it (and parses it,
/// for GeoJSON) once rather than once per call. Move-only; one thread at a time. Throws as list_layers() does.
class VectorDataset {
 public:
  explicit VectorDataset(const std::filesystem::path& path);
  ~VectorDataset();
  VectorDataset(VectorDataset&&) noexcept;
  VectorDataset& operator=(VectorDataset&&) noexcept;

  const std::filesystem::path& path() const noexcept;
  /// As list_layers(path, include_non_spatial).
  std::vector<LayerInfo> layers(bool include_non_spatial = false) const;
  /// As read_layer(path, layer_name, options).
  Layer read(std::string_view layer_name, const ReadOptions& options = {}) const;
  /// As read(), but each feature is handed to `each` as soon as it is read and not kept (the returned Layer has no
  /// features), so a reader that turns features into its own values never holds the whole layer twice. `start`
  /// (may be empty) is called once before the first feature with the layer's name, type, CRS and fields and the
  /// number of features when GDAL knows it without a scan (else -1). Exceptions of `start` and `each` propagate and
  /// stop the reading; errors as read().
  Layer read_each(std::string_view layer_name, const ReadOptions& options,
                  const std::function<void(const Layer& header, std::int64_t feature_count)>& start,
                  const std::function<void(Feature&&)>& each) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Reads one layer (any table, also non-spatial ones and `layer_styles`, when asked by name).
/// Geometries come as ISO WKB in the layer's CRS (no reprojection); values are typed per FieldType.
/// Text encoding: every string value and field name must be valid UTF-8. A Shapefile without `.cpg` whose
/// DBF declares no code page or only ISO-8859-1 (what most writers put there when they do not know) is
/// read without recoding, so GBK bytes are not silently turned into Latin-1 mojibake; if a string is then
/// not valid UTF-8, read_layer throws Error(ErrorCode::data) naming the path, layer, feature (FID) and field
/// (Context::key) and suggesting ReadOptions::source_encoding. It never returns mojibake silently.
/// Throws Error(ErrorCode::input) naming the path when the dataset cannot be opened, naming the path and
/// layer when there is no such layer, and naming the FID when GDAL fails to read a feature.
Layer read_layer(const std::filesystem::path& path, std::string_view layer_name, const ReadOptions& options = {});

// ---------------------------------------------------------------------------------------------------------
// Writing. Every writer is atomic (see io/atomic.hpp): it writes a temporary beside the target and renames it
// into place only on success; an existing target is refused (Error(ErrorCode::output_exists), before anything
// is written) unless options.overwrite. On any failure the temporary is removed and the previous output is
// untouched. Errors are Error(ErrorCode::output) with path, layer and, for a feature, its FID (the feature's
// `fid`, or its 0-based position in Layer::features when fid < 0) - e.g. invalid WKB, a geometry of the wrong
// family for the layer's geometry type, a value that does not fit its field, anything GDAL refuses
// (every OGRErr and every CPLError of severity CE_Failure is checked; nothing is skipped silently).
//
// Geometry types: layers of type polygon / line_string are written as multi_polygon / multi_line_string
// (GeoPackage, Shapefile, FlatGeobuf), and single geometries are promoted to multi, so one layer can hold
// both; point layers stay point layers. A feature whose geometry is of another family than the layer's
// (a LineString in a polygon layer) is an error. GeometryType::unknown accepts anything, except in a
// Shapefile, where the type of the first feature with a geometry decides. Coordinates are written as x,y:
// Z and M values are dropped (parksim's data is planar).

/// Options common to all writers. DEFAULTs as given.
struct WriteOptions {
  /// Replace an existing output. DEFAULT false: an existing output is an error and stays untouched.
  bool overwrite = false;
  /// Timestamp stored in the files (GeoPackage gpkg_contents.last_change and friends, in exactly this
  /// format; Shapefile DBF header, its date part). Fixed so the same content gives the same bytes.
  /// DEFAULT "2000-01-01T00:00:00.000Z". Must match YYYY-MM-DDTHH:MM:SS.sssZ, else Error(ErrorCode::config).
  std::string timestamp = "2000-01-01T00:00:00.000Z";
  /// write_shapefile_set only: extra files (name inside the set's directory -> content), e.g. "parcels.qml",
  /// written into the temporary directory before it is renamed into place. Names must be plain file names.
  /// DEFAULT none. Other writers throw Error(ErrorCode::internal) when it is not empty.
  std::map<std::string, std::string> extra_files;
  /// write_gpkg only: QGIS default styles, layer name -> QML document. When not empty, the GeoPackage also gets
  /// QGIS's `layer_styles` attribute table (columns id, f_table_catalog, f_table_schema, f_table_name,
  /// f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) with
  /// one row per entry in name order: styleName = f_table_name = the layer, f_geometry_column "geom" (empty for
  /// a non-spatial table), useAsDefault 1, update_time = `timestamp` (so the bytes stay reproducible). QGIS then
  /// opens each layer with its style. Every name must be a layer of the write, and no layer may itself be
  /// called "layer_styles" (else Error(ErrorCode::internal)). DEFAULT none. Other writers throw
  /// Error(ErrorCode::internal) when it is not empty.
  std::map<std::string, std::string> layer_styles;
  /// Progress of the write, per feature; cancellation throws Error(ErrorCode::cancelled) and leaves the
  /// previous output untouched. DEFAULT nullptr: none.
  const Progress* progress = nullptr;
};

/// GeoPackage with all `layers` (at least one; unique names), each written in one transaction with an
/// R-tree spatial index (spatial layers) and the fixed timestamp: two writes of the same layers give
/// byte-identical files. Field names are kept in full (UTF-8). A non-spatial layer (GeometryType::none)
/// becomes an attribute table. Features with fid >= 0 keep it (duplicates are an error).
void write_gpkg(const std::filesystem::path& path, std::span<const Layer> layers, const WriteOptions& options = {});

/// A directory `dir` holding, per layer, `<name>.shp/.shx/.dbf`, `.prj` (written by GDAL in the ESRI form,
/// when the layer has a CRS), `.cpg` = "UTF-8" (strings and field names in UTF-8, so Chinese values
/// survive), and `<name>.fields.csv` mapping each DBF field name to its full name: header
/// "short_name,full_name,label_zh,label_en,unit", UTF-8 without BOM, RFC 4180 quoting. DBF field names are
/// made by shapefile_field_names(). DBF limits apply: strings over 254 bytes are an error (never truncated),
/// reals keep 15 significant digits, FIDs are renumbered 0..n-1, and a single-part polygon or line reads
/// back as a Polygon / LineString (Shapefiles do not tell them from their multi forms). The whole directory is atomic: a temporary
/// directory renamed into place. Layer names must be usable as file names.
void write_shapefile_set(const std::filesystem::path& dir, std::span<const Layer> layers,
                         const WriteOptions& options = {});

/// GeoJSON per RFC 7946: coordinates reprojected to WGS84 longitude/latitude (EPSG:4326, x = lon) with OGR's
/// transformation, 7 decimals, no "crs" member. The layer must have a CRS (else Error(ErrorCode::crs)).
void write_geojson(const std::filesystem::path& path, const Layer& layer, const WriteOptions& options = {});

/// The most bytes a DBF (Shapefile) string value can hold.
inline constexpr std::size_t dbf_string_max_bytes = 254;

/// A field whose values shorten_for_dbf() cut.
struct ShortenedField {
  std::string layer;
  std::string field;
  std::size_t values = 0;  ///< how many values of the field were cut
};

/// Prepares layers for write_shapefile_set(), which refuses strings over dbf_string_max_bytes: such values are cut
/// at a UTF-8 character boundary to fit. Returns the fields that were cut, in layer and field order, so the caller
/// tells the user (the other formats keep the full text). Nothing else changes.
std::vector<ShortenedField> shorten_for_dbf(std::vector<Layer>& layers);

/// FlatGeobuf (one layer per file) with its packed Hilbert R-tree; geometry in the layer's CRS. Format
/// limits: the index stores features in Hilbert order (reading gives that order, not Layer::features'
/// order), FIDs are not kept, a date field comes back as a date-time string ("2023-01-15T00:00:00.000"),
/// and a feature without geometry is an error (the index cannot hold it).
void write_flatgeobuf(const std::filesystem::path& path, const Layer& layer, const WriteOptions& options = {});

/// The DBF field names write_shapefile_set uses for `fields`, in the same order: ASCII, at most 10 bytes,
/// unique ignoring case, deterministic. From the name: ASCII letters (lower-cased), digits and '_' are
/// kept, other ASCII becomes '_', non-ASCII is dropped; when nothing is left, label_en is tried the same
/// way, then "f<position>" (1-based). A leading digit gets an "f" prefix. Truncated to 10 bytes; a collision
/// gets "_1", "_2", ... (the stem shortened so the result still fits).
std::vector<std::string> shapefile_field_names(std::span<const FieldDef> fields);

}  // namespace parksim::io
