#pragma once
// Files of a small raster study for the study tests: class maps, value rasters and vector layers written with the
// engine's own writers (and GDAL directly where a test needs what the writers never produce: a float class map, a
// raster attribute table).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "geom/geometry.hpp"
#include "io/raster.hpp"
#include "io/vector.hpp"

namespace parksim::study::testing {

constexpr double kOriginX = 500000.0;
constexpr double kOriginY = 4400000.0;
constexpr double kCell = 100.0;
constexpr int kCols = 8;
constexpr int kRows = 6;

inline io::RasterGeometry geometry(double origin_x = kOriginX, double cell = kCell, int cols = kCols, int rows = kRows) {
  io::RasterGeometry g;
  g.origin_x = origin_x;
  g.origin_y = kOriginY;
  g.cell_size = cell;
  g.cols = cols;
  g.rows = rows;
  g.crs = io::CrsRef::from_epsg(32650);
  return g;
}

/// A class map of codes: `value(row, col)`; 255 = no data.
template <class F>
std::filesystem::path write_map(const std::filesystem::path& path, F value, const io::RasterGeometry& g = geometry()) {
  std::vector<std::uint8_t> v(static_cast<std::size_t>(g.cols * g.rows));
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) v[static_cast<std::size_t>(r * g.cols + c)] = static_cast<std::uint8_t>(value(r, c));
  }
  io::write_class_cog(path, g, v, std::vector<io::RasterClass>{{1, "Forest", "#1B7837"}, {2, "Built", "#D7191C"}});
  return path;
}

template <class F>
std::filesystem::path write_values(const std::filesystem::path& path, F value, const io::RasterGeometry& g = geometry()) {
  std::vector<float> v(static_cast<std::size_t>(g.cols * g.rows));
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) v[static_cast<std::size_t>(r * g.cols + c)] = static_cast<float>(value(r, c));
  }
  io::write_real_cog(path, g, v);
  return path;
}

inline std::vector<std::uint8_t> wkb(const std::string& wkt) { return geom::Geometry::from_wkt(wkt).to_wkb(); }

/// A GeoPackage layer `name` of `wkts` with a text field `name` and an integer field `opens`, in `epsg`.
inline std::filesystem::path write_layer(const std::filesystem::path& path, const std::string& name,
                                         const std::vector<std::string>& wkts, const std::vector<std::string>& names,
                                         const std::vector<std::int64_t>& opens, int epsg = 32650) {
  io::Layer l;
  l.name = name;
  l.crs = io::CrsRef::from_epsg(epsg);
  l.geometry_type = io::GeometryType::unknown;
  l.fields = {{"name", io::FieldType::string}, {"opens", io::FieldType::integer}};
  for (std::size_t i = 0; i < wkts.size(); ++i) {
    l.features.push_back({static_cast<std::int64_t>(i + 1), wkb(wkts[i]), {names[i], opens[i]}});
  }
  io::write_gpkg(path, std::vector<io::Layer>{l});
  return path;
}

}  // namespace parksim::study::testing
