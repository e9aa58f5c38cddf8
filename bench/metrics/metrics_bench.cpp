// Throughput of the metrics hot loops on park-sized and larger maps (cells per second in the counters).
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/rng.hpp"
#include "metrics/landscape.hpp"
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

void BM_validate_simulation(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  const std::vector<std::uint8_t> initial = patchy_map(side, 1);
  const std::vector<std::uint8_t> observed = perturb(initial, 0.1, 2);
  const std::vector<std::uint8_t> simulated = perturb(initial, 0.1, 3);
  const CategoricalMapView i{initial, side, side, 30.0, 255}, o{observed, side, side, 30.0, 255},
      s{simulated, side, side, 30.0, 255};
  for (auto _ : state) {
    benchmark::DoNotOptimize(parksim::metrics::validate_simulation(i, o, s));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(initial.size()));
}
BENCHMARK(BM_validate_simulation)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
