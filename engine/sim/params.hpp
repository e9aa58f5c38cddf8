#pragma once
// Parameters of the yearly land-use simulation (parksim::sim). Every member documents its DEFAULT; info() publishes
// the same table as data (name, kind, unit, default, range, description) for the scenario loader, the CLI's
// documentation, the report and Python. Plain value type: copyable, thread-safe to read.

#include <vector>

#include "core/params.hpp"

namespace parksim::sim {

struct Params {
  /// Side of the square neighbourhood window, cells (odd, 1..15; 1 = no neighbourhood effect). DEFAULT 3.
  int neighbourhood_window = 3;
  /// Weight w of the neighbourhood effect for every class, in [0, 1]: the neighbourhood factor of class k at a
  /// cell is max(1e-4, (1 - w) + w * share), where share is the fraction of the other cells of the window (clipped
  /// at the grid edge) that are of class k. w = 1 is pure edge growth (FLUS); the 1e-4 floor keeps cells without a
  /// neighbour of the class reachable when nothing else is left. DEFAULT 0.8.
  double neighbourhood_weight = 0.8;
  /// Optional per-class override of neighbourhood_weight (empty: use neighbourhood_weight for every class;
  /// otherwise one value per class, same range).
  std::vector<double> class_neighbourhood_weight;

  /// FLUS-style adaptive inertia: after every allocation round, a demand bucket (zone x class) that is still short
  /// multiplies its competition multiplier by (1 + inertia_adaptation * remaining / yearly demand), so classes far
  /// from their demand win more of the cells several classes compete for. Buckets that meet their demand relax the
  /// multiplier halfway back to 1 at the end of the year. 0 disables it. DEFAULT 0.5.
  double inertia_adaptation = 0.5;
  /// Upper bound of the competition multiplier, >= 1. DEFAULT 8.
  double inertia_max = 8.0;

  /// Share of each yearly demand placed as NEW patches (PLUS/FUTURES style: a seed away from existing cells of the
  /// class, grown to a drawn size), in [0, 1]; the rest grows through the cellular automaton. A drawn size is never
  /// cut to the year's patch budget (that would bias the sizes small): a patch larger than the budget takes the rest
  /// from the automaton's share, and the excess is taken off the next year's patch budget. DEFAULT 0.1.
  double patch_share = 0.1;
  /// Mean and standard deviation of the lognormal patch-size distribution, cells. DEFAULTs 12 and 8.
  double patch_size_mean_cells = 12.0;
  double patch_size_sd_cells = 8.0;
  /// Observed patch sizes, cells (each in [1, 1e6], at most 100,000 values; e.g. the new patches the calibration
  /// measured on its fitting interval, metrics/growth_patches.hpp). Non-empty: a new patch's size is drawn from
  /// these values (uniformly, with replacement) instead of the lognormal. DEFAULT empty.
  std::vector<int> patch_sizes_cells;
  /// Random seed-cell draws allowed per wanted patch before the rest of the patch share goes to the automaton.
  /// DEFAULT 200.
  int patch_seed_tries = 200;

  /// How closely allocation follows suitability: the automaton weighs a cell by suitability^selection_exponent
  /// (x neighbourhood x inertia x conversion). 1 = as given; larger values make the draw less random, taking the most
  /// suitable cells first (the stochastic perturbation of constrained cellular automata, inverted: White & Engelen
  /// 1993). In [1, 16]. DEFAULT 1.
  double selection_exponent = 1.0;

  /// Steps per year: the automaton allocates 1/steps of the year's demand per step and updates the neighbourhood
  /// between steps, so growth can spread from the edges it created earlier in the year (FLUS iterates in the same
  /// spirit). Each step costs at least one pass over the grid. 1..100, DEFAULT 1.
  int steps_per_year = 1;
  /// Allocation rounds per year at most (each round is one pass over the grid). The last two rounds take every
  /// candidate cell, so demand is met whenever land allows and max_rounds >= 3. DEFAULT 20.
  int max_rounds = 20;
  /// Oversampling factor of the candidate threshold of a round (>= 1): larger values need fewer rounds but keep
  /// more candidates in memory. DEFAULT 1.3.
  double candidate_margin = 1.3;

  /// A phase counts as full in the first year in which at least this share of its developable cells (not
  /// constrained, not nodata) are of a built class. In (0, 1]. DEFAULT 0.95.
  double phase_full_share = 0.95;

  /// Throws Error(config, key "sim.<name>") naming the first parameter out of range.
  void validate(int class_count) const;

  /// The table of parameters, in declaration order, with the DEFAULTs above.
  static std::vector<ParamInfo> info();
};

}  // namespace parksim::sim
