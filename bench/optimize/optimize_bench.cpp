// Benchmarks of the plan search (parksim::optimize) on the bundled park:
//  - BM_evaluate_park: one evaluation as the search makes it - the levers of scenarios/optimize_zones.toml set in a
//    copy of the scenario, its run spec, and pipeline::measure_study on a copy of the study loaded once (30 m corridor
//    grid, 2025-2035, 1 run, the three objectives and the constraint) with the drivers and suitability kept from
//    the scenario's own run (pipeline::SuitabilityCache) - on ONE thread. Lever settings cycle through
//    a fixed list so that evaluations differ. Counter evaluations_per_s (wall).
//  - BM_load_park: pipeline::load_study of the same scenario (what the search does once).
// The 2,000-evaluation figure of RESULTS.md is the whole command `parksim optimize` (see RESULTS.md).

#include <benchmark/benchmark.h>

#include <vector>

#include "optimize/optimize.hpp"
#include "pipeline/measure.hpp"
#include "scenario/scenario.hpp"

namespace {

using namespace parksim;

const scenario::Scenario& park() {
  static const scenario::Scenario s = [] {
    scenario::Scenario x = scenario::Scenario::load(PARKSIM_SOURCE_DIR "/scenarios/optimize_zones.toml");
    x.set("threads", std::int64_t{1});
    return x;
  }();
  return s;
}

void BM_load_park(benchmark::State& state) {
  for (auto _ : state) {
    pipeline::StudyInput input = pipeline::load_study(park());
    benchmark::DoNotOptimize(input.study.area.size());
  }
}
BENCHMARK(BM_load_park)->Unit(benchmark::kMillisecond);

void BM_evaluate_park(benchmark::State& state) {
  const optimize::OptimizeSpec spec = optimize::optimize_spec(park());
  const pipeline::StudyInput input = pipeline::load_study(park());
  const std::vector<std::vector<double>> settings{
      {0.4, 2025, 0.08}, {0.2, 2030, 0.12}, {0.6, 2027, 0.04}, {0.3, 2026, 0.10}, {0.5, 2029, 0.06}};
  pipeline::RunOptions options;
  options.runs = 1;
  options.threads = 1;
  // As the search: the drivers and suitability of the scenario's own run are kept (no lever changes them).
  pipeline::SuitabilityCache cache;
  pipeline::measure_study(input, pipeline::run_spec(park(), options), spec.indicators, {}, &cache);
  std::size_t i = 0;
  for (auto _ : state) {
    const scenario::Scenario s = optimize::scenario_with(park(), spec, settings[i++ % settings.size()]);
    pipeline::SuitabilityCache shared = cache;
    const pipeline::MeasuredRuns m =
        pipeline::measure_study(input, pipeline::run_spec(s, options), spec.indicators, {}, &shared);
    benchmark::DoNotOptimize(m.values.data());
  }
  state.counters["evaluations_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                           benchmark::Counter::kIsRate);
}
BENCHMARK(BM_evaluate_park)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
