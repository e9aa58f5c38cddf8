#pragma once
// Helpers for the io tests: hand-made WKB, file bytes, a sample layer (TempDir: tests/unit/temp_dir.hpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "io/vector.hpp"
#include "temp_dir.hpp"

namespace parksim::io::test {

using test_support::read_bytes;
using test_support::TempDir;

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// ---- ISO WKB, little endian ----
inline void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
inline void put_f64(std::vector<std::uint8_t>& out, double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}
inline std::uint32_t get_u32(const std::vector<std::uint8_t>& in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(in.at(at + static_cast<std::size_t>(i))) << (8 * i);
  return v;
}
inline double get_f64(const std::vector<std::uint8_t>& in, std::size_t at) {
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(in.at(at + static_cast<std::size_t>(i))) << (8 * i);
  double v = 0;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

using Ring = std::vector<std::pair<double, double>>;

inline std::vector<std::uint8_t> wkb_point(double x, double y) {
  std::vector<std::uint8_t> out{1};
  put_u32(out, 1);
  put_f64(out, x);
  put_f64(out, y);
  return out;
}

inline std::vector<std::uint8_t> wkb_line(const Ring& points) {
  std::vector<std::uint8_t> out{1};
  put_u32(out, 2);
  put_u32(out, static_cast<std::uint32_t>(points.size()));
  for (const auto& [x, y] : points) {
    put_f64(out, x);
    put_f64(out, y);
  }
  return out;
}

/// An axis-aligned square polygon with lower-left corner (x, y), closed, counter-clockwise.
inline std::vector<std::uint8_t> wkb_square(double x, double y, double side_m) {
  const Ring ring{{x, y}, {x + side_m, y}, {x + side_m, y + side_m}, {x, y + side_m}, {x, y}};
  std::vector<std::uint8_t> out{1};
  put_u32(out, 3);
  put_u32(out, 1);
  put_u32(out, static_cast<std::uint32_t>(ring.size()));
  for (const auto& [px, py] : ring) {
    put_f64(out, px);
    put_f64(out, py);
  }
  return out;
}

/// ISO WKB geometry type code (1 point, 2 line, 3 polygon, 4..6 multi, 7 collection).
inline std::uint32_t wkb_type(const std::vector<std::uint8_t>& wkb) { return get_u32(wkb, 1); }

/// All x,y coordinates of a 2D Point/LineString/Polygon/Multi* WKB, in order.
inline std::vector<std::pair<double, double>> wkb_coordinates(const std::vector<std::uint8_t>& wkb) {
  std::vector<std::pair<double, double>> out;
  std::size_t at = 0;
  auto walk = [&](auto&& self) -> void {
    EXPECT_EQ(wkb.at(at), 1) << "expected little-endian WKB";
    const std::uint32_t type = get_u32(wkb, at + 1);
    at += 5;
    auto point = [&] {
      out.emplace_back(get_f64(wkb, at), get_f64(wkb, at + 8));
      at += 16;
    };
    auto points = [&] {
      const std::uint32_t n = get_u32(wkb, at);
      at += 4;
      for (std::uint32_t i = 0; i < n; ++i) point();
    };
    if (type == 1) {
      point();
    } else if (type == 2) {
      points();
    } else if (type == 3) {
      const std::uint32_t rings = get_u32(wkb, at);
      at += 4;
      for (std::uint32_t r = 0; r < rings; ++r) points();
    } else if (type >= 4 && type <= 7) {
      const std::uint32_t parts = get_u32(wkb, at);
      at += 4;
      for (std::uint32_t p = 0; p < parts; ++p) self(self);
    } else {
      ADD_FAILURE() << "unexpected WKB type " << type;
    }
  };
  walk(walk);
  return out;
}

// Parcels near the Life Science Park, in EPSG:4548 (x = easting, y = northing, metres).
inline constexpr double park_x_m = 439000.0;
inline constexpr double park_y_m = 4440000.0;

/// A polygon layer "parcels" with an integer, a real, a string, a date and a Chinese-named field, three
/// features with Chinese values (and one null), in EPSG:4548.
inline Layer sample_parcels() {
  Layer layer;
  layer.name = "parcels";
  layer.crs = CrsRef::from_epsg(4548);
  layer.geometry_type = GeometryType::polygon;
  layer.fields = {
      {"parcel_id", FieldType::integer, "地块编号", "parcel id", ""},
      {"area_m2", FieldType::real, "面积", "area", "m2"},
      {"zone", FieldType::string, "分区", "zone", ""},
      {"approved", FieldType::date, "批复日期", "approved on", ""},
      {"用地性质", FieldType::string, "用地性质", "land use", ""},
  };
  for (int i = 0; i < 3; ++i) {
    Feature f;
    f.fid = i + 1;
    f.wkb = wkb_square(park_x_m + 300.0 * i, park_y_m, 200.0);
    f.values = {Value{std::int64_t{100 + i}}, Value{40000.5 + i}, Value{std::string(i == 0 ? "前沿技术" : "医疗器械")},
                Value{std::string("2023-0") + std::to_string(i + 1) + "-15"},
                i == 2 ? Value{} : Value{std::string("医药健康产业用地")}};
    layer.features.push_back(std::move(f));
  }
  return layer;
}

}  // namespace parksim::io::test
