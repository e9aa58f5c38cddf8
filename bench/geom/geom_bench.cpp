// Benchmarks for the geometry work the plan module does on every run: intersecting N parcels with zone
// and corridor polygons, checking the parcel coverage, and reprojecting parcels.
//
// Data (deterministic, no RNG): N square 1 ha parcels (100 m x 100 m) on a grid near the park in
// EPSG:4548, three 48-vertex star-shaped zones and one 300 m wide corridor (a buffered three-segment
// line), all scaled to the grid so that the share of parcels they touch is the same for every N.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <vector>

#include "geom/coverage.hpp"
#include "geom/crs.hpp"
#include "geom/index.hpp"

namespace parksim::geom {
namespace {

constexpr double cell_m = 100.0;
constexpr double origin_x = 430'000.0;
constexpr double origin_y = 4'430'000.0;

struct Scene {
  std::vector<Geometry> parcels;
  std::vector<Geometry> overlays;  // zones and the corridor
  double width_m = 0.0;
  double height_m = 0.0;
};

Scene make_scene(std::size_t n) {
  Scene s;
  const auto cols = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  const std::size_t rows = (n + cols - 1) / cols;
  s.width_m = static_cast<double>(cols) * cell_m;
  s.height_m = static_cast<double>(rows) * cell_m;
  s.parcels.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double x = origin_x + static_cast<double>(k % cols) * cell_m;
    const double y = origin_y + static_cast<double>(k / cols) * cell_m;
    s.parcels.push_back(Geometry::from_envelope({x, y, x + cell_m, y + cell_m}));
  }
  // Star-shaped zones: centre (fx, fy) and radius r as fractions of the grid size.
  const double zones[3][3] = {{0.30, 0.35, 0.22}, {0.70, 0.30, 0.18}, {0.55, 0.72, 0.25}};
  for (const auto& z : zones) {
    Ring ring;
    const int vertices = 48;
    for (int i = 0; i < vertices; ++i) {
      const double a = 2.0 * std::numbers::pi * i / vertices;
      const double r = z[2] * std::min(s.width_m, s.height_m) * (i % 2 == 0 ? 1.0 : 0.8);
      ring.push_back({origin_x + z[0] * s.width_m + r * std::cos(a), origin_y + z[1] * s.height_m + r * std::sin(a)});
    }
    ring.push_back(ring.front());
    s.overlays.push_back(Geometry::from_polygons(std::vector<Polygon>{Polygon{ring, {}}}));
  }
  const std::vector<Coordinate> axis{{origin_x + 0.05 * s.width_m, origin_y + 0.10 * s.height_m},
                                     {origin_x + 0.40 * s.width_m, origin_y + 0.50 * s.height_m},
                                     {origin_x + 0.60 * s.width_m, origin_y + 0.55 * s.height_m},
                                     {origin_x + 0.95 * s.width_m, origin_y + 0.95 * s.height_m}};
  s.overlays.push_back(buffer(Geometry::line_string(axis), 150.0));
  return s;
}

const Scene& scene(std::size_t n) {
  static std::vector<std::pair<std::size_t, Scene>> cache;  // built once per N, outside the timings
  for (auto& [size, sc] : cache)
    if (size == n) return sc;
  cache.emplace_back(n, make_scene(n));
  return cache.back().second;
}

// Sum over overlays of the parcel area inside each overlay, testing every pair.
double overlay_naive(const Scene& s, std::size_t& pairs) {
  double total_m2 = 0.0;
  for (const Geometry& zone : s.overlays) {
    for (const Geometry& parcel : s.parcels) {
      if (!intersects(zone, parcel)) continue;
      ++pairs;
      total_m2 += area(intersection(zone, parcel));
    }
  }
  return total_m2;
}

// The same with an STRtree over the parcels (built inside the timing) and a prepared overlay; parcels
// entirely inside an overlay need no intersection.
double overlay_indexed(const Scene& s, std::size_t& pairs) {
  const StrTree tree(s.parcels);
  double total_m2 = 0.0;
  for (const Geometry& zone : s.overlays) {
    const PreparedGeometry prepared(zone);
    for (std::size_t id : tree.query(zone.envelope())) {
      const Geometry& parcel = s.parcels[id];
      if (prepared.contains(parcel)) {
        ++pairs;
        total_m2 += area(parcel);
      } else if (prepared.intersects(parcel)) {
        ++pairs;
        total_m2 += area(intersection(zone, parcel));
      }
    }
  }
  return total_m2;
}

void BM_overlay_naive(benchmark::State& state) {
  const Scene& s = scene(static_cast<std::size_t>(state.range(0)));
  std::size_t pairs = 0;
  double total_m2 = 0.0;
  for (auto _ : state) {
    pairs = 0;
    total_m2 = overlay_naive(s, pairs);
    benchmark::DoNotOptimize(total_m2);
  }
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["overlay_km2"] = total_m2 / 1e6;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.parcels.size()));
}

void BM_overlay_strtree_prepared(benchmark::State& state) {
  const Scene& s = scene(static_cast<std::size_t>(state.range(0)));
  std::size_t pairs = 0;
  double total_m2 = 0.0;
  for (auto _ : state) {
    pairs = 0;
    total_m2 = overlay_indexed(s, pairs);
    benchmark::DoNotOptimize(total_m2);
  }
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["overlay_km2"] = total_m2 / 1e6;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.parcels.size()));
}

void BM_check_coverage(benchmark::State& state) {
  const Scene& s = scene(static_cast<std::size_t>(state.range(0)));
  std::vector<CoverageItem> items;
  for (std::size_t i = 0; i < s.parcels.size(); ++i) items.push_back({static_cast<std::int64_t>(i), "", &s.parcels[i]});
  for (auto _ : state) {
    ProblemReporter problems;
    const CoverageSummary summary = check_coverage(items, {}, problems);
    benchmark::DoNotOptimize(summary.gaps);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.parcels.size()));
}

void BM_reproject_parcels_to_lonlat(benchmark::State& state) {
  const Scene& s = scene(static_cast<std::size_t>(state.range(0)));
  const Transformer to_lonlat(Crs::from_epsg(4548), Crs::from_epsg(4490));
  for (auto _ : state) {
    for (const Geometry& parcel : s.parcels) benchmark::DoNotOptimize(to_lonlat.transform(parcel));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.parcels.size()));
}

// The two overlay methods must agree before their speeds are worth comparing.
void check_overlay_agreement() {
  const Scene& s = scene(1000);
  std::size_t pairs_a = 0, pairs_b = 0;
  const double a = overlay_naive(s, pairs_a);
  const double b = overlay_indexed(s, pairs_b);
  if (pairs_a != pairs_b || std::abs(a - b) > 1e-6 * a) std::abort();
}

BENCHMARK(BM_overlay_naive)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_overlay_strtree_prepared)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_check_coverage)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_reproject_parcels_to_lonlat)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parksim::geom

int main(int argc, char** argv) {
  parksim::geom::check_overlay_agreement();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
