// Reading OGR layers into plain io::Layer values.
#include <fmt/format.h>

#include <iconv.h>

#include <cstdlib>
#include <system_error>

#include "io/detail/gdal.hpp"
#include "io/vector.hpp"

namespace parksim::io {

namespace fs = std::filesystem;
using namespace detail;

namespace {

constexpr const char* style_table = "layer_styles";

bool iconv_knows(const std::string& encoding) {
  const iconv_t cd = iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  iconv_close(cd);
  return true;
}

bool is_virtual_path(const std::string& path) {
  return path.rfind("/vsi", 0) == 0 || path.find(':') != std::string::npos;
}

DatasetPtr open_dataset(const fs::path& path, const StringList& open_options, const char* const* drivers = nullptr) {
  ensure_gdal_registered();
  const std::string name = path.string();
  const Context where{.path = name};
  std::error_code ec;
  if (!is_virtual_path(name) && !fs::exists(path, ec)) {
    throw Error(ErrorCode::input, "no such file or directory", where);
  }
  ErrorScope errors;
  DatasetPtr ds(GDALOpenEx(name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, drivers,
                           open_options.get(), nullptr));
  if (!ds) {
    throw Error(ErrorCode::input,
                with_detail("cannot open as a vector dataset",
                            errors.has_failure() ? errors.failure_message() : "format not recognised"),
                where);
  }
  return ds;
}

std::string driver_name(GDALDatasetH ds) {
  GDALDriverH driver = GDALGetDatasetDriver(ds);
  return driver != nullptr ? GDALGetDriverShortName(driver) : "";
}

OGRLayerH require_layer(GDALDatasetH ds, const fs::path& path, std::string_view layer_name) {
  OGRLayerH layer = GDALDatasetGetLayerByName(ds, std::string(layer_name).c_str());
  if (layer == nullptr) {
    std::string available;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) {
      if (!available.empty()) available += ", ";
      available += OGR_L_GetName(GDALDatasetGetLayer(ds, i));
    }
    throw Error(ErrorCode::input, fmt::format("no such layer (the dataset has: {})", available),
                Context{.path = path.string(), .layer = std::string(layer_name)});
  }
  return layer;
}

FieldType field_type_from_ogr(OGRFieldType type) {
  switch (type) {
    case OFTInteger:
    case OFTInteger64: return FieldType::integer;
    case OFTReal: return FieldType::real;
    case OFTDate: return FieldType::date;
    default: return FieldType::string;
  }
}

// A Shapefile's `<layer>.fields.csv` (written by write_shapefile_set): restore full names, labels, units.
void apply_field_map(const fs::path& path, Layer& layer) {
  std::error_code ec;
  const fs::path dir = fs::is_directory(path, ec) ? path : path.parent_path();
  const fs::path map_path = dir / (layer.name + ".fields.csv");
  if (!fs::is_regular_file(map_path, ec)) return;
  const char* const csv_only[] = {"CSV", nullptr};
  DatasetPtr ds = open_dataset(map_path, StringList(), csv_only);
  OGRLayerH table = GDALDatasetGetLayer(ds.get(), 0);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(table);
  const char* columns[] = {"short_name", "full_name", "label_zh", "label_en", "unit"};
  int index[5];
  for (int c = 0; c < 5; ++c) {
    index[c] = OGR_FD_GetFieldIndex(defn, columns[c]);
    if (index[c] < 0) {
      throw Error(ErrorCode::data, "field map lacks a column",
                  Context{.path = map_path.string(), .key = columns[c]});
    }
  }
  ErrorScope errors;
  OGR_L_ResetReading(table);
  int line = 1;
  while (FeaturePtr row{OGR_L_GetNextFeature(table)}) {
    ++line;
    const std::string short_name = OGR_F_GetFieldAsString(row.get(), index[0]);
    for (auto& field : layer.fields) {
      if (EQUAL(field.name.c_str(), short_name.c_str())) {
        field.name = OGR_F_GetFieldAsString(row.get(), index[1]);
        field.label_zh = OGR_F_GetFieldAsString(row.get(), index[2]);
        field.label_en = OGR_F_GetFieldAsString(row.get(), index[3]);
        field.unit = OGR_F_GetFieldAsString(row.get(), index[4]);
        if (!is_valid_utf8(field.name) || field.name.empty()) {
          throw Error(ErrorCode::data, "full field name is empty or not valid UTF-8",
                      Context{.path = map_path.string(), .line = line});
        }
        break;
      }
    }
  }
  errors.throw_if_failed(ErrorCode::input, "cannot read the field map", Context{.path = map_path.string()});
}

}  // namespace

struct VectorDataset::Impl {
  fs::path path;
  DatasetPtr ds;
};

VectorDataset::VectorDataset(const fs::path& path) : m_impl(std::make_unique<Impl>()) {
  m_impl->path = path;
  m_impl->ds = open_dataset(path, StringList());
}
VectorDataset::~VectorDataset() = default;
VectorDataset::VectorDataset(VectorDataset&&) noexcept = default;
VectorDataset& VectorDataset::operator=(VectorDataset&&) noexcept = default;
const fs::path& VectorDataset::path() const noexcept { return m_impl->path; }

std::vector<LayerInfo> VectorDataset::layers(bool include_non_spatial) const {
  GDALDatasetH ds = m_impl->ds.get();
  std::vector<LayerInfo> out;
  ErrorScope errors;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) {
    OGRLayerH layer = GDALDatasetGetLayer(ds, i);
    LayerInfo info;
    info.name = OGR_L_GetName(layer);
    if (info.name == style_table) continue;
    info.geometry_type = from_ogr(OGR_L_GetGeomType(layer));
    if (info.geometry_type == GeometryType::none && !include_non_spatial) continue;
    info.feature_count = OGR_L_GetFeatureCount(layer, FALSE);
    out.push_back(std::move(info));
  }
  errors.throw_if_failed(ErrorCode::input, "cannot list the layers", Context{.path = m_impl->path.string()});
  return out;
}

std::vector<LayerInfo> list_layers(const fs::path& path, bool include_non_spatial) {
  return VectorDataset(path).layers(include_non_spatial);
}

Layer read_layer(const fs::path& path, std::string_view layer_name, const ReadOptions& options) {
  return VectorDataset(path).read(layer_name, options);
}

Layer VectorDataset::read(std::string_view layer_name, const ReadOptions& options) const {
  std::vector<Feature> features;
  Layer out = read_each(layer_name, options, {}, [&](Feature&& f) { features.push_back(std::move(f)); });
  out.features = std::move(features);
  return out;
}

Layer VectorDataset::read_each(std::string_view layer_name, const ReadOptions& options,
                               const std::function<void(const Layer& header, std::int64_t feature_count)>& start,
                               const std::function<void(Feature&&)>& each) const {
  const fs::path& path = m_impl->path;
  GDALDatasetH opened = m_impl->ds.get();
  OGRLayerH layer = require_layer(opened, path, layer_name);
  const bool is_shapefile = driver_name(opened) == "ESRI Shapefile";
  DatasetPtr ds;  // a Shapefile reopened with the encoding to recode from
  bool raw_bytes = false;  // strings read without recoding: their UTF-8 validity is then all we know
  if (is_shapefile) {
    std::optional<std::string> encoding;
    if (!options.source_encoding.empty()) {
      encoding = options.source_encoding;
    } else if (GDALGetMetadataItem(layer, "ENCODING_FROM_CPG", "SHAPEFILE") == nullptr) {
      // No .cpg. LDID 87 (ISO-8859-1) is what GDAL and ArcGIS write when they know nothing, and Chinese
      // DBFs in the wild carry GBK bytes under it: recoding those from Latin-1 would give valid-looking
      // mojibake. Read the bytes as they are instead and require UTF-8 below.
      const char* source = GDALGetMetadataItem(layer, "SOURCE_ENCODING", "SHAPEFILE");
      raw_bytes = true;
      if (source != nullptr && EQUAL(source, "ISO-8859-1")) encoding = "";
    }
    if (!options.source_encoding.empty() && !iconv_knows(options.source_encoding)) {
      throw Error(ErrorCode::config,
                  fmt::format("source_encoding '{}' is not an encoding this system knows (iconv); use e.g. CP936 or "
                              "GB18030 for GBK text, BIG5, or UTF-8",
                              options.source_encoding),
                  Context{.path = path.string(), .layer = std::string(layer_name), .key = "source_encoding"});
    }
    if (encoding) {
      StringList open_options;
      open_options.set("ENCODING", *encoding);
      ds = open_dataset(path, open_options);
      layer = require_layer(ds.get(), path, layer_name);
    }
  }

  Layer out;
  out.name = OGR_L_GetName(layer);
  out.geometry_type = from_ogr(OGR_L_GetGeomType(layer));
  out.crs = to_crs_ref(OGR_L_GetSpatialRef(layer));
  const Context where{.path = path.string(), .layer = out.name};

  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  const int field_count = OGR_FD_GetFieldCount(defn);
  out.fields.reserve(static_cast<std::size_t>(field_count));
  for (int i = 0; i < field_count; ++i) {
    OGRFieldDefnH field = OGR_FD_GetFieldDefn(defn, i);
    FieldDef def;
    def.name = OGR_Fld_GetNameRef(field);
    def.type = field_type_from_ogr(OGR_Fld_GetType(field));
    if (!is_valid_utf8(def.name)) {
      Context at = where;
      at.key = fmt::format("field #{}", i + 1);
      throw Error(ErrorCode::data, "field name is not valid UTF-8", at);
    }
    out.fields.push_back(std::move(def));
  }
  std::vector<OGRFieldType> ogr_types;
  for (int i = 0; i < field_count; ++i) ogr_types.push_back(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i)));
  // Messages name a field as the file does (a Shapefile's short name), also when a field map gives the full name.
  std::vector<std::string> file_field_names;
  for (const auto& def : out.fields) file_field_names.push_back(def.name);
  if (is_shapefile && options.apply_field_map) apply_field_map(path, out);
  if (start) start(out, OGR_L_GetFeatureCount(layer, FALSE));

  ErrorScope errors;
  OGR_L_ResetReading(layer);
  std::int64_t last_fid = -1;
  while (true) {
    FeaturePtr feature{OGR_L_GetNextFeature(layer)};
    if (!feature) {
      if (errors.has_failure()) {
        Context at = where;
        throw Error(ErrorCode::input,
                    with_detail(last_fid < 0 ? "cannot read the first feature"
                                             : fmt::format("cannot read the feature after FID {}", last_fid),
                                errors.failure_message()),
                    at);
      }
      break;
    }
    Feature f;
    f.fid = OGR_F_GetFID(feature.get());
    last_fid = f.fid;
    Context at = where;
    at.feature_id = f.fid;
    errors.throw_if_failed(ErrorCode::input, "cannot read the feature", at);
    if (OGRGeometryH geometry = OGR_F_GetGeometryRef(feature.get())) {
      f.wkb.resize(static_cast<std::size_t>(OGR_G_WkbSize(geometry)));
      if (OGR_G_ExportToIsoWkb(geometry, wkbNDR, f.wkb.data()) != OGRERR_NONE) {
        throw Error(ErrorCode::input, with_detail("cannot export the geometry", errors.failure_message()), at);
      }
    }
    f.values.resize(static_cast<std::size_t>(field_count));
    for (int i = 0; i < field_count; ++i) {
      if (!OGR_F_IsFieldSetAndNotNull(feature.get(), i)) continue;
      Value& value = f.values[static_cast<std::size_t>(i)];
      switch (ogr_types[static_cast<std::size_t>(i)]) {
        case OFTInteger:
        case OFTInteger64: value = static_cast<std::int64_t>(OGR_F_GetFieldAsInteger64(feature.get(), i)); break;
        case OFTReal: value = OGR_F_GetFieldAsDouble(feature.get(), i); break;
        case OFTDate: {
          int year = 0, month = 0, day = 0, hour = 0, minute = 0, tz = 0;
          float second = 0.0f;
          OGR_F_GetFieldAsDateTimeEx(feature.get(), i, &year, &month, &day, &hour, &minute, &second, &tz);
          value = fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
          break;
        }
        case OFTDateTime: {
          // ISO 8601 rather than OGR's "YYYY/MM/DD HH:MM:SS" text form.
          int year = 0, month = 0, day = 0, hour = 0, minute = 0, tz = 0;
          float second = 0.0f;
          OGR_F_GetFieldAsDateTimeEx(feature.get(), i, &year, &month, &day, &hour, &minute, &second, &tz);
          std::string text = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:06.3f}", year, month, day, hour,
                                         minute, static_cast<double>(second));
          if (tz == 100) {
            text += 'Z';
          } else if (tz > 1) {
            const int offset_min = (tz - 100) * 15;
            text += fmt::format("{}{:02d}:{:02d}", offset_min < 0 ? '-' : '+', std::abs(offset_min) / 60,
                                std::abs(offset_min) % 60);
          }
          value = std::move(text);
          break;
        }
        default: {
          std::string text = OGR_F_GetFieldAsString(feature.get(), i);
          if (!is_valid_utf8(text)) {
            at.key = file_field_names[static_cast<std::size_t>(i)];
            throw Error(ErrorCode::data,
                        raw_bytes ? "string is not valid UTF-8 and the Shapefile has no .cpg saying its encoding; "
                                    "add a .cpg file beside it holding the encoding (e.g. CP936 for GBK), or set "
                                    "source_encoding = \"CP936\" in a mapping file (--mapping, or geodata.mapping)"
                        : !options.source_encoding.empty()
                            ? fmt::format("string is not valid UTF-8 after recoding from source_encoding '{}': is "
                                          "that the data's encoding? (GBK text: CP936 or GB18030)",
                                          options.source_encoding)
                            : "string is not valid UTF-8",
                        at);
          }
          value = std::move(text);
        }
      }
    }
    each(std::move(f));
  }
  return out;
}

}  // namespace parksim::io
