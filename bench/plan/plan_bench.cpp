// Benchmark of plan::load_plan on large parcel layers: the time and the peak memory of reading N parcels from a
// GeoPackage and checking them (geometry validity, CRS plausibility, coverage overlaps and gaps, phases made from the
// parcels), as `parksim validate DATASET` does. Target (issue "bounded resources"): 10^6 parcels in <= 15 s and
// <= 1 GB.
//
// Data (deterministic, no RNG): N square 5 m x 5 m parcels on a grid in EPSG:4548 near the park, all of phase "3",
// zone frontier_tech, land use 0802, status vacant, with the attributes of the bundled parcels layer; written once
// per N into a GeoPackage in the temporary folder by io::write_gpkg, in a child process. The peak resident memory is
// this process's (getrusage), reported as a counter: run one N per process to read it alone.

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "io/vector.hpp"
#include "plan/loader.hpp"

namespace parksim::plan {
namespace {

namespace fs = std::filesystem;

constexpr double cell_m = 5.0;

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_f64(std::vector<std::uint8_t>& out, double v) {
  std::uint64_t bits = 0;
  static_assert(sizeof bits == sizeof v);
  __builtin_memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}

// ISO WKB polygon of the square with lower-left corner (x, y).
std::vector<std::uint8_t> square(double x, double y) {
  std::vector<std::uint8_t> out{1};
  put_u32(out, 3);
  put_u32(out, 1);
  put_u32(out, 5);
  const double xs[] = {x, x + cell_m, x + cell_m, x, x};
  const double ys[] = {y, y, y + cell_m, y + cell_m, y};
  for (int i = 0; i < 5; ++i) {
    put_f64(out, xs[i]);
    put_f64(out, ys[i]);
  }
  return out;
}

void write_dataset(const fs::path& path, std::int64_t n) {
  io::Layer layer;
  layer.name = "parcels";
  layer.crs = io::CrsRef::from_epsg(4548);
  layer.geometry_type = io::GeometryType::polygon;
  for (const char* name : {"parcel_id", "phase", "zone", "landuse", "status", "data_status", "source"}) {
    layer.fields.push_back({name, io::FieldType::string});
  }
  layer.fields.push_back({"far", io::FieldType::real});
  layer.fields.push_back({"accuracy_m", io::FieldType::real});
  const auto cols = static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  layer.features.reserve(static_cast<std::size_t>(n));
  for (std::int64_t k = 0; k < n; ++k) {
    io::Feature f;
    f.fid = k + 1;
    f.wkb = square(436000.0 + static_cast<double>(k % cols) * cell_m, 4440000.0 + static_cast<double>(k / cols) * cell_m);
    f.values = {io::Value(std::string("T-") + std::to_string(k)), io::Value(std::string("3")),
                io::Value(std::string("frontier_tech")), io::Value(std::string("0802")),
                io::Value(std::string("vacant")), io::Value(std::string("schematic")),
                io::Value(std::string("synthetic")), io::Value(1.5), io::Value(10.0)};
    layer.features.push_back(std::move(f));
  }
  io::write_gpkg(path, std::vector<io::Layer>{std::move(layer)});
}

// The dataset is written by a child process, so the memory it takes never counts in this process's peak.
fs::path dataset(std::int64_t n) {
  const fs::path path = fs::temp_directory_path() / ("parksim-bench-plan-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(n) + ".gpkg");
  if (fs::exists(path)) return path;
  const pid_t child = ::fork();
  if (child == 0) {
    write_dataset(path, n);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return path;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_load_plan(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const fs::path path = dataset(n);
  std::size_t parcels = 0;
  for (auto _ : state) {
    ProblemReporter problems;
    const Plan plan = load_plan(path, FieldMapping{}, problems);
    parcels = plan.parcels.size();
    benchmark::DoNotOptimize(parcels);
  }
  if (parcels != static_cast<std::size_t>(n)) state.SkipWithError("not every parcel was loaded");
  state.counters["parcels"] = static_cast<double>(parcels);
  state.counters["peak_rss_MB"] = peak_rss_mb();
  fs::remove(path);
}
BENCHMARK(BM_load_plan)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace parksim::plan

BENCHMARK_MAIN();
