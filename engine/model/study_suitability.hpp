#pragma once
// The suitability of a study's classes: logistic models per class, given as coefficients (a calibration), as a
// planner's explicit prior (a weight per driver, each with its source), or fitted on where classes APPEARED between
// the study's two latest maps; and the byte grids the simulation reads.
//
// One map and no history cannot be fitted: a fit on where a class OCCURS on one map learns the map's own pattern
// (distance to built land explains it almost perfectly) and drowns every driver a planner can change, so a what-if
// could not move the answer. Such a study uses a prior (mode "prior", the DEFAULT of mode "auto" on one map) or
// coefficients transferred from a calibrated series (mode "given").

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "grid/grid.hpp"
#include "model/drivers.hpp"
#include "model/logistic.hpp"
#include "model/suitability.hpp"
#include "plan/plan.hpp"
#include "study/study.hpp"

namespace parksim::model {

/// How a run gets its suitability models. DEFAULTs as in the scenario schema.
struct SuitabilitySpec {
  /// "auto" (DEFAULT: fit with two or more maps, else prior), "fit" (transitions between the two latest maps),
  /// "prior" (the weights below) or "given" (coefficients or model files per class)
  std::string mode = "auto";
  std::int64_t sample_cells = 5000;   ///< fit: training cells per group
  double l2_lambda = 1e-4;            ///< fit: ridge penalty
  std::uint64_t seed = 1;             ///< fit: seed of the training sample
  /// given: per class key, the intercept and raw-unit coefficients per driver (driver order as listed).
  struct Given {
    std::string class_key;
    double intercept = 0.0;
    std::vector<std::pair<std::string, double>> coefficients;  ///< driver or hinge term "driver>knot" -> raw coefficient
    std::filesystem::path model_file;  ///< boosted trees (XGBoost JSON) instead of coefficients; "" = none
    Context where;
  };
  std::vector<Given> given;
  /// prior: one weight per driver, per standard deviation of the driver over the study area at the start year, the
  /// same for every built class: logit p = prior_intercept + sum_d weight_d x (x_d - mean_d) / sd_d. `source` says
  /// where the weight comes from, or starts with "ASSUMPTION".
  struct Prior {
    std::string driver;
    double weight = 0.0;
    std::string source;
    Context where;
  };
  std::vector<Prior> prior;
  double prior_intercept = 0.0;  ///< prior: logit at the drivers' means. DEFAULT 0 (p = 0.5)
  Context where;  ///< suitability.mode, for messages
};

/// One model per class of the study (nullopt = uniform suitability).
struct SuitabilityModels {
  std::vector<std::optional<PotentialModel>> models;
  /// Every driver the models read (hinge terms resolved to their drivers), without repeats, in first-use order.
  std::vector<std::string> drivers() const;
  /// Every term the models read (drivers and hinge terms).
  std::vector<std::string> terms() const;
};

/// Builds the models. mode given: Error(config, given's where) naming an unknown class or a driver not in
/// `drivers`; classes that may grow without coefficients get an info Problem (uniform). mode prior: the prior's
/// model for every built class; Error(config) naming a driver not in `drivers` or a weight without a source; no
/// weight at all is an info Problem (uniform). mode fit: every built class that appeared between the study's two
/// latest maps, balanced sample of the cells that became it against those that could have and did not; fewer than
/// two maps is Error(config) saying so; an unfittable class is a warning Problem and uniform.
SuitabilityModels build_suitability(const SuitabilitySpec& spec, const study::Study& study, const DriverSet& drivers,
                                    ProblemReporter& problems);

/// Multiplier grid of a priority bonus near the plan's corridor bases of one tier: 1 + bonus x max(0, 1 - d /
/// radius_m), d = distance to the nearest base centre. Empty grid when tier is empty, bonus <= 0 or no base has the
/// tier.
grid::Grid<float> priority_factor(const plan::Plan& plan, const grid::GridSpec& spec, const std::string& tier,
                                  double bonus, double radius_m);

/// The byte grids the simulation reads, one per class (empty grid = uniform): round(p x factor x 255) clamped to
/// 1..255 inside the study (suitability orders land, it never forbids it), 0 outside. `factor` may be empty. The
/// models' hinge terms are added to `drivers` first.
std::vector<grid::Grid<std::uint8_t>> suitability_grids(const SuitabilityModels& models, DriverSet& drivers,
                                                        const grid::Grid<std::uint8_t>& area,
                                                        const grid::Grid<float>& factor);

}  // namespace parksim::model
