// The class and driver tables of a study: [classes] (codes declared in the scenario, or a class CSV), the raster
// attribute table and category names of the land-use map, and [drivers.<name>] tables, built on a small study.
//
// The input is up to three texts separated by lines "#---": the scenario TOML, the class CSV (written as
// classes.csv) and the map's PAM sidecar (map.tif.aux.xml, which holds its category names and attribute table;
// without a third part the sidecar GDAL wrote is used). The study lies in a private folder that also holds an
// 8 x 6 class map (map.tif: codes 1 forest, 2 built in column 0, 3 water in column 7, nodata in two cells), a value
// raster with one nodata cell (slope.tif) and a GeoJSON of points, lines and polygons with attributes
// (features.geojson). Every file the scenario names is taken from that folder (its file name is kept), so no input
// reads anything else. Checked beyond "no crash": every driver is finite inside the study area.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "io/raster.hpp"
#include "scenario/inputs.hpp"
#include "scenario/scenario.hpp"
#include "study/drivers.hpp"
#include "study/study.hpp"

namespace {

namespace fs = std::filesystem;
using namespace parksim;

constexpr const char* kFeatures = R"({"type": "FeatureCollection",
"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32650"}},
"features": [
{"type": "Feature", "properties": {"name": "G6", "name_zh": "京藏高速", "kind": "G6", "tier": 1, "opens": 0, "weight": 2.5},
 "geometry": {"type": "LineString", "coordinates": [[500000, 4399750], [500800, 4399750]]}},
{"type": "Feature", "properties": {"name": "Beiqing Road", "name_zh": "北清路", "kind": "road", "tier": 2, "opens": 2025, "weight": 1},
 "geometry": {"type": "LineString", "coordinates": [[500050, 4400000], [500050, 4399400]]}},
{"type": "Feature", "properties": {"name": "station", "kind": "19", "tier": 3, "opens": 2029, "weight": "x"},
 "geometry": {"type": "Point", "coordinates": [500750, 4399450]}},
{"type": "Feature", "properties": {"name": "band", "kind": "band", "tier": 1, "opens": null, "weight": 4},
 "geometry": {"type": "Polygon", "coordinates": [[[500100, 4399900], [500500, 4399900], [500500, 4399500],
                                                   [500100, 4399500], [500100, 4399900]]]}},
{"type": "Feature", "properties": {"name": "outer", "kind": "band", "tier": 2, "opens": 2010, "weight": 0},
 "geometry": {"type": "MultiPolygon", "coordinates": [[[[500000, 4400000], [500800, 4400000], [500800, 4399400],
                                                         [500000, 4399400], [500000, 4400000]]]]}},
{"type": "Feature", "properties": {"name": null}, "geometry": null}
]}
)";

struct Fixture {
  fs::path dir;
  std::string sidecar;  // the map's aux.xml as GDAL wrote it
};

Fixture make_fixture() {
  Fixture out;
  out.dir = fuzz::private_folder("fuzz-study-tables");
  io::RasterGeometry g;
  g.origin_x = 500000.0;
  g.origin_y = 4400000.0;
  g.cell_size = 100.0;
  g.cols = 8;
  g.rows = 6;
  g.crs = io::CrsRef::from_epsg(32650);
  std::vector<std::uint8_t> codes(48, 1);
  std::vector<float> slope(48);
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      const auto i = static_cast<std::size_t>(r * g.cols + c);
      codes[i] = c == 0 ? 2 : c == 7 ? 3 : 1;
      slope[i] = static_cast<float>(r + 2 * c);
    }
  }
  codes[20] = codes[21] = io::class_nodata;
  slope[9] = std::nanf("");
  const io::RasterWriteOptions overwrite{.overwrite = true};
  io::write_class_cog(out.dir / "map.tif", g, codes,
                      std::vector<io::RasterClass>{{1, "Forest", "#1B7837", "forest"},
                                                   {2, "Built / urban", "#D7191C", ""},
                                                   {3, "Water", "#2B83BA", ""}},
                      overwrite);
  io::write_real_cog(out.dir / "slope.tif", g, slope, overwrite);
  std::ofstream(out.dir / "features.geojson", std::ios::binary | std::ios::trunc) << kFeatures;
  std::ifstream aux(out.dir / "map.tif.aux.xml", std::ios::binary);
  out.sidecar.assign(std::istreambuf_iterator<char>(aux), std::istreambuf_iterator<char>());
  return out;
}

// The folder's files; a failure to write them is the harness's, not a finding, and stops the run.
const Fixture& fixture() {
  static const Fixture f = [] {
    try {
      return make_fixture();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz_study_tables: cannot write the study's files: %s\n", e.what());
      std::abort();
    }
  }();
  return f;
}

void write(const fs::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// The scenario's file names, taken from the fixture folder.
fs::path confined(const fs::path& path) { return path.empty() ? path : fixture().dir / path.filename(); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run_one([&] {
    const Fixture& f = fixture();
    std::vector<std::string_view> parts;
    std::string_view rest = fuzz::as_text(data, size);
    for (auto cut = rest.find("\n#---\n"); cut != std::string_view::npos && parts.size() < 2;
         cut = rest.find("\n#---\n")) {
      parts.push_back(rest.substr(0, cut));
      rest = rest.substr(cut + 6);
    }
    parts.push_back(rest);
    write(f.dir / "classes.csv", parts.size() > 1 ? parts[1] : std::string_view("code\n"));
    write(f.dir / "map.tif.aux.xml", parts.size() > 2 ? parts[2] : std::string_view(f.sidecar));

    const scenario::Scenario s = scenario::Scenario::parse(parts[0], f.dir / "study.toml");
    study::StudySpec spec = scenario::study_spec(s);
    for (auto& m : spec.maps) m.path = confined(m.path);
    spec.class_table = confined(spec.class_table);
    spec.mask.path = confined(spec.mask.path);
    spec.exclusion.path = confined(spec.exclusion.path);
    std::vector<study::DriverSpec> drivers = scenario::driver_specs(s);
    for (auto& d : drivers) {
      for (auto& src : d.sources) src.path = confined(src.path);
    }

    ProblemReporter problems;
    const study::Study st = study::build_study(spec, nullptr, problems);
    const study::DriverBuilder builder(std::move(drivers), st, nullptr, s.get_real("suitability.max_distance_m"),
                                       problems);
    for (const int year : {st.start_year, st.start_year + 10}) {
      (void)builder.state(year);
      for (const auto& layer : builder.build(year, st.initial)) {
        for (std::int64_t i = 0; i < layer.values.size(); ++i) {
          if (st.area[i] != 0 && !std::isfinite(layer.values[i])) __builtin_trap();  // drivers.hpp: finite inside
        }
      }
    }
  });
}
