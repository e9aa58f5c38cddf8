#pragma once
// Raster I/O: Cloud-Optimized GeoTIFFs (COG) of class maps and probability surfaces, PNG images of class maps for
// reports, and a reader that describes a raster (for tests and `parksim info`). Plain data in, no GDAL in sight.
//
// Geometry: north-up, (origin_x, origin_y) = upper-left corner of the upper-left cell, square cells, values
// row-major from the top row (the grid module's convention). GDAL geotransform = (origin_x, cell, 0, origin_y, 0,
// -cell).
// Determinism: the same values, geometry and classes give byte-identical files (no time or software tag, fixed
// compression options).
// Thread-safety: like vector.hpp, every function may run on several threads at once for different paths.
// Errors: Error(ErrorCode::output) naming the path (write), Error(ErrorCode::input) (read),
// Error(ErrorCode::crs) for a CRS GDAL does not know, Error(ErrorCode::output_exists) like every writer.

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/vector.hpp"

namespace parksim::io {

/// Where the cells of a raster lie.
struct RasterGeometry {
  double origin_x = 0.0;     ///< x of the upper-left corner, CRS units
  double origin_y = 0.0;     ///< y of the upper-left corner, CRS units
  double cell_size = 1.0;    ///< width of a cell (x), CRS units (> 0); also its height when cell_height is 0
  int cols = 0;              ///< > 0
  int rows = 0;              ///< > 0
  CrsRef crs;                ///< may be empty (no CRS written)
  double cell_height = 0.0;  ///< height of a cell (y), CRS units; 0 = square cells. DEFAULT 0
  bool north_up = true;      ///< false when the geotransform rotates or shears (read_raster only)
  friend bool operator==(const RasterGeometry&, const RasterGeometry&) = default;
};

/// One class of a class raster: cell value, name (category name, any UTF-8), display colour "#RRGGBB" and an
/// optional short key (the raster attribute table's `key` column).
struct RasterClass {
  int value = 0;  ///< 0..254 (255 is nodata)
  std::string name;
  std::string colour;
  std::string key;  ///< DEFAULT ""
  friend bool operator==(const RasterClass&, const RasterClass&) = default;
};

/// "#RRGGBB" (either case) -> {r, g, b}; nullopt for anything else.
std::optional<std::array<std::uint8_t, 3>> parse_colour(std::string_view colour) noexcept;

/// Nodata value of class rasters.
inline constexpr std::uint8_t class_nodata = 255;

/// Options of the raster writers. DEFAULTs as given.
struct RasterWriteOptions {
  /// Replace existing files. DEFAULT false: an existing target is Error(output_exists), untouched.
  bool overwrite = false;
};

/// Writes a Byte COG (DEFLATE, nearest-neighbour overviews when larger than one 512 block) at `path` with nodata
/// 255, a colour table (palette interpretation: every class colour at its value, others black, 255 transparent;
/// a TIFF colour map always has 256 entries), the class names as category names and a raster attribute table with
/// one row per class: value (usage MinMax), class (the name, usage Name), key, red, green, blue (0-255). GTiff keeps
/// category names and the attribute table in a `<path>.aux.xml` sidecar (PAM), which is written too; both files
/// appear atomically (temporary names renamed into place, the sidecar first).
/// `values` holds rows*cols cells. Throws Error(output) for a wrong value count, a class value outside 0..254, a
/// colour that is not #RRGGBB, or anything GDAL refuses.
void write_class_cog(const std::filesystem::path& path, const RasterGeometry& geometry,
                     std::span<const std::uint8_t> values, std::span<const RasterClass> classes,
                     const RasterWriteOptions& options = {});

/// Writes a Float32 COG (DEFLATE with floating-point predictor, average overviews) with nodata NaN. No sidecar.
void write_real_cog(const std::filesystem::path& path, const RasterGeometry& geometry, std::span<const float> values,
                    const RasterWriteOptions& options = {});

/// PNG bytes of a cols x rows class image (palette PNG through GDAL's PNG driver, in memory): each value is drawn
/// in its class colour, 255 (and any value without a class) transparent. Deterministic. Throws Error(output).
std::vector<std::uint8_t> encode_class_png(int cols, int rows, std::span<const std::uint8_t> values,
                                           std::span<const RasterClass> classes);

/// One row of a raster attribute table that names a cell value (read_raster).
struct RasterCategory {
  int value = 0;
  std::string name;    ///< from the name column (usage GFU_Name, or a column called name/class/label)
  std::string colour;  ///< "#RRGGBB" from red/green/blue columns, "" when the table has none
  friend bool operator==(const RasterCategory&, const RasterCategory&) = default;
};

/// Cells of a raster to read: columns col .. col + cols - 1 of rows row .. row + rows - 1.
struct RasterWindow {
  int col = 0;
  int row = 0;
  int cols = 0;  ///< > 0
  int rows = 0;  ///< > 0
  friend bool operator==(const RasterWindow&, const RasterWindow&) = default;
};

/// What read_raster() reports about a raster's first band.
struct RasterInfo {
  std::string driver;                ///< "GTiff", "PNG", ...
  RasterGeometry geometry;           ///< crs from the file (EPSG code when GDAL identifies one)
  int band_count = 0;
  std::string data_type;             ///< GDAL's name: "Byte", "Float32", ...
  std::optional<double> nodata;      ///< band 1 nodata (NaN when the nodata is NaN)
  std::vector<std::string> colour_table;  ///< "#RRGGBB" per palette index (index = value); empty without palette
  std::vector<std::string> category_names;  ///< band 1 category names, by value
  std::vector<RasterCategory> attribute_table;  ///< band 1 raster attribute table rows with a value, by row
  std::map<std::string, std::string> image_structure;  ///< IMAGE_STRUCTURE metadata (LAYOUT=COG, COMPRESSION=...)
  int overview_count = 0;
  std::vector<double> values;        ///< band 1, row-major (only when read_raster's options.values)
  RasterWindow window;               ///< the cells `values` holds (the whole raster unless a window was asked)
};

/// What read_raster() reads. Every raster read of the engine goes through these options, so every reader inherits
/// the bound: the values are never allocated before their size is checked against max_cells and the process memory
/// budget (core/budget.hpp). DEFAULTs as given.
struct RasterReadOptions {
  bool values = false;                 ///< read band 1 into RasterInfo::values. DEFAULT false (description only)
  std::optional<RasterWindow> window;  ///< read only these cells (RasterInfo::window says which). DEFAULT all
  /// Most cells the caller can use (e.g. the run's grid): a larger read is Error(data) naming both sizes, before
  /// anything is allocated. DEFAULT 0 = no limit but the memory budget.
  std::int64_t max_cells = 0;
};

/// Describes the raster at `path` and reads band 1 (or a window of it) when options.values. The geometry is always
/// the whole raster's. Throws Error(input) naming the path when it cannot be read, Error(data) when the values
/// asked for exceed options.max_cells or the memory budget (the message gives the size, the estimate and how to
/// proceed: crop or coarser cells), Error(usage) for a window outside the raster.
RasterInfo read_raster(const std::filesystem::path& path, const RasterReadOptions& options = {});

/// read_raster(path, {.values = with_values}).
inline RasterInfo read_raster(const std::filesystem::path& path, bool with_values) {
  return read_raster(path, RasterReadOptions{.values = with_values});
}

}  // namespace parksim::io
