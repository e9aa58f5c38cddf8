#pragma once
// Calibration of the land-use simulation from a time series of observed class maps (parksim::calibrate).
//
// With dates t0 < t1 < ... < tn (n >= 1):
//  1. SUITABILITY: for every class that grows over [t0, t1], a logistic model (model::fit_suitability) of "became the
//     class" against "could have but did not" (model::sample_training_cells), on the series' drivers at t0 (a study's
//     declared drivers, Series::driver_set; or the user's driver rasters plus the distance to the class's own cells
//     at the start of the interval, "dist_class_<k>_m", capped).
//     The growth over [t0, t1] is split into organic growth (at the edges of the class's patches) and new patches
//     (metrics::growth_patches): the share of new patches and their sizes become the simulation's patch_share and
//     patch_sizes_cells, organic growth the automaton's at the edges (CalibrationOptions::patches, DEFAULT observed).
//  2. TUNING: the free sim::Params (inertia_adaptation, selection_exponent; neighbourhood_weight, patch_share and
//     patch_size_mean_cells with CalibrationOptions::patches = search) are searched on [t1, t2] ([t0, t1] with two maps): the simulation starts from the t1 map with the observed growth of every growing
//     class as demand (linear per year, decreasing classes are free donors) and the objective is the Figure of
//     Merit of the simulated t2 against the observed t2 minus a change-pattern mismatch (the share of growth that is
//     not at the edge of existing cells, and how clumped that growth is: FoM alone is maximised by the least random
//     allocation, whatever produced the maps), averaged over `runs_per_evaluation` seeds (the same seeds for every
//     candidate: common random numbers, so differences are not noise). The search is a deterministic
//     compass (coordinate) search on the normalised box with step halving, a cache of visited points, and a
//     budget of evaluations; it needs far fewer simulations than the grid of the same final resolution
//     (CalibrationResult::grid_evaluations).
//  3. VALIDATION: the last date is predicted from the map before it with the tuned parameters (suitability with the
//     distance drivers recomputed at that date) and every metric of metrics::validate_simulation is computed
//     against the observed last map, next to the persistence null model. With two or three dates the validation
//     interval is the tuning interval (in-sample): the result says so and reports a Problem.
// Identifiability: inertia_adaptation only changes which class wins cells SEVERAL growing classes compete for; with
// one growing class it has no effect and is not tuned (kept at the base value, `tuned` lists what was searched).
//
// Determinism: the result depends only on (series, options); thread count never matters (simulate() and the fits
// are deterministic). Thread-safety: pure functions.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/problem.hpp"
#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "metrics/growth_patches.hpp"
#include "metrics/validation.hpp"
#include "model/drivers.hpp"
#include "model/logistic.hpp"
#include "model/suitability.hpp"
#include "sim/params.hpp"

namespace parksim::calibrate {

/// A time series of class maps on one GridSpec, with its drivers and exclusion mask. Plain data.
struct Series {
  std::vector<std::pair<int, grid::Grid<std::uint8_t>>> maps;  ///< (year, classes), ascending years, >= 2
  std::vector<std::pair<std::string, grid::Grid<float>>> drivers;  ///< (name, values), finite values; see driver_set
  grid::Grid<std::uint8_t> exclusion;  ///< optional (empty = none): non-zero cells never change
  int class_count = 0;                 ///< classes 0..class_count-1, 1..sim::max_classes
  std::uint8_t nodata = 255;           ///< code of cells outside the study area in `maps`. DEFAULT 255
  /// The drivers of a year on a class map (a study's declared drivers, class distances measured on the map). When
  /// set it replaces `drivers` and the dist_class_<k>_m drivers of CalibrationOptions::distance_to_class_driver.
  std::function<model::DriverSet(int year, const grid::Grid<std::uint8_t>& map)> driver_set;
  /// driver_set depends on the map (a distance to a class measured every year): simulations then recompute the
  /// suitability every simulated year, as a run does. DEFAULT false
  bool drivers_follow_map = false;
  /// Per class (optional, empty = every class may become any other): built classes never change, fixed classes
  /// never change nor grow - the conversion rules of a run.
  std::vector<bool> built, fixed;

  /// Throws Error(data, key "series.maps" / "series.drivers" / "series.exclusion") naming the year or driver at
  /// fault: fewer than 2 maps, years not strictly increasing, grids on another GridSpec, class codes >=
  /// class_count, a non-finite driver value inside the study area.
  void validate() const;
};

/// One map file of a series.
struct MapFile {
  int year = 0;
  std::filesystem::path path;
};
/// One driver raster file.
struct DriverFile {
  std::string name;  ///< driver name used in the fitted models, e.g. "dist_road_m"
  std::filesystem::path path;
};

/// The year in a file name: the last run of exactly four digits in the stem ("landuse_2005.tif" -> 2005);
/// nullopt when there is none.
std::optional<int> year_from_file_name(const std::filesystem::path& path);

/// Reads a series through io (any GDAL raster format, band 1). Maps are sorted by year; the class count is the
/// largest class code + 1 (value 255 and the raster's own nodata are nodata). Driver nodata cells take the mean
/// of the driver's valid cells (a Problem "calibrate.driver_nodata" in `problems`, when given).
/// `assume_crs` ("EPSG:4548", or empty) is the CRS of rasters without one; with it empty, a raster without a CRS
/// is Error(crs) naming the file. Rasters whose shape, origin, cell size or CRS differ from the first map's are
/// Error(data) naming the file; unreadable files Error(input); class codes above sim::max_classes-1 Error(data).
Series load_series(std::span<const MapFile> maps, std::span<const DriverFile> drivers,
                   const std::optional<std::filesystem::path>& exclusion, const std::string& assume_crs,
                   std::vector<Problem>* problems = nullptr);

/// Options of calibrate(). Plain value; DEFAULTs as given.
struct CalibrationOptions {
  int budget = 40;                   ///< most objective evaluations of the search, >= 1. DEFAULT 40
  int runs_per_evaluation = 4;       ///< simulations (seeds) averaged per evaluation, >= 1. DEFAULT 4
  std::uint64_t seed = 1;            ///< seed of the training samples and simulations. DEFAULT 1
  std::int64_t sample_cells = 5000;  ///< training cells per group (changed / unchanged). DEFAULT 5000
  double max_distance_m = 10000.0;   ///< cap of the dist_class_<k>_m drivers, m. DEFAULT 10000
  bool distance_to_class_driver = true;  ///< add dist_class_<k>_m to each class's drivers. DEFAULT true
  /// Weight of the change-pattern term of the objective (see calibrate()): objective = FoM - pattern_weight x
  /// (|far-growth share difference| + |clumped far-growth share difference|), simulated vs observed. 0 = FoM only:
  /// the best forecast of where change goes (on Plum Island 1991-1999 it raised the held-out FoM from 0.030 to
  /// 0.048), though it favours the least random parameters (edge growth, no patches) whatever generated the maps;
  /// > 0 trades some of that skill for the observed growth pattern. DEFAULT 0
  double pattern_weight = 0.0;
  double min_step = 1.0 / 32.0;      ///< search stops when its step (normalised box) falls below. DEFAULT 1/32
  /// The search of the [sim] parameters in the normalised box: compass (coordinate steps, halved when none improves),
  /// sbplx (NLopt's subplex) or bobyqa (NLopt's quadratic trust region). DEFAULT compass (see bench/RESULTS.md for
  /// the comparison)
  std::string search = "compass";
  /// Learner of the transition potential: logistic (one logistic regression on the drivers), spline (logistic on the
  /// drivers and hinge terms at their 20/40/60/80 % quantiles: a linear spline per driver), boosted (gradient-boosted
  /// trees, XGBoost), or auto: the one with the best out-of-sample AUC - on the next interval with three or more maps,
  /// else on spatial blocks of 16 x 16 cells the fit did not see (two folds). DEFAULT auto
  std::string learner = "auto";
  /// How growth splits into organic growth and new patches: observed (measured on the fitting interval,
  /// metrics::growth_patches: organic growth is the automaton's at the edges of existing patches - neighbourhood_weight
  /// 1, no scattered cells - and the rest new patches; patch_share and patch_sizes_cells are inferred so that the
  /// simulated fitting interval shows the observed share and sizes - see calibrate.cpp fit_patches; none of the three
  /// is searched) or search (neighbourhood_weight, patch_share and a lognormal
  /// patch_size_mean_cells are searched with the other parameters; the FoM objective then drives the growth towards
  /// the least random pattern, whatever the maps show). DEFAULT observed
  std::string patches = "observed";
  model::BoostedOptions boosted;      ///< options of the boosted learner (seed: the calibration's)
  /// Parameters not searched (window, inertia_max, rounds, ...) and the search's starting point. DEFAULT sim::Params{}
  sim::Params base;
  /// The scenario's key of each class code (index = code), e.g. the simulation classes of the run that made the
  /// maps. With them, the fitted models and the scenario fragment name classes by key ("[suitability.coefficients.
  /// r_d]", driver "dist_class_r_d_m") and the fragment runs as it is in a scenario (the pipeline knows the
  /// dist_class_<key>_m drivers). DEFAULT empty: "class_<k>" and "dist_class_<k>_m".
  std::vector<std::string> class_keys;

  /// Throws Error(config, key "calibrate.<name>") for an out-of-range option, an empty or repeated class key, or a
  /// class key with characters other than ASCII letters, digits and '_'.
  void validate() const;
};

/// The searched box: each parameter's name and its range. The patch size sd follows the mean (sd = mean x the
/// base ratio patch_size_sd_cells / patch_size_mean_cells).
struct SearchDimension {
  std::string name;  ///< sim::Params member name
  double min = 0.0;
  double max = 0.0;
};
/// neighbourhood_weight [0, 1], inertia_adaptation [0, 2], patch_share [0, 0.6], patch_size_mean_cells [2, 40],
/// selection_exponent [1, 8].
std::vector<SearchDimension> search_box();
/// The value of the search_box() parameter `name` in `p` (Error(internal) for a name not in it).
double search_value(const sim::Params& p, const std::string& name);

/// One fitted class.
struct ClassFit {
  int class_id = 0;
  std::int64_t changed_cells = 0;  ///< cells that became the class over the fitting interval
  std::string learner = "logistic";  ///< the learner chosen: logistic, spline or boosted
  model::LogisticModel model;      ///< learners logistic and spline: on standardised terms (see model/logistic.hpp)
  std::optional<model::BoostedTrees> boosted;  ///< learner boosted
  double training_auc = 0.0;       ///< AUC on the whole fitting sample (in-sample)
  /// Out-of-sample AUC of every learner tried, and how it was measured ("held-out date 1991-1999" or "spatial
  /// blocks of 16 x 16 cells, two folds").
  std::vector<std::pair<std::string, double>> holdout_auc;
  std::string holdout;
  /// Share of each driver in the model's effect (logistic: mean |log-odds| of its terms; boosted: total gain).
  std::vector<std::pair<std::string, double>> contributions;
  /// Learners logistic and spline: the model in raw driver units, intercept first ("intercept", then the terms).
  std::vector<std::pair<std::string, double>> raw_coefficients;

  /// The fitted model (boosted trees, or the logistic model).
  model::PotentialModel potential() const;
};

/// One evaluation of the search.
struct Evaluation {
  std::vector<double> values;  ///< in search_box() order
  double objective = 0.0;      ///< mean of FoM - pattern mismatch (higher is better; see CalibrationOptions)
  double standard_error = 0.0; ///< of that mean: sd of the runs' scores / sqrt(runs) (0 with one run)
};

/// How well the search pins a tuned parameter down: the range of its values among the evaluations whose objective
/// is within two standard errors (of the best evaluation's mean) of the best - values the Monte Carlo noise of the
/// objective cannot tell apart. A range as wide as the box means the data do not identify the parameter.
struct ParameterRange {
  std::string name;
  double best = 0.0;
  double low = 0.0;
  double high = 0.0;
};

struct CalibrationResult {
  std::vector<int> years;              ///< the series' years
  std::pair<int, int> fitted{}, tuned_on{}, validated_on{};  ///< the intervals (years) of steps 1, 2 and 3
  std::vector<std::string> class_keys; ///< CalibrationOptions::class_keys
  std::vector<ClassFit> fits;          ///< growing classes, ascending class id
  /// Growth of the growing classes over the fitting interval, pooled: organic growth and new patches (sizes).
  metrics::GrowthPatches observed_growth;
  /// CalibrationOptions::patches = observed: the same interval simulated with the calibrated parameters
  /// (runs_per_evaluation runs pooled), and the factor applied to the observed sizes to draw patches (<= 1).
  metrics::GrowthPatches simulated_growth;
  int simulated_growth_runs = 0;  ///< the runs pooled in simulated_growth
  double patch_size_scale = 1.0;
  sim::Params params;                  ///< base with the tuned values
  std::vector<std::string> tuned;      ///< names of the searched parameters (see Identifiability)
  std::vector<Evaluation> evaluations; ///< in the order they were run; size = evaluations used
  double best_objective = 0.0;         ///< objective of `params` on the tuning interval
  double best_standard_error = 0.0;    ///< its standard error over the runs of the evaluation
  std::vector<ParameterRange> uncertainty;  ///< one per tuned parameter, in `tuned` order
  /// The objective in words: "mean Figure of Merit of 4 runs" (pattern_weight 0) or "mean of FoM - 1 x pattern
  /// mismatch over 4 runs".
  std::string objective;
  double grid_evaluations = 0.0;       ///< evaluations of the full grid at the search's final resolution
  grid::Grid<std::uint8_t> predicted;  ///< predicted last map (run 0 of the seed)
  metrics::ValidationResult validation;  ///< predicted vs observed last map, and persistence
  bool validation_in_sample = false;   ///< true with three dates (validation interval = tuning interval)
  std::vector<Problem> problems;
};

/// Runs the three steps above. Throws Error(data) for an invalid series or a series with no growing class,
/// Error(config) for invalid options, Error(cancelled) through `progress`.
CalibrationResult calibrate(const Series& series, const CalibrationOptions& options = {},
                            const Progress& progress = Progress());

/// The tuned [sim] keys and the fitted coefficients (raw units) as a scenario TOML fragment:
/// [sim] neighbourhood_weight, inertia_adaptation, patch_share, patch_size_mean_cells, patch_size_sd_cells,
/// patch_sizes_cells (when measured), selection_exponent;
/// [suitability] mode = "given"; [suitability.coefficients.<class>] intercept and one key per driver, <class> the
/// class key (CalibrationOptions::class_keys) or "class_<k>" (then rename the tables to the scenario's classes).
/// Deterministic text (shortest round-trip numbers).
std::string scenario_fragment_toml(const CalibrationResult& result);

/// How the growing classes grew over the fitting interval and how the calibrated simulation grows there, in a few
/// lines: organic vs new-patch share, number of new patches and their size quartiles, the patch parameters, and the
/// Kolmogorov-Smirnov distance of the simulated new-patch sizes to the observed ones (patches = observed).
std::string growth_summary(const CalibrationResult& result);

/// The validation table as CSV: header "id,scope,class_code,label,unit,value", then metrics::ValidationResult::
/// to_rows() in order (model and persistence side by side), then scope "calibration" rows (evaluations,
/// grid_evaluations, best_objective, best_objective_standard_error, validation_in_sample, then <parameter>_low /
/// <parameter>_high of each tuned parameter).
std::string metrics_csv(const CalibrationResult& result);

/// Writes `<dir>/calibration.toml` (scenario_fragment_toml) and `<dir>/calibration_metrics.csv` atomically
/// (io::atomic_write_text). `dir` is created when missing. Error(output_exists) when a file exists and !overwrite
/// (checked for both before writing either), Error(output) when it cannot be written.
void write_scenario_fragment(const CalibrationResult& result, const std::filesystem::path& dir, bool overwrite);

}  // namespace parksim::calibrate
