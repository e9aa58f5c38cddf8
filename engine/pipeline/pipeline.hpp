#pragma once
// Runs one scenario end to end: plan -> grid -> drivers and suitability -> demand -> simulation (or ensemble) ->
// parcel results -> allocation -> plan-compliance indicators, into a report::RunResult (the contract every writer
// reads). The CLI's `parksim run` and the Python Result call this and nothing else.
//
// What each stage reads from the scenario is documented key by key in docs/scenario-format.md.
// Determinism: the result depends only on the scenario, its input files and the seed — never on the thread count
// (the simulation and the ensemble are deterministic per seed; the allocation runs CBC on one thread; a search cut
// short by alloc.time_limit_s is the one exception, and the report shows its gap).

#include <cstdint>
#include <optional>

#include "core/progress.hpp"
#include "report/run_result.hpp"
#include "scenario/scenario.hpp"

namespace parksim::pipeline {

/// Command-line style overrides of the scenario and the run's progress handle. DEFAULTs: the scenario's values.
struct RunOptions {
  std::optional<std::uint64_t> seed;  ///< overrides `seed`
  std::optional<int> runs;            ///< overrides `runs` (>= 1)
  std::optional<int> threads;         ///< overrides `threads` (0 = all cores)
  Progress progress;                  ///< reports stages; cancellation throws Error(cancelled)
};

/// Runs `scenario`. Expected findings (repaired geometry, land without land-use data, unmet demand, an infeasible
/// allocation target) are Problems in RunResult::problems, sorted — never exceptions.
/// Throws Error: config (a scenario value the data contradicts, e.g. an unknown zone in demand.zone_share, shares
/// that do not sum to 1, method trend without demand.previous_map; Context names the key and file:line), input /
/// data / crs (from loading the plan), cancelled.
report::RunResult run_scenario(const scenario::Scenario& scenario, const RunOptions& options = {});

}  // namespace parksim::pipeline
