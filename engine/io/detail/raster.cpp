// Raster writing and reading through GDAL (COG, PNG via /vsimem). Contracts in io/raster.hpp; this file says why.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstring>
#include <thread>

#include <cpl_vsi.h>
#include <fmt/format.h>

#include "core/budget.hpp"
#include "io/atomic.hpp"
#include "io/detail/gdal.hpp"
#include "io/raster.hpp"

namespace parksim::io {

namespace fs = std::filesystem;
using namespace detail;

namespace {

struct ColourTableDestroyer {
  void operator()(GDALColorTableH h) const noexcept { GDALDestroyColorTable(h); }
};
using ColourTablePtr = std::unique_ptr<std::remove_pointer_t<GDALColorTableH>, ColourTableDestroyer>;

void check_geometry(const RasterGeometry& geometry, std::size_t value_count, const Context& where) {
  if (geometry.cols <= 0 || geometry.rows <= 0 || !(geometry.cell_size > 0.0) || !std::isfinite(geometry.cell_size) ||
      !std::isfinite(geometry.origin_x) || !std::isfinite(geometry.origin_y)) {
    throw Error(ErrorCode::output,
                fmt::format("raster geometry is not usable ({} x {} cells of {})", geometry.cols, geometry.rows,
                            geometry.cell_size),
                where);
  }
  const auto cells = static_cast<std::size_t>(geometry.cols) * static_cast<std::size_t>(geometry.rows);
  if (value_count != cells) {
    throw Error(ErrorCode::output, fmt::format("{} values for {} cells", value_count, cells), where);
  }
}

// The rows of a raster attribute table that name a value: the value column (usage MinMax/Min, or a column called
// value), the name column (usage Name, or a column called name/class/label/category) and optional red, green and
// blue columns (usage Red/Green/Blue, 0-255).
std::vector<RasterCategory> read_attribute_table(GDALRasterAttributeTableH rat) {
  const int columns = GDALRATGetColumnCount(rat);
  int value = -1, name = -1, red = -1, green = -1, blue = -1;
  auto lower = [](std::string t) {
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  for (int c = 0; c < columns; ++c) {
    // GDAL keeps a column's usage as the file states it (a sidecar may say <Usage>999999999999990</Usage>), and
    // such a value held in the enum type is undefined behaviour: it is compared as a number.
    const int usage = static_cast<int>(GDALRATGetUsageOfCol(rat, c));
    auto is = [usage](GDALRATFieldUsage u) { return usage == static_cast<int>(u); };
    const std::string col = lower(GDALRATGetNameOfCol(rat, c));
    if (value < 0 && (is(GFU_MinMax) || is(GFU_Min) || col == "value")) value = c;
    if (name < 0 && (is(GFU_Name) || col == "name" || col == "class" || col == "label" || col == "category" ||
                     col == "class_name")) {
      name = c;
    }
    if (red < 0 && (is(GFU_Red) || col == "red")) red = c;
    if (green < 0 && (is(GFU_Green) || col == "green")) green = c;
    if (blue < 0 && (is(GFU_Blue) || col == "blue")) blue = c;
  }
  std::vector<RasterCategory> out;
  if (value < 0) return out;
  const int rows = GDALRATGetRowCount(rat);
  for (int r = 0; r < rows; ++r) {
    RasterCategory row;
    row.value = GDALRATGetValueAsInt(rat, r, value);
    if (name >= 0) row.name = GDALRATGetValueAsString(rat, r, name);
    if (red >= 0 && green >= 0 && blue >= 0) {
      auto channel = [&](int c) { return std::clamp(GDALRATGetValueAsInt(rat, r, c), 0, 255); };
      row.colour = fmt::format("#{:02X}{:02X}{:02X}", channel(red), channel(green), channel(blue));
    }
    out.push_back(std::move(row));
  }
  return out;
}

// The palette: every class colour at its value, transparent nodata, opaque black elsewhere (never drawn).
ColourTablePtr make_colour_table(std::span<const RasterClass> classes, const Context& where) {
  ColourTablePtr table(GDALCreateColorTable(GPI_RGB));
  for (int i = 0; i < 256; ++i) {
    const GDALColorEntry entry{0, 0, 0, static_cast<short>(i == class_nodata ? 0 : 255)};
    GDALSetColorEntry(table.get(), i, &entry);
  }
  for (const auto& cls : classes) {
    Context at = where;
    at.key = cls.name;
    if (cls.value < 0 || cls.value >= class_nodata) {
      throw Error(ErrorCode::output, fmt::format("class value {} is outside 0..254", cls.value), at);
    }
    const auto rgb = parse_colour(cls.colour);
    if (!rgb) throw Error(ErrorCode::output, fmt::format("class colour '{}' is not #RRGGBB", cls.colour), at);
    const GDALColorEntry entry{(*rgb)[0], (*rgb)[1], (*rgb)[2], 255};
    GDALSetColorEntry(table.get(), cls.value, &entry);
  }
  return table;
}

// An in-memory dataset holding one band of `values`, georeferenced when `geometry` is given.
DatasetPtr make_mem(int cols, int rows, GDALDataType type, const void* values, const RasterGeometry* geometry,
                    const Context& where) {
  ensure_gdal_registered();
  ErrorScope errors;
  GDALDriverH mem = GDALGetDriverByName("MEM");
  if (mem == nullptr) throw Error(ErrorCode::output, "GDAL has no MEM driver", where);
  DatasetPtr ds(GDALCreate(mem, "", cols, rows, 1, type, nullptr));
  if (!ds) throw Error(ErrorCode::output, with_detail("cannot create an in-memory raster", errors.failure_message()), where);
  GDALRasterBandH band = GDALGetRasterBand(ds.get(), 1);
  // RasterIO takes a non-const buffer for both directions; GF_Write only reads it.
  if (GDALRasterIO(band, GF_Write, 0, 0, cols, rows, const_cast<void*>(values), cols, rows, type, 0, 0) != CE_None) {
    throw Error(ErrorCode::output, with_detail("cannot fill the in-memory raster", errors.failure_message()), where);
  }
  if (geometry != nullptr) {
    const double height = geometry->cell_height > 0.0 ? geometry->cell_height : geometry->cell_size;
    double transform[6] = {geometry->origin_x, geometry->cell_size, 0.0, geometry->origin_y, 0.0, -height};
    GDALSetGeoTransform(ds.get(), transform);
    if (const SrsPtr srs = make_srs(geometry->crs, where)) GDALSetSpatialRef(ds.get(), srs.get());
  }
  errors.throw_if_failed(ErrorCode::output, "cannot prepare the raster", where);
  return ds;
}

void set_classes(GDALDatasetH ds, std::span<const RasterClass> classes, const Context& where) {
  GDALRasterBandH band = GDALGetRasterBand(ds, 1);
  GDALSetRasterNoDataValue(band, class_nodata);
  const ColourTablePtr table = make_colour_table(classes, where);
  GDALSetRasterColorTable(band, table.get());
  GDALSetRasterColorInterpretation(band, GCI_PaletteIndex);
  int max_value = -1;
  for (const auto& cls : classes) max_value = std::max(max_value, cls.value);
  if (max_value >= 0) {
    // Category names are indexed by value; unnamed values get "" (GDAL's convention for "no category").
    std::vector<std::string> names(static_cast<std::size_t>(max_value) + 1);
    for (const auto& cls : classes) names[static_cast<std::size_t>(cls.value)] = cls.name;
    std::vector<const char*> pointers;
    for (const auto& name : names) pointers.push_back(name.c_str());
    pointers.push_back(nullptr);
    GDALSetRasterCategoryNames(band, const_cast<char**>(pointers.data()));
  }
}

// The raster attribute table of a class raster (GTiff writes it into the .aux.xml sidecar): one row per class.
void set_attribute_table(GDALDatasetH ds, std::span<const RasterClass> classes, const Context& where) {
  struct RatDestroyer {
    void operator()(GDALRasterAttributeTableH h) const noexcept { GDALDestroyRasterAttributeTable(h); }
  };
  std::unique_ptr<std::remove_pointer_t<GDALRasterAttributeTableH>, RatDestroyer> rat(GDALCreateRasterAttributeTable());
  GDALRATSetTableType(rat.get(), GRTT_THEMATIC);
  GDALRATCreateColumn(rat.get(), "value", GFT_Integer, GFU_MinMax);
  GDALRATCreateColumn(rat.get(), "class", GFT_String, GFU_Name);
  GDALRATCreateColumn(rat.get(), "key", GFT_String, GFU_Generic);
  GDALRATCreateColumn(rat.get(), "red", GFT_Integer, GFU_Red);
  GDALRATCreateColumn(rat.get(), "green", GFT_Integer, GFU_Green);
  GDALRATCreateColumn(rat.get(), "blue", GFT_Integer, GFU_Blue);
  GDALRATSetRowCount(rat.get(), static_cast<int>(classes.size()));
  int row = 0;
  for (const auto& cls : classes) {
    const auto rgb = parse_colour(cls.colour);  // checked by make_colour_table
    GDALRATSetValueAsInt(rat.get(), row, 0, cls.value);
    GDALRATSetValueAsString(rat.get(), row, 1, cls.name.c_str());
    GDALRATSetValueAsString(rat.get(), row, 2, cls.key.c_str());
    for (int c = 0; c < 3; ++c) GDALRATSetValueAsInt(rat.get(), row, 3 + c, rgb ? (*rgb)[static_cast<std::size_t>(c)] : 0);
    ++row;
  }
  if (GDALSetDefaultRAT(GDALGetRasterBand(ds, 1), rat.get()) != CE_None) {
    throw Error(ErrorCode::output, "cannot attach the raster attribute table", where);
  }
}

void remove_quietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

// COG through CreateCopy from MEM, into an atomic temporary; the PAM sidecar (if GDAL wrote one) follows.
void write_cog(const fs::path& path, GDALDatasetH source, StringList options, const RasterWriteOptions& write,
               const Context& where) {
  const fs::path sidecar_target(path.string() + ".aux.xml");
  AtomicOutput output(path, AtomicOutput::Kind::file, write.overwrite);
  AtomicOutput sidecar(sidecar_target, AtomicOutput::Kind::file, write.overwrite);
  const fs::path gdal_sidecar(output.temp_path().string() + ".aux.xml");
  struct SidecarGuard {
    fs::path path;
    ~SidecarGuard() { remove_quietly(path); }
  } guard{gdal_sidecar};
  {
    ErrorScope errors;
    // Overviews are built in a temporary file beside the output; keep it there (same filesystem, our folder).
    const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
    ThreadConfigScope tmpdir("CPL_TMPDIR", parent.string());
    GDALDriverH cog = GDALGetDriverByName("COG");
    if (cog == nullptr) throw Error(ErrorCode::output, "GDAL has no COG driver", where);
    DatasetPtr out(GDALCreateCopy(cog, output.temp_path().c_str(), source, FALSE, options.get(), nullptr, nullptr));
    if (!out) throw Error(ErrorCode::output, with_detail("cannot write the COG", errors.failure_message()), where);
    out.reset();
    errors.throw_if_failed(ErrorCode::output, "cannot write the COG", where);
  }
  std::error_code ec;
  if (fs::exists(gdal_sidecar, ec)) {
    fs::rename(gdal_sidecar, sidecar.temp_path(), ec);
    if (ec) throw Error(ErrorCode::output, fmt::format("cannot move the .aux.xml sidecar: {}", ec.message()), where);
    sidecar.commit();
  } else if (write.overwrite) {
    remove_quietly(sidecar_target);  // a sidecar of the previous raster would describe the wrong file
  }
  output.commit();
}

std::atomic<std::uint64_t> g_vsimem_counter{0};

}  // namespace

void write_class_cog(const fs::path& path, const RasterGeometry& geometry, std::span<const std::uint8_t> values,
                     std::span<const RasterClass> classes, const RasterWriteOptions& options) {
  const Context where{.path = path.string()};
  check_geometry(geometry, values.size(), where);
  DatasetPtr mem = make_mem(geometry.cols, geometry.rows, GDT_Byte, values.data(), &geometry, where);
  set_classes(mem.get(), classes, where);
  if (!classes.empty()) set_attribute_table(mem.get(), classes, where);
  StringList cog;
  cog.set("COMPRESS", "DEFLATE");
  cog.set("OVERVIEW_RESAMPLING", "NEAREST");
  cog.set("NUM_THREADS", "1");  // byte-identical output does not depend on the thread count of the compressor
  write_cog(path, mem.get(), std::move(cog), options, where);
}

void write_real_cog(const fs::path& path, const RasterGeometry& geometry, std::span<const float> values,
                    const RasterWriteOptions& options) {
  const Context where{.path = path.string()};
  check_geometry(geometry, values.size(), where);
  DatasetPtr mem = make_mem(geometry.cols, geometry.rows, GDT_Float32, values.data(), &geometry, where);
  GDALSetRasterNoDataValue(GDALGetRasterBand(mem.get(), 1), std::nan(""));
  StringList cog;
  cog.set("COMPRESS", "DEFLATE");
  cog.set("PREDICTOR", "YES");
  cog.set("OVERVIEW_RESAMPLING", "AVERAGE");
  cog.set("NUM_THREADS", "1");
  write_cog(path, mem.get(), std::move(cog), options, where);
}

std::vector<std::uint8_t> encode_class_png(int cols, int rows, std::span<const std::uint8_t> values,
                                           std::span<const RasterClass> classes) {
  const Context where{.path = "(PNG in memory)"};
  RasterGeometry shape;
  shape.cols = cols;
  shape.rows = rows;
  check_geometry(shape, values.size(), where);
  DatasetPtr mem = make_mem(cols, rows, GDT_Byte, values.data(), nullptr, where);
  set_classes(mem.get(), classes, where);
  // Values without a class are drawn transparent: map them to nodata in the palette (alpha 0 there).
  ColourTablePtr table = make_colour_table(classes, where);
  std::vector<bool> known(256, false);
  for (const auto& cls : classes) known[static_cast<std::size_t>(cls.value)] = true;
  for (int i = 0; i < 256; ++i) {
    if (!known[static_cast<std::size_t>(i)]) {
      const GDALColorEntry entry{0, 0, 0, 0};
      GDALSetColorEntry(table.get(), i, &entry);
    }
  }
  GDALRasterBandH band = GDALGetRasterBand(mem.get(), 1);
  GDALSetRasterColorTable(band, table.get());
  GDALDeleteRasterNoDataValue(band);  // the palette's alpha says it; a nodata would only add an .aux.xml

  const std::string name = fmt::format("/vsimem/parksim-png-{}.png", ++g_vsimem_counter);
  ErrorScope errors;
  ThreadConfigScope no_pam("GDAL_PAM_ENABLED", "NO");
  GDALDriverH png = GDALGetDriverByName("PNG");
  if (png == nullptr) throw Error(ErrorCode::output, "GDAL has no PNG driver", where);
  StringList options;
  options.set("ZLEVEL", "9");
  DatasetPtr out(GDALCreateCopy(png, name.c_str(), mem.get(), FALSE, options.get(), nullptr, nullptr));
  if (!out) {
    VSIUnlink(name.c_str());
    throw Error(ErrorCode::output, with_detail("cannot encode the PNG", errors.failure_message()), where);
  }
  out.reset();
  vsi_l_offset length = 0;
  GByte* bytes = VSIGetMemFileBuffer(name.c_str(), &length, TRUE);  // TRUE: unlink and take ownership
  if (bytes == nullptr || errors.has_failure()) {
    CPLFree(bytes);
    throw Error(ErrorCode::output, with_detail("cannot encode the PNG", errors.failure_message()), where);
  }
  std::vector<std::uint8_t> result(bytes, bytes + length);
  CPLFree(bytes);
  return result;
}

RasterInfo read_raster(const fs::path& path, const RasterReadOptions& options) {
  const Context where{.path = path.string()};
  ensure_gdal_registered();
  ErrorScope errors;
  DatasetPtr ds(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) throw Error(ErrorCode::input, with_detail("cannot open the raster", errors.failure_message()), where);
  RasterInfo info;
  info.driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds.get()));
  info.band_count = GDALGetRasterCount(ds.get());
  info.geometry.cols = GDALGetRasterXSize(ds.get());
  info.geometry.rows = GDALGetRasterYSize(ds.get());
  double transform[6] = {0, 1, 0, 0, 0, 1};
  if (GDALGetGeoTransform(ds.get(), transform) == CE_None) {
    info.geometry.origin_x = transform[0];
    info.geometry.origin_y = transform[3];
    info.geometry.cell_size = transform[1];
    // A height equal to the width up to rounding in the file is a square cell.
    const double height = -transform[5];
    if (std::abs(height - transform[1]) > 1e-9 * std::abs(transform[1])) info.geometry.cell_height = height;
    info.geometry.north_up = transform[2] == 0.0 && transform[4] == 0.0 && transform[5] < 0.0;
  }
  info.geometry.crs = to_crs_ref(GDALGetSpatialRef(ds.get()));
  if (char** structure = GDALGetMetadata(ds.get(), "IMAGE_STRUCTURE")) {
    for (char** item = structure; *item != nullptr; ++item) {
      char* key = nullptr;
      const char* value = CPLParseNameValue(*item, &key);
      if (key != nullptr && value != nullptr) info.image_structure[key] = value;
      CPLFree(key);
    }
  }
  if (info.band_count < 1) return info;
  GDALRasterBandH band = GDALGetRasterBand(ds.get(), 1);
  info.data_type = GDALGetDataTypeName(GDALGetRasterDataType(band));
  int has_nodata = FALSE;
  const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
  if (has_nodata) info.nodata = nodata;
  info.overview_count = GDALGetOverviewCount(band);
  if (char** names = GDALGetRasterCategoryNames(band)) {
    for (char** name = names; *name != nullptr; ++name) info.category_names.emplace_back(*name);
  }
  if (GDALRasterAttributeTableH rat = GDALGetDefaultRAT(band)) info.attribute_table = read_attribute_table(rat);
  if (GDALColorTableH table = GDALGetRasterColorTable(band)) {
    const int count = GDALGetColorEntryCount(table);
    for (int i = 0; i < count; ++i) {
      const GDALColorEntry* entry = GDALGetColorEntry(table, i);
      info.colour_table.push_back(entry == nullptr ? std::string()
                                                   : fmt::format("#{:02X}{:02X}{:02X}", entry->c1, entry->c2, entry->c3));
    }
  }
  info.window = RasterWindow{0, 0, info.geometry.cols, info.geometry.rows};
  if (options.values) {
    if (options.window) {
      const RasterWindow& w = *options.window;
      if (w.cols <= 0 || w.rows <= 0 || w.col < 0 || w.row < 0 || w.col > info.geometry.cols - w.cols ||
          w.row > info.geometry.rows - w.rows) {
        throw Error(ErrorCode::usage,
                    fmt::format("window of {} x {} cells at column {}, row {} is not inside the raster of {} x {} "
                                "cells (columns x rows)",
                                w.cols, w.rows, w.col, w.row, info.geometry.cols, info.geometry.rows),
                    where);
      }
      info.window = w;
    }
    const RasterWindow& w = info.window;
    const auto cells = static_cast<std::uint64_t>(w.cols) * static_cast<std::uint64_t>(w.rows);
    const std::string size = fmt::format("raster of {} x {} cells (columns x rows{})", w.cols, w.rows,
                                         options.window ? ", a window" : "");
    constexpr std::string_view remedy =
        "crop it to the study area or resample it to coarser cells, e.g. gdalwarp -te XMIN YMIN XMAX YMAX -tr CELL "
        "CELL IN.tif OUT.tif";
    if (options.max_cells > 0 && cells > static_cast<std::uint64_t>(options.max_cells)) {
      throw Error(ErrorCode::data,
                  fmt::format("{} holds {} cells, more than the {} cells it is read for; {}", size, cells,
                              options.max_cells, remedy),
                  where);
    }
    check_memory_budget(cells * sizeof(double), size, remedy, where);
    // GDAL reads whole blocks, and a pixel-interleaved block holds every band: a small file can claim blocks of
    // gigabytes (512 x 512 cells x 65535 bands). Its block is checked against the budget as well.
    int block_x = 0, block_y = 0;
    GDALGetBlockSize(band, &block_x, &block_y);
    const char* interleave = GDALGetMetadataItem(ds.get(), "INTERLEAVE", "IMAGE_STRUCTURE");
    const bool pixel_interleaved = interleave != nullptr && EQUAL(interleave, "PIXEL");
    const auto block_bytes = static_cast<std::uint64_t>(std::max(block_x, 1)) *
                             static_cast<std::uint64_t>(std::max(block_y, 1)) *
                             static_cast<std::uint64_t>(pixel_interleaved ? info.band_count : 1) *
                             static_cast<std::uint64_t>(std::max(GDALGetDataTypeSizeBytes(GDALGetRasterDataType(band)), 1));
    check_memory_budget(block_bytes,
                        fmt::format("a block of {} x {} cells{} of the raster", block_x, block_y,
                                    pixel_interleaved ? fmt::format(" x {} interleaved bands", info.band_count) : ""),
                        "write the raster with one band (gdal_translate -b 1 IN.tif OUT.tif) or smaller blocks", where);
    info.values.resize(static_cast<std::size_t>(cells));
    if (GDALRasterIO(band, GF_Read, w.col, w.row, w.cols, w.rows, info.values.data(), w.cols, w.rows, GDT_Float64, 0,
                     0) != CE_None) {
      throw Error(ErrorCode::input, with_detail("cannot read the raster", errors.failure_message()), where);
    }
  }
  errors.throw_if_failed(ErrorCode::input, "cannot read the raster", where);
  return info;
}

}  // namespace parksim::io
