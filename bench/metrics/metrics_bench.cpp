// Throughput of the metrics hot loops on park-sized and larger maps (cells per second in the counters).
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/rng.hpp"
#include "metrics/expected_map.hpp"
#include "metrics/landscape.hpp"
#include "metrics/null_models.hpp"
#include "metrics/three_map.hpp"
#include "metrics/validation.hpp"

namespace {

using parksim::RngStream;
using parksim::metrics::CategoricalMapView;

// A patchy land-use map: cells copy a neighbour with probability 0.8, else draw one of 6 classes.
std::vector<std::uint8_t> patchy_map(int side, std::uint64_t seed) {
  RngStream rng(seed, "bench.metrics.map");
  std::vector<std::uint8_t> cells(static_cast<std::size_t>(side) * side);
  for (int r = 0; r < side; ++r) {
    for (int c = 0; c < side; ++c) {
      auto v = static_cast<std::uint8_t>(rng.uniform_int(6));
      if (rng.uniform() < 0.8) {
        if (c > 0 && rng.uniform() < 0.5) {
          v = cells[static_cast<std::size_t>(r) * side + c - 1];
        } else if (r > 0) {
          v = cells[static_cast<std::size_t>(r - 1) * side + c];
        }
      }
      cells[static_cast<std::size_t>(r) * side + c] = v;
    }
  }
  return cells;
}

std::vector<std::uint8_t> perturb(std::vector<std::uint8_t> cells, double share, std::uint64_t seed) {
  RngStream rng(seed, "bench.metrics.change");
  for (auto& v : cells) {
    if (rng.uniform() < share) v = static_cast<std::uint8_t>(rng.uniform_int(6));
  }
  return cells;
}

void BM_landscape_metrics(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const auto connectivity = state.range(1) == 8 ? parksim::metrics::Connectivity::eight
                                                : parksim::metrics::Connectivity::four;
  const std::vector<std::uint8_t> cells = patchy_map(side, 1);
  const CategoricalMapView map{cells, side, side, 30.0, 255};
  for (auto _ : state) {
    benchmark::DoNotOptimize(parksim::metrics::landscape_metrics(map, {connectivity}));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(cells.size()));
}
BENCHMARK(BM_landscape_metrics)->Args({1000, 8})->Args({4000, 8})->Args({4000, 4})->Unit(benchmark::kMillisecond);

// An initial map and two 10 % perturbations of it (observed, simulated), side x side cells of 30 m.
struct ThreeMaps {
  explicit ThreeMaps(int side_cells)
      : side(side_cells), initial(patchy_map(side, 1)), observed(perturb(initial, 0.1, 2)),
        simulated(perturb(initial, 0.1, 3)) {}
  CategoricalMapView view(const std::vector<std::uint8_t>& cells) const { return {cells, side, side, 30.0, 255}; }
  int side;
  std::vector<std::uint8_t> initial, observed, simulated;
};

void BM_validate_simulation(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const ThreeMaps maps(side);
  const CategoricalMapView i = maps.view(maps.initial), o = maps.view(maps.observed), s = maps.view(maps.simulated);
  for (auto _ : state) {
    benchmark::DoNotOptimize(parksim::metrics::validate_simulation(i, o, s));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(maps.initial.size()));
}
BENCHMARK(BM_validate_simulation)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

// The Pontius et al. (2011) Figure of Merit at factors 1, 2, 4, 8, 16 (range(1) = 0) or at one factor.
void BM_multi_resolution_fom(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const ThreeMaps maps(side);
  const CategoricalMapView i = maps.view(maps.initial), o = maps.view(maps.observed), s = maps.view(maps.simulated);
  const std::vector<int> factors =
      state.range(1) == 0 ? parksim::metrics::default_factors() : std::vector<int>{static_cast<int>(state.range(1))};
  for (auto _ : state) {
    benchmark::DoNotOptimize(parksim::metrics::multi_resolution_figure_of_merit(i, o, s, factors));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(maps.initial.size() * factors.size()));
}
BENCHMARK(BM_multi_resolution_fom)
    ->Args({2000, 0})
    ->Args({2000, 1})
    ->Args({2000, 2})
    ->Args({2000, 16})
    ->Unit(benchmark::kMillisecond);

// The proximity null: range(1) draws; two classes gain 5 % and 1 % of the map (distances computed once).
void BM_proximity_null(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const std::vector<std::uint8_t> start = patchy_map(side, 1);
  const CategoricalMapView v{start, side, side, 30.0, 255};
  const auto cells = static_cast<std::int64_t>(start.size());
  const std::vector<parksim::metrics::ClassDemand> demand = {{0, cells / 20}, {3, cells / 100}};
  parksim::metrics::ProximityParams params;
  params.draws = static_cast<int>(state.range(1));
  for (auto _ : state) {
    benchmark::DoNotOptimize(parksim::metrics::proximity_null(v, demand, {}, params));
  }
  state.SetItemsProcessed(state.iterations() * cells);
}
BENCHMARK(BM_proximity_null)->Args({2000, 1})->Args({2000, 10})->Unit(benchmark::kMillisecond);

// The expected map of a 100-run ensemble of 6 classes: counts drawn around the patchy map.
void BM_expected_map(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const int classes = 6, runs = 100;
  const std::vector<std::uint8_t> base = patchy_map(side, 1);
  const std::size_t n = base.size();
  std::vector<std::uint16_t> counts(n * classes, 0);
  RngStream rng(5, "bench.metrics.counts");
  std::vector<std::int64_t> quantity(classes, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const auto stay = static_cast<std::uint16_t>(60 + rng.uniform_int(41));
    const auto other = static_cast<std::size_t>(rng.uniform_int(classes));
    counts[base[k] * n + k] = static_cast<std::uint16_t>(counts[base[k] * n + k] + stay);
    counts[other * n + k] = static_cast<std::uint16_t>(counts[other * n + k] + runs - stay);
    ++quantity[base[k]];
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(parksim::metrics::expected_map(counts, classes, static_cast<std::int64_t>(n), quantity));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_expected_map)->Arg(2000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
