#include "sim/params.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace parksim::sim {

namespace {

void require(bool ok, const char* name, const std::string& what) {
  if (!ok) {
    throw Error(ErrorCode::config, std::string("sim parameter ") + name + " " + what,
                Context{.key = std::string("sim.") + name});
  }
}

bool in_range(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

// Member by member, so the table does not depend on the order of ParamInfo's members.
ParamInfo param(std::string_view name, ParamKind kind, std::string_view unit, double default_value, double min,
                double max, std::string_view description) {
  ParamInfo p;
  p.name = name;
  p.kind = kind;
  p.unit = unit;
  p.default_value = default_value;
  p.min = min;
  p.max = max;
  p.description = description;
  return p;
}

}  // namespace

void Params::validate(int class_count) const {
  require(neighbourhood_window >= 1 && neighbourhood_window <= 15 && neighbourhood_window % 2 == 1,
          "neighbourhood_window", "must be odd and in [1, 15], got " + std::to_string(neighbourhood_window));
  require(in_range(neighbourhood_weight, 0.0, 1.0), "neighbourhood_weight", "must be in [0, 1]");
  require(class_neighbourhood_weight.empty() ||
              class_neighbourhood_weight.size() == static_cast<std::size_t>(class_count),
          "class_neighbourhood_weight",
          "must be empty or have one value per class (" + std::to_string(class_count) + ")");
  for (double w : class_neighbourhood_weight) {
    require(in_range(w, 0.0, 1.0), "class_neighbourhood_weight", "values must be in [0, 1]");
  }
  require(in_range(inertia_adaptation, 0.0, 10.0), "inertia_adaptation", "must be in [0, 10]");
  require(in_range(inertia_max, 1.0, 1000.0), "inertia_max", "must be in [1, 1000]");
  require(in_range(patch_share, 0.0, 1.0), "patch_share", "must be in [0, 1]");
  require(in_range(patch_size_mean_cells, 1.0, 1e6), "patch_size_mean_cells", "must be in [1, 1e6]");
  require(in_range(patch_size_sd_cells, 0.0, 1e6), "patch_size_sd_cells", "must be in [0, 1e6]");
  require(patch_sizes_cells.size() <= 100'000, "patch_sizes_cells", "must have at most 100000 values");
  for (int v : patch_sizes_cells) {
    require(v >= 1 && v <= 1'000'000, "patch_sizes_cells", "values must be in [1, 1e6], got " + std::to_string(v));
  }
  require(patch_seed_tries >= 1 && patch_seed_tries <= 1'000'000, "patch_seed_tries", "must be in [1, 1e6]");
  require(steps_per_year >= 1 && steps_per_year <= 100, "steps_per_year", "must be in [1, 100]");
  require(max_rounds >= 1 && max_rounds <= 1000, "max_rounds", "must be in [1, 1000]");
  require(in_range(selection_exponent, 1.0, 16.0), "selection_exponent", "must be in [1, 16]");
  require(in_range(candidate_margin, 1.0, 10.0), "candidate_margin", "must be in [1, 10]");
  require(std::isfinite(phase_full_share) && phase_full_share > 0.0 && phase_full_share <= 1.0, "phase_full_share",
          "must be in (0, 1]");
}

std::vector<ParamInfo> Params::info() {
  const Params d;
  return {
      param("neighbourhood_window", ParamKind::integer, "cells", static_cast<double>(d.neighbourhood_window), 1, 15,
            "side of the square neighbourhood window (odd)"),
      param("neighbourhood_weight", ParamKind::real, "", d.neighbourhood_weight, 0, 1,
            "weight w of the neighbourhood factor (1 - w) + w * share of the class in the window"),
      param("class_neighbourhood_weight", ParamKind::real, "", d.neighbourhood_weight, 0, 1,
            "optional list, one neighbourhood weight per class (overrides neighbourhood_weight)"),
      param("inertia_adaptation", ParamKind::real, "", d.inertia_adaptation, 0, 10,
            "growth of the competition multiplier of a class still short of its demand after a round"),
      param("inertia_max", ParamKind::real, "", d.inertia_max, 1, 1000,
            "upper bound of the adaptive competition multiplier"),
      param("patch_share", ParamKind::real, "", d.patch_share, 0, 1,
            "share of each yearly demand placed as new patches away from existing ones"),
      param("patch_size_mean_cells", ParamKind::real, "cells", d.patch_size_mean_cells, 1, 1e6,
            "mean of the lognormal patch-size distribution"),
      param("patch_size_sd_cells", ParamKind::real, "cells", d.patch_size_sd_cells, 0, 1e6,
            "standard deviation of the lognormal patch-size distribution"),
      param("patch_sizes_cells", ParamKind::integer, "cells", 1, 1, 1e6,
            "optional list of observed patch sizes; non-empty: patch sizes are drawn from it, not the lognormal"),
      param("patch_seed_tries", ParamKind::integer, "", static_cast<double>(d.patch_seed_tries), 1, 1e6,
            "random seed-cell draws per wanted patch"),
      param("selection_exponent", ParamKind::real, "", d.selection_exponent, 1, 16,
            "weights use suitability^selection_exponent: 1 = as given, larger = less random, most suitable first"),
      param("steps_per_year", ParamKind::integer, "", static_cast<double>(d.steps_per_year), 1, 100,
            "automaton steps per year; the neighbourhood is updated between steps"),
      param("max_rounds", ParamKind::integer, "", static_cast<double>(d.max_rounds), 1, 1000,
            "allocation rounds per year at most"),
      param("candidate_margin", ParamKind::real, "", d.candidate_margin, 1, 10,
            "oversampling factor of the candidate threshold of a round"),
      param("phase_full_share", ParamKind::real, "", d.phase_full_share, 0, 1,
            "share of built developable cells at which a phase counts as full"),
  };
}

}  // namespace parksim::sim
