// Benchmarks of parksim::sim on a synthetic park-like grid:
//  - BM_simulate_10_years/2000: the full yearly loop (patches + automaton rounds), 8 classes, 10 years, ONE thread
//    (a oneTBB arena of 1); counter cell_years_per_s = rows x cols x years per second of wall time.
//  - BM_peak_memory/2000 (and /12000 with PARKSIM_BENCH_LARGE=1): one run, then the process's peak RSS (VmHWM) per
//    cell, inputs included. VmHWM is per process: run each memory benchmark alone (--benchmark_filter).
// Synthetic layout: farmland (donor), forest (donor, costly), water (fixed), five growing classes (residential,
// industry/pharma, R&D, commercial, green) in clusters; a river and protected ridges as constraints (~12%); three
// phases opening 2024/2027/2030 over 60% of the grid; four zones with their own demand; +1.5% of the grid a year.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <tbb/task_arena.h>

#include "sim/simulation.hpp"

namespace {

using parksim::sim::no_target;
using parksim::sim::SimulationInput;
using Grid8 = parksim::grid::Grid<std::uint8_t>;

std::uint32_t hash32(std::uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

// Smooth value noise in [0, 1): bilinear interpolation of hashed lattice values every `scale` cells.
float noise(int r, int c, int scale, std::uint32_t salt) {
  const int r0 = r / scale;
  const int c0 = c / scale;
  const float fr = static_cast<float>(r % scale) / static_cast<float>(scale);
  const float fc = static_cast<float>(c % scale) / static_cast<float>(scale);
  auto v = [&](int rr, int cc) {
    return static_cast<float>(hash32(static_cast<std::uint32_t>(rr * 73856093) ^ static_cast<std::uint32_t>(cc * 19349663) ^ salt) & 0xFFFF) /
           65536.0f;
  };
  const float top = v(r0, c0) * (1 - fc) + v(r0, c0 + 1) * fc;
  const float bottom = v(r0 + 1, c0) * (1 - fc) + v(r0 + 1, c0 + 1) * fc;
  return top * (1 - fr) + bottom * fr;
}

SimulationInput synthetic(int n, int years) {
  constexpr int k = 8;
  const parksim::grid::GridSpec spec{.origin_x = 500000.0, .origin_y = 4460000.0, .cell_size_m = 10.0, .cols = n,
                                     .rows = n, .crs = "EPSG:4548"};
  SimulationInput in;
  in.class_count = k;
  in.class_names = {"farmland", "forest", "water", "residential", "industry", "rnd", "commercial", "green"};
  in.built_classes = {false, false, false, true, true, true, true, true};
  in.initial_classes = Grid8(spec, 0);
  in.constraint = Grid8(spec, 0);
  in.phase = Grid8(spec, parksim::sim::no_phase);
  in.zone = Grid8(spec, 0);
  in.zone_count = 4;
  in.demand_by_zone = true;
  in.phase_opening_year = {2024, 2027, 2030};
  const int scale = std::max(8, n / 40);
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < n; ++c) {
      const float relief = noise(r, c, scale * 2, 1);
      const float urban = noise(r, c, scale, 2);
      const float mix = noise(r, c, scale / 2, 3);
      std::uint8_t cls = 0;
      const float river = std::fabs(static_cast<float>(r) - 0.5f * n - 0.08f * n * std::sin(6.0f * c / n));
      if (river < 0.006f * n) {
        cls = 2;
      } else if (relief > 0.72f) {
        cls = 1;
      } else if (urban > 0.78f) {
        cls = static_cast<std::uint8_t>(3 + static_cast<int>(mix * 5.0f) % 5);
      }
      in.initial_classes(r, c) = cls;
      in.constraint(r, c) = (cls == 2 || relief > 0.82f) ? 1 : 0;
      const float dr = static_cast<float>(r) / n - 0.5f;
      const float dc = static_cast<float>(c) / n - 0.5f;
      const float d = std::sqrt(dr * dr + dc * dc);
      in.phase(r, c) = d < 0.2f ? 0 : (d < 0.3f ? 1 : (d < 0.44f ? 2 : parksim::sim::no_phase));
      in.zone(r, c) = static_cast<std::uint8_t>((r < n / 2 ? 0 : 2) + (c < n / 2 ? 0 : 1));
    }
  }
  in.suitability.resize(k);
  for (int cls = 3; cls < k; ++cls) {
    Grid8 s(spec, 0);
    for (int r = 0; r < n; ++r) {
      for (int c = 0; c < n; ++c) {
        const float v = 0.6f * noise(r, c, scale, 2) + 0.4f * noise(r, c, scale / 2, 10 + static_cast<std::uint32_t>(cls));
        s(r, c) = static_cast<std::uint8_t>(std::min(255.0f, v * 255.0f));
      }
    }
    in.suitability[static_cast<std::size_t>(cls)] = std::move(s);
  }
  in.conversion.assign(k * k, parksim::sim::ConversionRule{.allowed = false});
  for (int to = 3; to < k; ++to) {
    in.conversion[static_cast<std::size_t>(0 * k + to)] = {true, 1.0};
    in.conversion[static_cast<std::size_t>(1 * k + to)] = {true, 0.3};
  }
  std::vector<std::int64_t> base(static_cast<std::size_t>(4 * k), 0);
  for (std::int64_t i = 0; i < in.initial_classes.size(); ++i) {
    ++base[static_cast<std::size_t>(in.zone[i] * k + in.initial_classes[i])];
  }
  const std::int64_t per_zone_class_year = static_cast<std::int64_t>(n) * n / 4 * 3 / 1000;  // 0.3% of a zone
  in.start_year = 2024;
  for (int y = 1; y <= years; ++y) {
    parksim::sim::YearDemand d{.year = 2024 + y, .cells = std::vector<std::int64_t>(static_cast<std::size_t>(4 * k))};
    for (int z = 0; z < 4; ++z) {
      for (int cls = 0; cls < k; ++cls) {
        const auto b = static_cast<std::size_t>(z * k + cls);
        d.cells[b] = cls < 2 ? no_target : (cls == 2 ? base[b] : base[b] + y * per_zone_class_year);
      }
    }
    in.demand.push_back(std::move(d));
  }
  return in;
}

long status_kb(const char* field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const std::size_t len = std::strlen(field);
  while (std::getline(f, line)) {
    if (line.compare(0, len, field) == 0) return std::atol(line.c_str() + len + 1);
  }
  return -1;
}

void BM_simulate_10_years(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int years = 10;
  const SimulationInput in = synthetic(n, years);
  const parksim::sim::Params params;
  tbb::task_arena one(1);
  std::uint64_t seed = 1;
  std::int64_t rounds = 0;
  std::int64_t converted = 0;
  std::int64_t unmet = 0;
  for (auto _ : state) {
    parksim::sim::SimulationResult res;
    one.execute([&] { res = parksim::sim::simulate(in, params, seed++); });
    rounds = 0;
    converted = 0;
    unmet = 0;
    for (const auto& y : res.years) {
      rounds += y.rounds;
      converted += y.converted_cells;
      for (auto u : y.unmet_cells) unmet += u;
    }
    benchmark::DoNotOptimize(res.final_classes.data());
  }
  const double cell_years = static_cast<double>(n) * n * years;
  state.counters["cell_years_per_s"] =
      benchmark::Counter(cell_years * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["grid_passes"] = static_cast<double>(rounds);
  state.counters["converted_cells"] = static_cast<double>(converted);
  state.counters["unmet_cells"] = static_cast<double>(unmet);
}
BENCHMARK(BM_simulate_10_years)->Arg(2000)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();

void BM_peak_memory(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const double cells = static_cast<double>(n) * n;
  double input_kb = 0;
  for (auto _ : state) {
    const long before_kb = status_kb("VmRSS:");
    SimulationInput in = synthetic(n, 10);
    input_kb = static_cast<double>(status_kb("VmRSS:") - before_kb);
    tbb::task_arena one(1);
    parksim::sim::SimulationResult res;
    one.execute([&] { res = parksim::sim::simulate(in, parksim::sim::Params{}, 1); });
    benchmark::DoNotOptimize(res.final_classes.data());
  }
  state.counters["peak_rss_bytes_per_cell"] = static_cast<double>(status_kb("VmHWM:")) * 1024.0 / cells;
  state.counters["input_bytes_per_cell"] = input_kb * 1024.0 / cells;
  state.counters["peak_rss_MB"] = static_cast<double>(status_kb("VmHWM:")) / 1024.0;
}
BENCHMARK(BM_peak_memory)->Arg(2000)->Iterations(1)->Unit(benchmark::kMillisecond);

// The 12 000 x 12 000 run (144 M cells, ~2 GB) only when asked: PARKSIM_BENCH_LARGE=1.
const bool large_registered = [] {
  if (const char* v = std::getenv("PARKSIM_BENCH_LARGE"); v && std::string(v) == "1") {
    benchmark::RegisterBenchmark("BM_peak_memory/12000", [](benchmark::State& s) { BM_peak_memory(s); })
        ->Arg(12000)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
