// write_postgis against a real PostgreSQL 15 + PostGIS 3 server. CTest runs this executable under
// `pg_virtualenv -t` (a throw-away cluster; PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE exported). Without
// PGHOST the database tests skip; the connection-string tests always run.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/postgis.hpp"

namespace parksim::io {
namespace {

const std::string kConnection = "PG:";  // everything else from libpq's environment

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_f64(std::vector<std::uint8_t>& out, double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}

// A square polygon (ISO WKB, little endian) in EPSG:4548 metres near the park.
std::vector<std::uint8_t> square(double x0, double y0, double side_m) {
  std::vector<std::uint8_t> wkb{1};
  put_u32(wkb, 3);  // Polygon
  put_u32(wkb, 1);
  put_u32(wkb, 5);
  const double xs[] = {x0, x0 + side_m, x0 + side_m, x0, x0};
  const double ys[] = {y0, y0, y0 + side_m, y0 + side_m, y0};
  for (int i = 0; i < 5; ++i) {
    put_f64(wkb, xs[i]);
    put_f64(wkb, ys[i]);
  }
  return wkb;
}

Layer parcels(const std::string& name, int count) {
  Layer layer;
  layer.name = name;
  layer.crs = CrsRef::from_epsg(4548);
  layer.geometry_type = GeometryType::polygon;
  layer.fields = {{"用地性质", FieldType::string, "", "", ""},
                  {"area_m2", FieldType::real, "", "", "m2"},
                  {"phase", FieldType::integer, "", "", ""}};
  for (int i = 0; i < count; ++i) {
    Feature f;
    f.fid = i + 1;
    f.wkb = square(440000.0 + 120.0 * i, 4450000.0, 100.0);
    f.values = {std::string(i % 2 == 0 ? "生物医药研发用地" : "绿地"), 10000.0, std::int64_t{i % 2 == 0 ? 3 : 12}};
    layer.features.push_back(std::move(f));
  }
  return layer;
}

Layer indicators(const std::string& name) {
  Layer layer;
  layer.name = name;
  layer.geometry_type = GeometryType::none;
  layer.fields = {{"indicator_id", FieldType::string, "", "", ""}, {"value", FieldType::real, "", "", ""}};
  layer.features.push_back(Feature{-1, {}, {std::string("plan_total_km2"), 7.2}});
  layer.features.push_back(Feature{-1, {}, {std::string("health_industry_land_mu"), 3000.0}});
  return layer;
}

std::string scalar(const std::string& sql) {
  const auto rows = postgis_query(kConnection, sql);
  return rows.empty() || rows[0].empty() ? std::string("<no row>") : rows[0][0];
}

bool table_exists(const std::string& table) {
  return scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + table + "'") == "1";
}

class Postgis : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("PGHOST") == nullptr) GTEST_SKIP() << "no PGHOST: run under pg_virtualenv (ctest -L postgis)";
    postgis_query(kConnection, "CREATE EXTENSION IF NOT EXISTS postgis");
    for (const char* t : {"t_parcels", "t_zones", "t_indicators", "layer_styles"}) {
      postgis_query(kConnection, std::string("DROP TABLE IF EXISTS ") + t);
    }
  }
};

TEST_F(Postgis, writes_every_table_with_counts_srid_and_chinese_values) {
  const std::vector<Layer> layers{parcels("t_parcels", 5), parcels("t_zones", 2), indicators("t_indicators")};
  PostgisOptions options;
  options.layer_styles["t_parcels"] = "<!DOCTYPE qgis><qgis version=\"3.22\"><renderer-v2/></qgis>\n";
  write_postgis(kConnection, layers, options);

  EXPECT_EQ(scalar("SELECT count(*) FROM t_parcels"), "5");
  EXPECT_EQ(scalar("SELECT count(*) FROM t_zones"), "2");
  EXPECT_EQ(scalar("SELECT count(*) FROM t_indicators"), "2");
  EXPECT_EQ(scalar("SELECT Find_SRID('public', 't_parcels', 'geom')"), "4548");
  EXPECT_EQ(scalar("SELECT type FROM geometry_columns WHERE f_table_name = 't_parcels'"), "MULTIPOLYGON");
  EXPECT_EQ(scalar("SELECT count(*) FROM t_parcels WHERE \"用地性质\" = '生物医药研发用地'"), "3");
  EXPECT_EQ(scalar("SELECT round(sum(ST_Area(geom))) FROM t_parcels"), "50000");
  EXPECT_EQ(scalar("SELECT value FROM t_indicators WHERE indicator_id = 'health_industry_land_mu'"), "3000");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 't_parcels' AND indexdef LIKE '%gist%'"), "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM layer_styles WHERE f_table_name = 't_parcels' AND useasdefault"), "1");
}

TEST_F(Postgis, refuses_existing_tables_unless_overwrite_then_replaces_them) {
  write_postgis(kConnection, std::vector<Layer>{parcels("t_parcels", 5)});
  try {
    write_postgis(kConnection, std::vector<Layer>{parcels("t_zones", 1), parcels("t_parcels", 2)});
    FAIL() << "an existing table must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
    EXPECT_EQ(e.context().layer, "t_parcels");
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM t_parcels"), "5");
  EXPECT_FALSE(table_exists("t_zones"));

  PostgisOptions overwrite;
  overwrite.overwrite = true;
  write_postgis(kConnection, std::vector<Layer>{parcels("t_parcels", 2)}, overwrite);
  EXPECT_EQ(scalar("SELECT count(*) FROM t_parcels"), "2");
}

TEST_F(Postgis, invalid_geometry_in_the_second_layer_leaves_no_table_of_the_first) {
  Layer bad = parcels("t_zones", 3);
  bad.features[2].wkb.resize(9);  // truncated WKB
  const std::vector<Layer> layers{parcels("t_parcels", 5), bad};
  try {
    write_postgis(kConnection, layers);
    FAIL() << "invalid WKB must fail the write";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
    EXPECT_EQ(e.context().layer, "t_zones");
  }
  EXPECT_FALSE(table_exists("t_parcels"));
  EXPECT_FALSE(table_exists("t_zones"));
}

TEST_F(Postgis, failure_under_overwrite_keeps_the_previous_tables) {
  write_postgis(kConnection, std::vector<Layer>{parcels("t_parcels", 5)});
  Layer bad = parcels("t_zones", 2);
  bad.features[1].wkb = {1, 2, 3};
  PostgisOptions overwrite;
  overwrite.overwrite = true;
  EXPECT_THROW(write_postgis(kConnection, std::vector<Layer>{parcels("t_parcels", 1), bad}, overwrite), Error);
  EXPECT_EQ(scalar("SELECT count(*) FROM t_parcels"), "5");
  EXPECT_FALSE(table_exists("t_zones"));
}

TEST_F(Postgis, backend_terminated_after_the_first_layer_leaves_nothing) {
  PostgisOptions options;
  options.after_layer = [](const std::string& layer) {
    if (layer != "t_parcels") return;
    // From a second connection: end every other session of this database (the exporting one).
    postgis_query(kConnection,
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
  };
  const std::vector<Layer> layers{parcels("t_parcels", 5), parcels("t_zones", 50), indicators("t_indicators")};
  try {
    write_postgis(kConnection, layers, options);
    FAIL() << "a terminated connection must fail the write";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::database) << e.what();
  }
  EXPECT_FALSE(table_exists("t_parcels"));
  EXPECT_FALSE(table_exists("t_zones"));
  EXPECT_FALSE(table_exists("t_indicators"));
}

TEST_F(Postgis, server_stopped_mid_export_leaves_nothing_after_restart) {
  const char* version = std::getenv("PGVERSION");
  if (version == nullptr || std::getenv("PG_CLUSTER_CONF_ROOT") == nullptr) {
    GTEST_SKIP() << "needs pg_virtualenv's cluster (PGVERSION, PG_CLUSTER_CONF_ROOT)";
  }
  const std::string cluster = std::string(version) + " regress";
  PostgisOptions options;
  options.after_layer = [&](const std::string& layer) {
    if (layer != "t_parcels") return;
    ASSERT_EQ(std::system(("pg_ctlcluster " + cluster + " stop -m immediate").c_str()), 0);
  };
  const std::vector<Layer> layers{parcels("t_parcels", 5), parcels("t_zones", 50)};
  bool failed = false;
  try {
    write_postgis(kConnection, layers, options);
  } catch (const Error& e) {
    failed = true;
    EXPECT_EQ(e.code(), ErrorCode::database) << e.what();
  }
  ASSERT_EQ(std::system(("pg_ctlcluster " + cluster + " start").c_str()), 0);
  EXPECT_TRUE(failed) << "a stopped server must fail the write";
  EXPECT_FALSE(table_exists("t_parcels"));
  EXPECT_FALSE(table_exists("t_zones"));
}

TEST_F(Postgis, unreachable_server_is_a_database_error_without_the_password) {
  const std::string bad = "PG:host=127.0.0.1 port=1 dbname=nowhere user=planner password=s3cr3t-pw connect_timeout=2";
  try {
    write_postgis(bad, std::vector<Layer>{parcels("t_parcels", 1)});
    FAIL() << "an unreachable server must fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::database);
    EXPECT_EQ(std::string(e.what()).find("s3cr3t-pw"), std::string::npos) << e.what();
    EXPECT_EQ(e.context().path.find("s3cr3t-pw"), std::string::npos);
  }
}

TEST(PostgisConnection, masks_keyword_and_uri_passwords) {
  EXPECT_EQ(mask_pg_password("PG:dbname=parks password=abc host=x"), "PG:dbname=parks password=*** host=x");
  EXPECT_EQ(mask_pg_password("PG:password = 'a b\\'c' dbname=p"), "PG:password = *** dbname=p");
  EXPECT_EQ(mask_pg_password("PG:postgresql://planner:abc@db:5432/parks"), "PG:postgresql://planner:***@db:5432/parks");
  EXPECT_EQ(mask_pg_password("PG:postgresql://db/parks?user=u&password=abc&sslmode=require"),
            "PG:postgresql://db/parks?user=u&password=***&sslmode=require");
  EXPECT_EQ(mask_pg_password("PG:dbname=parks user=planner"), "PG:dbname=parks user=planner");
}

TEST(PostgisConnection, recognises_pg_destinations_only) {
  EXPECT_TRUE(is_pg_connection("PG:dbname=parks"));
  EXPECT_FALSE(is_pg_connection("out/pg"));
  EXPECT_FALSE(is_pg_connection("pg:dbname=parks"));
}

}  // namespace
}  // namespace parksim::io
