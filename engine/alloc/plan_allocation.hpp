#pragma once
// The allocation problem of a plan: which (zone, land use) each parcel of the expansion gets, scored by the
// simulated suitability or development probability, under the plan's targets (health-industry land, zone and phase
// areas), with shared-boundary bonuses between neighbouring parcels of one zone - set up from a plan and a study and
// solved by allocate().
//
// Options: every (new zone, land use) pair. New zones: zones with a parcel in the expansion (every phase but 1-2, and
// parcels in no phase). Land uses: the health-industry codes and the built codes in use by built or
// under-construction parcels. Parcels of the expansion whose land use is developable are free; built and
// under-construction parcels keep their use. A parcel may be given the zones with expansion parcels in its own phase
// only: the allocation may move a phase's parcels between that phase's zones, but never gives a zone away from the
// phases (its parcels in no phase, such as Beauty & Health at Xiaotangshan) to a phase's parcel, or the reverse. (The
// parcels of a phase without zoned parcels may be given any new zone.)

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "alloc/allocation.hpp"
#include "core/error.hpp"
#include "core/problem.hpp"
#include "grid/grid.hpp"
#include "plan/plan.hpp"
#include "study/classes.hpp"

namespace parksim::alloc {

/// What a scenario asks of the allocation. DEFAULTs as in the scenario schema.
struct PlanAllocationSpec {
  bool score_by_simulation = false;     ///< score = the parcel's development probability (else mean suitability)
  double min_health_industry_mu = 3000.0;  ///< 0 = no health-industry target
  struct AreaTarget {
    std::string id;  ///< zone or phase id
    double km2 = 0.0;
    Context where;
  };
  std::vector<AreaTarget> zone_min_km2, zone_max_km2, phase_max_km2;
  Params params;
};

struct PlanAllocation {
  AllocationResult result;
  std::vector<Option> options;  ///< the problem's options (result.option indexes them)
  std::vector<double> score;    ///< score of the chosen option per parcel (0 when none)
  std::optional<double> health_industry_mu;  ///< allocated health-industry land, when there is an assignment
  std::vector<std::string> diagnosis;        ///< empty unless nothing could be allocated or targets conflict
  bool nothing_to_allocate = false;          ///< the plan has no parcel in an expansion zone
};

/// Zones with a parcel in the expansion: the zones the allocation gives parcels to.
std::set<std::string> expansion_zones(const plan::Plan& plan);

/// The allocation's targets from `spec` (health-industry land, zone and phase areas). Throws Error(config, target's
/// where) for a target naming a zone without expansion parcels or an unknown phase - the checks allocate_plan makes.
std::vector<Target> plan_targets(const PlanAllocationSpec& spec, const plan::Plan& plan);

/// Sets up and solves the allocation. `cells` holds each parcel's cells (parallel to plan.parcels), `suitability`
/// one byte grid per class (empty = uniform), `development_probability` one value per parcel. Throws
/// Error(config, target's where) for a target naming a zone without expansion parcels or an unknown phase.
PlanAllocation allocate_plan(const PlanAllocationSpec& spec, const plan::Plan& plan, const study::ClassTable& classes,
                             const std::vector<std::vector<std::int64_t>>& cells, const grid::GridSpec& grid_spec,
                             const std::vector<grid::Grid<std::uint8_t>>& suitability,
                             const std::vector<double>& development_probability, ProblemReporter& problems);

}  // namespace parksim::alloc
