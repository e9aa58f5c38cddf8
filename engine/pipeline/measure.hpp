#pragma once
// Indicators measured on a study's runs without writing anything: the evaluation of the plan search (optimize/).
// Implemented in pipeline.cpp next to run_study, on the same preparation.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "pipeline/pipeline.hpp"

namespace parksim::pipeline {

/// An indicator of a run asked for by its id in indicators.csv (report::find_indicator) and year: 0 = the run's end
/// year for an indicator measured by year, nothing for one of the run as a whole. `where` names the asking key.
struct IndicatorQuery {
  std::string id;
  int year = 0;
  Context where;
};

/// What measure_study measured: per query, one value per run.
struct MeasuredRuns {
  /// [query][run]: the indicator on each run of the ensemble (spec.runs values) for the indicators measured on every
  /// run's maps (the areas of answer.indicator and health_industry_delivered_year; NaN for a run that never delivers);
  /// one value, that of `parksim run`'s indicators.csv (run 0), for an indicator of the run as a whole.
  std::vector<std::vector<double>> values;
  std::vector<Problem> problems;  ///< findings of the preparation and the runs, sorted
  /// With measure_study's `keep_developed`: per cell the share of the ensemble's runs in which it ends (the run's end
  /// year) in a built class, NaN outside the study area. Empty otherwise.
  std::optional<grid::Grid<float>> developed;
};

/// Drivers and suitability of a run (its stage 3: driver grids, the fitted or given suitability models, their maps,
/// the infrastructure events, the candidate land's opening) kept between measure_study calls on the same study. They
/// depend only on the study and on the spec's drivers, suitability, priority keys, regions, candidate land, seed and
/// end year: the caller keeps a cache only while those stay equal (the plan search: no lever on suitability.*,
/// drivers.* or regions.*). Empty until a measure_study call fills it; a
/// filled cache is only read, so it may be shared by concurrent calls, while filling is one call's alone.
struct SuitabilityCache {
  struct Data;
  std::shared_ptr<const Data> data;
};

/// Measures `queries` on the ensemble of `spec` on `input`, doing only what they need: the simulation ensemble
/// measured per run, and a whole run_study (allocation only when a query is one of its figures) only for indicators
/// of the run as a whole; nothing is written. Values equal those `parksim run` writes for the same scenario and
/// seed (run 0's indicators.csv row; a tracked area's mean over runs as the answer reports it). This is the
/// evaluation of the plan search (optimize/): deterministic for a seed at any thread count.
/// Throws Error(config, query.where) for an id that is no indicator of the run (listing those measured on every
/// run) or a year outside the run's years, and as run_study does.
/// With `cache`: stage 3 is taken from it when filled, else computed and kept in it (values are the same either way).
/// With `keep_developed`: the ensemble runs even when no query needs it, and MeasuredRuns::developed is filled.
MeasuredRuns measure_study(const StudyInput& input, const RunSpec& spec, const std::vector<IndicatorQuery>& queries,
                           const Progress& progress = Progress(), SuitabilityCache* cache = nullptr,
                           bool keep_developed = false);

}  // namespace parksim::pipeline
