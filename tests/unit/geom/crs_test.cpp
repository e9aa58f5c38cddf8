#include "geom/crs.hpp"

#include <cmath>
#include <numbers>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/units.hpp"
#include "shapes.hpp"

namespace parksim::geom {
namespace {

using ::testing::HasSubstr;

// Life Science Park station (Changping Line): WGS84 lon/lat and its EPSG:4548 easting/northing.
constexpr double station_lon = 116.2882;
constexpr double station_lat = 40.0936;
constexpr double station_e_m = 439'299.46;
constexpr double station_n_m = 4'440'164.80;
constexpr double reference_tolerance_m = 0.01;  // the reference is given to the centimetre
constexpr double round_trip_tolerance_m = 0.001;
constexpr double m_per_deg_lat = 111'000.0;     // enough to convert a tolerance to degrees

TEST(Crs, describes_the_working_crs) {
  const Crs crs = Crs::from_user_input("EPSG:4548");
  EXPECT_TRUE(crs.is_projected());
  EXPECT_FALSE(crs.is_geographic());
  EXPECT_EQ(crs.epsg(), 4548);
  EXPECT_THAT(crs.name(), HasSubstr("CGCS2000"));
  EXPECT_THAT(crs.name(), HasSubstr("117E"));
  EXPECT_THAT(crs.to_wkt(), ::testing::StartsWith("PROJCRS["));
  EXPECT_EQ(crs.definition(), "EPSG:4548");
}

TEST(Crs, describes_geographic_crs) {
  const Crs cgcs = Crs::from_epsg(4490);
  EXPECT_TRUE(cgcs.is_geographic());
  EXPECT_EQ(cgcs.epsg(), 4490);
  EXPECT_TRUE(Crs::from_user_input("OGC:CRS84").is_geographic());
}

TEST(Crs, unknown_crs_throws_crs_error_naming_the_text) {
  try {
    Crs::from_user_input("EPSG:999999", Context{.path = "plan.toml", .key = "crs"});
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
    EXPECT_THAT(e.message(), HasSubstr("EPSG:999999"));
    EXPECT_EQ(e.context().key, "crs");
  }
  EXPECT_THROW(Crs::from_wkt("PROJCS[\"broken\""), Error);
}

TEST(Crs, a_non_crs_definition_is_rejected) {
  try {
    Crs::from_user_input("+proj=merc");  // a projection, not a CRS
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
    EXPECT_THAT(e.message(), HasSubstr("not a coordinate reference system"));
  }
}

TEST(Crs, identifies_epsg_code_of_esri_prj_wkt_without_id) {
  // What GDAL writes into a .prj for EPSG:4548: ESRI WKT1, no AUTHORITY node.
  const Crs crs = Crs::from_wkt(
      R"(PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",)"
      R"(DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],)"
      R"(UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],)"
      R"(PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],)"
      R"(PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]])");
  EXPECT_TRUE(crs.is_projected());
  EXPECT_EQ(crs.epsg(), 4548);
  EXPECT_TRUE(crs.is_equivalent_to(Crs::from_epsg(4548)));
  EXPECT_FALSE(crs.is_equivalent_to(Crs::from_epsg(4547)));
}

TEST(Transformer, station_lands_on_reference_easting_northing_in_x_y_order) {
  const Transformer to_working(Crs::from_epsg(4326), Crs::from_epsg(4548));
  const Coordinate p = to_working.transform(station_lon, station_lat);
  EXPECT_NEAR(p.x, station_e_m, reference_tolerance_m);  // x is easting, not northing
  EXPECT_NEAR(p.y, station_n_m, reference_tolerance_m);
}

TEST(Transformer, cgcs2000_geographic_is_lon_lat_in_and_out) {
  // EPSG:4490 is defined latitude-first; the Transformer still gives x = longitude.
  const Transformer to_geographic(Crs::from_epsg(4548), Crs::from_epsg(4490));
  const Coordinate ll = to_geographic.transform(station_e_m, station_n_m);
  EXPECT_NEAR(ll.x, station_lon, 1e-6);
  EXPECT_NEAR(ll.y, station_lat, 1e-6);
  const Coordinate back = to_geographic.inverse().transform(ll.x, ll.y);
  EXPECT_NEAR(back.x, station_e_m, round_trip_tolerance_m);
  EXPECT_NEAR(back.y, station_n_m, round_trip_tolerance_m);
}

TEST(Transformer, wgs84_point_round_trips_through_working_crs_within_1_mm) {
  const Transformer forward(Crs::from_epsg(4326), Crs::from_epsg(4548));
  const Transformer backward = forward.inverse();
  for (const Coordinate ll : {Coordinate{station_lon, station_lat}, Coordinate{116.25, 40.12}, Coordinate{116.32, 40.05}}) {
    const Coordinate en = forward.transform(ll.x, ll.y);
    const Coordinate back = backward.transform(en.x, en.y);
    const double dy_m = (back.y - ll.y) * m_per_deg_lat;
    const double dx_m = (back.x - ll.x) * m_per_deg_lat * std::cos(ll.y * std::numbers::pi / 180.0);
    EXPECT_LT(std::hypot(dx_m, dy_m), round_trip_tolerance_m);
  }
}

TEST(Transformer, batch_transform_matches_single_points) {
  const Transformer t(Crs::from_epsg(4326), Crs::from_epsg(4548));
  std::vector<Coordinate> pts{{116.28, 40.09}, {116.30, 40.10}};
  t.transform(pts);
  EXPECT_EQ(pts[0], t.transform(116.28, 40.09));
  EXPECT_EQ(pts[1], t.transform(116.30, 40.10));
}

TEST(Transformer, impossible_point_throws_crs_error_with_coordinate) {
  const Transformer t(Crs::from_epsg(4326), Crs::from_epsg(4548));
  try {
    t.transform(116.3, 95.0);  // latitude beyond the pole
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
    EXPECT_THAT(e.message(), HasSubstr("EPSG:4326"));
    ASSERT_TRUE(e.context().coordinate.has_value());
    EXPECT_EQ(e.context().coordinate->y, 95.0);
  }
}

TEST(Transformer, transforms_every_vertex_of_a_geometry) {
  const Transformer t(Crs::from_epsg(4548), Crs::from_epsg(4326));
  const Geometry square_en = test::square(439'000.0, 4'440'000.0, 1'000.0);
  const Geometry square_ll = t.transform(square_en);
  ASSERT_EQ(square_ll.num_coordinates(), square_en.num_coordinates());
  const auto en = square_en.polygons().front().exterior;
  const auto ll = square_ll.polygons().front().exterior;
  for (std::size_t i = 0; i < en.size(); ++i) EXPECT_EQ(ll[i], t.transform(en[i].x, en[i].y));
  EXPECT_NEAR(square_ll.envelope().min_x, 116.285, 0.01);  // lon first
}

TEST(GeodesicArea, agrees_with_projected_area_of_park_sized_polygon_within_0_05_percent) {
  // A 3 km x 2.4 km (7.2 km2, the plan's size) rectangle at the park, densified to 50 m so its edges
  // stay straight after the transformation.
  const std::vector<Polygon> rect{
      Polygon{test::dense_rectangle_ring(437'000.0, 4'438'500.0, 440'000.0, 4'440'900.0, 50.0), {}}};
  const Geometry projected = Geometry::from_polygons(rect);
  const double projected_m2 = area(projected);
  EXPECT_NEAR(units::m2_to_km2(projected_m2), 7.2, 1e-9);
  const Geometry lonlat = Transformer(Crs::from_epsg(4548), Crs::from_epsg(4490)).transform(projected);
  const double geodesic_m2 = geodesic_area_m2(lonlat, Ellipsoid::grs80);
  EXPECT_LT(std::abs(projected_m2 - geodesic_m2) / geodesic_m2, 0.0005);
  EXPECT_NE(projected_m2, geodesic_m2);  // Gauss-Kruger scale is not exactly 1 here (60 km from CM)
}

TEST(GeodesicArea, subtracts_holes_and_ignores_ring_orientation) {
  const Geometry cw = Geometry::from_wkt(
      "POLYGON ((116.28 40.09, 116.28 40.10, 116.30 40.10, 116.30 40.09, 116.28 40.09),"
      " (116.285 40.092, 116.29 40.092, 116.29 40.095, 116.285 40.092))");
  const Geometry shell_only = Geometry::from_wkt(
      "POLYGON ((116.28 40.09, 116.30 40.09, 116.30 40.10, 116.28 40.10, 116.28 40.09))");
  const Geometry hole_only = Geometry::from_wkt(
      "POLYGON ((116.285 40.092, 116.29 40.092, 116.29 40.095, 116.285 40.092))");
  const double shell_m2 = geodesic_area_m2(shell_only);
  EXPECT_NEAR(shell_m2, 0.02 * 85'200.0 * 0.01 * 111'000.0, 0.01 * shell_m2);  // ~1.9 km2 sanity scale
  EXPECT_NEAR(geodesic_area_m2(cw), shell_m2 - geodesic_area_m2(hole_only), 1e-3);
  EXPECT_GT(geodesic_area_m2(shell_only, Ellipsoid::wgs84), 0.0);
  EXPECT_DOUBLE_EQ(geodesic_area_m2(Geometry::point(116.3, 40.1)), 0.0);
}

}  // namespace
}  // namespace parksim::geom
