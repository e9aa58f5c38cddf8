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
  require(patch_seed_tries >= 1 && patch_seed_tries <= 1'000'000, "patch_seed_tries", "must be in [1, 1e6]");
  require(steps_per_year >= 1 && steps_per_year <= 100, "steps_per_year", "must be in [1, 100]");
  require(max_rounds >= 1 && max_rounds <= 1000, "max_rounds", "must be in [1, 1000]");
  require(in_range(candidate_margin, 1.0, 10.0), "candidate_margin", "must be in [1, 10]");
  require(std::isfinite(phase_full_share) && phase_full_share > 0.0 && phase_full_share <= 1.0, "phase_full_share",
          "must be in (0, 1]");
}

std::vector<ParamInfo> Params::info() {
  const Params d;
  return {
      {.name = "neighbourhood_window", .kind = ParamKind::integer, .unit = "cells",
       .default_value = static_cast<double>(d.neighbourhood_window), .min = 1, .max = 15,
       .description = "side of the square neighbourhood window (odd)"},
      {.name = "neighbourhood_weight", .kind = ParamKind::real, .unit = "",
       .default_value = d.neighbourhood_weight, .min = 0, .max = 1,
       .description = "weight w of the neighbourhood factor (1 - w) + w * share of the class in the window"},
      {.name = "class_neighbourhood_weight", .kind = ParamKind::real, .unit = "",
       .default_value = d.neighbourhood_weight, .min = 0, .max = 1,
       .description = "optional list, one neighbourhood weight per class (overrides neighbourhood_weight)"},
      {.name = "inertia_adaptation", .kind = ParamKind::real, .unit = "", .default_value = d.inertia_adaptation,
       .min = 0, .max = 10,
       .description = "growth of the competition multiplier of a class still short of its demand after a round"},
      {.name = "inertia_max", .kind = ParamKind::real, .unit = "", .default_value = d.inertia_max, .min = 1,
       .max = 1000, .description = "upper bound of the adaptive competition multiplier"},
      {.name = "patch_share", .kind = ParamKind::real, .unit = "", .default_value = d.patch_share, .min = 0,
       .max = 1, .description = "share of each yearly demand placed as new patches away from existing ones"},
      {.name = "patch_size_mean_cells", .kind = ParamKind::real, .unit = "cells",
       .default_value = d.patch_size_mean_cells, .min = 1, .max = 1e6,
       .description = "mean of the lognormal patch-size distribution"},
      {.name = "patch_size_sd_cells", .kind = ParamKind::real, .unit = "cells",
       .default_value = d.patch_size_sd_cells, .min = 0, .max = 1e6,
       .description = "standard deviation of the lognormal patch-size distribution"},
      {.name = "patch_seed_tries", .kind = ParamKind::integer, .unit = "", .default_value = static_cast<double>(d.patch_seed_tries),
       .min = 1, .max = 1e6, .description = "random seed-cell draws per wanted patch"},
      {.name = "steps_per_year", .kind = ParamKind::integer, .unit = "", .default_value = static_cast<double>(d.steps_per_year),
       .min = 1, .max = 100, .description = "automaton steps per year; the neighbourhood is updated between steps"},
      {.name = "max_rounds", .kind = ParamKind::integer, .unit = "", .default_value = static_cast<double>(d.max_rounds), .min = 1,
       .max = 1000, .description = "allocation rounds per year at most"},
      {.name = "candidate_margin", .kind = ParamKind::real, .unit = "", .default_value = d.candidate_margin,
       .min = 1, .max = 10, .description = "oversampling factor of the candidate threshold of a round"},
      {.name = "phase_full_share", .kind = ParamKind::real, .unit = "", .default_value = d.phase_full_share,
       .min = 0, .max = 1, .description = "share of built developable cells at which a phase counts as full"},
  };
}

}  // namespace parksim::sim
