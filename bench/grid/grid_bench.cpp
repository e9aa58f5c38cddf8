// Hot loops of grid and of suitability evaluation on a 2000 x 2000 grid (30 m cells: 60 km x 60 km, or a
// 10 m grid of the 20 km x 20 km corridor). Figures and the command are in RESULTS.md.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include <tbb/global_control.h>

#include "core/rng.hpp"
#include "grid/distance.hpp"
#include "grid/neighbourhood.hpp"
#include "grid/rasterize.hpp"
#include "model/logistic.hpp"
#include "model/suitability.hpp"

namespace {

using namespace parksim;
constexpr int kSide = 2000;

grid::GridSpec bench_spec() {
  return grid::GridSpec{.origin_x = 440000.0, .origin_y = 4470000.0, .cell_size_m = 10.0, .cols = kSide,
                        .rows = kSide, .crs = "EPSG:4548"};
}

// Sources like the real drivers: two expressways (long diagonal lines) and 40 stations.
grid::Grid<std::uint8_t> road_and_station_mask() {
  const grid::GridSpec s = bench_spec();
  grid::Grid<std::uint8_t> m(s, 0);
  const std::vector<grid::LineString> roads{
      {{s.min_x(), s.max_y() - 3000.0}, {s.max_x(), s.min_y() + 2000.0}},
      {{s.min_x() + 5000.0, s.min_y()}, {s.min_x() + 9000.0, s.max_y()}}};
  grid::rasterize_lines(m, roads);
  RngStream rng(1, "bench.stations");
  std::vector<grid::Point> stations;
  for (int i = 0; i < 40; ++i) stations.push_back({rng.uniform(s.min_x(), s.max_x()), rng.uniform(s.min_y(), s.max_y())});
  grid::rasterize_points(m, stations);
  return m;
}

grid::Grid<std::uint8_t> random_classes(int classes) {
  grid::Grid<std::uint8_t> g(bench_spec(), 0);
  RngStream rng(2, "bench.classes");
  for (std::int64_t i = 0; i < g.size(); ++i) g[i] = static_cast<std::uint8_t>(rng.uniform_int(static_cast<std::uint64_t>(classes)));
  return g;
}

void BM_DistanceTransform(benchmark::State& state) {
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  const auto mask = road_and_station_mask();
  for (auto _ : state) {
    auto d = grid::distance_m(mask);
    benchmark::DoNotOptimize(d.data());
  }
  state.SetItemsProcessed(state.iterations() * mask.size());
}
BENCHMARK(BM_DistanceTransform)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_WindowCountEqual(benchmark::State& state) {
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 2);
  const auto classes = random_classes(8);
  const int window = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto n = grid::window_count_equal(classes, 3, window);
    benchmark::DoNotOptimize(n.data());
  }
  state.SetItemsProcessed(state.iterations() * classes.size());
}
BENCHMARK(BM_WindowCountEqual)->Arg(3)->Arg(7)->Arg(31)->Unit(benchmark::kMillisecond)->UseRealTime();

// 1600 jittered quadrilateral parcels of about 50 x 50 cells tiling the grid.
void BM_RasterizeParcels(benchmark::State& state) {
  const grid::GridSpec s = bench_spec();
  RngStream rng(3, "bench.parcels");
  constexpr int n = 40;
  const double step = s.width_m() / n;
  std::vector<std::vector<grid::Point>> corners(n + 1, std::vector<grid::Point>(n + 1));
  for (int i = 0; i <= n; ++i)
    for (int j = 0; j <= n; ++j) {
      const bool border = i == 0 || j == 0 || i == n || j == n;
      corners[i][j] = {s.min_x() + j * step + (border ? 0.0 : rng.uniform(-100, 100)),
                       s.min_y() + i * step + (border ? 0.0 : rng.uniform(-100, 100))};
    }
  std::vector<grid::MultiPolygon> parcels;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      parcels.push_back({{{corners[i][j], corners[i][j + 1], corners[i + 1][j + 1], corners[i + 1][j]}}});
  grid::Grid<std::uint16_t> ids(s, 0);
  for (auto _ : state) {
    std::int64_t cells = 0;
    for (std::size_t p = 0; p < parcels.size(); ++p)
      cells += grid::rasterize_polygon<std::uint16_t>(ids, parcels[p], static_cast<std::uint16_t>(p + 1));
    benchmark::DoNotOptimize(cells);
  }
  state.SetItemsProcessed(state.iterations() * ids.size());
}
BENCHMARK(BM_RasterizeParcels)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SuitabilityMapU16(benchmark::State& state) {
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  const grid::GridSpec s = bench_spec();
  model::DriverSet drivers(s);
  RngStream rng(4, "bench.drivers");
  std::vector<std::string> names;
  for (int d = 0; d < 6; ++d) {
    grid::Grid<float> v(s, 0.0f);
    for (std::int64_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(rng.uniform(0, 5000));
    names.push_back("d" + std::to_string(d));
    drivers.add(names.back(), std::move(v), "m");
  }
  const auto m = model::LogisticModel::from_raw_coefficients(names, {0.5, -1e-3, 2e-4, -3e-4, 1e-4, -5e-4, 1e-3});
  for (auto _ : state) {
    auto q = model::suitability_map_u16(drivers, m);
    benchmark::DoNotOptimize(q.data());
  }
  state.SetItemsProcessed(state.iterations() * s.cell_count());
}
BENCHMARK(BM_SuitabilityMapU16)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FitLogistic(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  RngStream rng(5, "bench.logistic");
  Eigen::MatrixXd x(n, 6);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    double eta = -0.5;
    for (int j = 0; j < 6; ++j) {
      x(i, j) = rng.normal();
      eta += (j % 2 ? 0.5 : -0.8) * x(i, j);
    }
    y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  const std::vector<std::string> names{"a", "b", "c", "d", "e", "f"};
  for (auto _ : state) {
    auto m = model::fit_logistic(x, y, names);
    benchmark::DoNotOptimize(m.coefficients.data());
  }
}
BENCHMARK(BM_FitLogistic)->Arg(20'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
