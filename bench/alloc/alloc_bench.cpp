// Solve time, proven gap and objective of the allocation MILP on synthetic instances: a rows × cols grid of
// parcels (4-neighbour adjacency), 8 options (5 health-industry options in 3 zones, housing, school,
// manufacturing), spatially correlated suitability, 8 % built parcels kept, manufacturing/sensitive
// incompatibility, neighbour bonus, a binding health-industry target (55 % of the area while housing
// scores higher on average), a zone maximum and a phase capacity. Each size is solved once
// (Iterations(1)): the figure of interest is one solve, not a mean of many.

#include <cmath>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "alloc/allocation.hpp"
#include "core/rng.hpp"
#include "core/units.hpp"

namespace {

using namespace parksim;
using namespace parksim::alloc;

AllocationProblem park_grid(int rows, int cols, std::uint64_t seed) {
  AllocationProblem p;
  p.options = {
      {"frontier_tech/cell_gene", "frontier_tech", "0802", true, false, false},
      {"frontier_tech/digital_medicine", "frontier_tech", "0802", true, false, false},
      {"medical_device/bci", "medical_device", "0802", true, false, false},
      {"medical_device/implants", "medical_device", "0802", true, false, false},
      {"beauty_health/xiaotangshan", "beauty_health", "0802", true, false, false},
      {"housing/0701", "living", "0701", false, false, true},
      {"school/0803", "living", "0803", false, false, true},
      {"industry/0601", "industry", "0601", false, true, false},
  };
  const std::size_t n_options = p.options.size();
  RngStream rng(seed, "alloc.bench.instance");
  // Smooth fields: per option, two random plane waves, so neighbouring parcels score alike.
  std::vector<std::array<double, 6>> wave(n_options);
  for (auto& w : wave) {
    for (double& v : w) v = rng.uniform();
  }
  const std::vector<double> mean_shift = {0.0, -0.02, -0.01, -0.03, -0.05, 0.25, 0.05, 0.10};
  double total_m2 = 0.0;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      ParcelIn pc;
      pc.id = "P" + std::to_string(r * cols + c);
      pc.area_m2 = rng.uniform(2'000.0, 10'000.0);
      pc.phase = c < cols / 3 ? "1" : c < 2 * cols / 3 ? "2" : "3";
      pc.far = rng.uniform(1.0, 2.5);
      for (std::size_t u = 0; u < n_options; ++u) {
        const auto& w = wave[u];
        const double field = 0.5 + 0.25 * std::sin(0.15 * (w[0] + 0.5) * r + 6.28 * w[1]) +
                             0.15 * std::sin(0.12 * (w[2] + 0.5) * c + 6.28 * w[3]);
        const double s = std::clamp(field + mean_shift[u] + 0.15 * (rng.uniform() - 0.5), 0.0, 1.0);
        pc.score.push_back(rng.uniform() < 0.1 ? std::nan("") : s);
      }
      if (rng.uniform() < 0.08) {
        pc.built = true;
        pc.current_option = static_cast<int>(rng.uniform_int(n_options));
      }
      total_m2 += pc.area_m2;
      p.parcels.push_back(std::move(pc));
    }
  }
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const int i = r * cols + c;
      if (c + 1 < cols) p.adjacency.push_back({i, i + 1, rng.uniform(30.0, 100.0)});
      if (r + 1 < rows) p.adjacency.push_back({i, i + cols, rng.uniform(30.0, 100.0)});
    }
  }
  p.targets.push_back(health_industry_target(units::m2_to_mu(0.55 * total_m2)));
  p.targets.push_back({"beauty_health_max", TargetKind::zone_max_area_m2, "beauty_health", "", 0.15 * total_m2});
  p.targets.push_back({"phase3_capacity", TargetKind::phase_max_developed_m2, "", "3", 0.30 * total_m2});
  p.params.time_limit_s = 30.0;
  p.params.relative_gap = 0.01;
  return p;
}

void BM_allocate(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const int cols = static_cast<int>(state.range(1));
  auto problem = park_grid(rows, cols, 2025);
  problem.params.time_limit_s = static_cast<double>(state.range(2));
  AllocationResult result;
  for (auto _ : state) {
    result = allocate(problem);
  }
  state.counters["parcels"] = static_cast<double>(problem.parcels.size());
  state.counters["solve_s"] = result.solve_seconds;
  state.counters["gap_pct"] = result.gap_pct;
  state.counters["objective_value"] = result.objective;
  state.counters["bound"] = result.best_bound;
  state.counters["lp_bound"] = result.lp_relaxation_objective;
  state.counters["optimal"] = result.status == AllocationStatus::optimal ? 1.0 : 0.0;
  state.counters["health_price_per_mu"] = result.constraints.empty() ? 0.0 : result.constraints[0].shadow_price;
  state.counters["health_binding"] = !result.constraints.empty() && result.constraints[0].binding ? 1.0 : 0.0;
  state.SetLabel(std::string(to_string(result.status)));
}

// Arguments: grid rows, grid columns, time limit in s (the target is 10k parcels within 1 % in 30 s).
BENCHMARK(BM_allocate)
    ->Args({25, 40, 30})
    ->Args({50, 100, 30})
    ->Args({100, 100, 30})
    ->Args({100, 100, 600})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
