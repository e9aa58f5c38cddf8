#pragma once
// A scenario read into the parameter structs of the modules that own them (study, model, sim, alloc): the one place
// where scenario keys meet module parameters. Each struct carries the file:line:key of what it was read from, so
// later stages name the scenario line a finding contradicts.
//
// Pure functions of the effective scenario; they check what the schema cannot (a driver without a kind, a
// coefficient table that is not a number) and throw Error(config) naming the key.

#include <cstdint>
#include <vector>

#include "alloc/plan_allocation.hpp"
#include "model/study_demand.hpp"
#include "model/study_suitability.hpp"
#include "scenario/scenario.hpp"
#include "sim/params.hpp"
#include "study/drivers.hpp"
#include "study/filter.hpp"
#include "study/study.hpp"

namespace parksim::scenario {

/// [study], [classes], [grid], years.start: the study's inputs (not the plan, which the pipeline loads).
study::StudySpec study_spec(const Scenario& s);
/// [drivers.<name>], in name order.
std::vector<study::DriverSpec> driver_specs(const Scenario& s);
/// [suitability] (the seed of the fit's sample is the run's).
model::SuitabilitySpec suitability_spec(const Scenario& s, std::uint64_t seed);
/// [demand].
model::DemandSpec demand_spec(const Scenario& s);
/// [sim].
sim::Params sim_params(const Scenario& s);
/// [alloc].
alloc::PlanAllocationSpec allocation_spec(const Scenario& s);

/// The [[infrastructure]] entries.
std::vector<study::Opening> infrastructure(const Scenario& s);

}  // namespace parksim::scenario
