#pragma once
// The suitability of a study's classes: logistic models per class, given as coefficients (a calibration, or a
// planner's explicit weights) or fitted on the study's start map, and the byte grids the simulation reads.
//
// Fitting on one map (mode "fit") learns where a class OCCURS (FLUS style): the land-use map's own pattern. It is
// kept for the park's scenarios; calibrate/ fits where classes APPEARED between two maps.

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
  std::string mode = "fit";           ///< "fit" (occurrence on the start map) or "given"
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
/// `drivers`; classes that may grow without coefficients get an info Problem (uniform). mode fit: every built class
/// with cells on the start map, balanced sample of occurrence against the other study cells; an unfittable class is
/// a warning Problem and uniform.
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
