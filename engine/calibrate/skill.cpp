#include "calibrate/skill.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <sstream>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "io/atomic.hpp"
#include "io/csv.hpp"
#include "metrics/grid_view.hpp"
#include "pipeline/pipeline.hpp"
#include "report/bundle.hpp"
#include "scenario/inputs.hpp"
#include "study/study.hpp"

namespace parksim::calibrate {

namespace fs = std::filesystem;

namespace {

// The class totals the runs reached, averaged over the runs: floor of the mean, then one more cell to the classes
// with the largest remainders (ties: lower class id) until they add up to the cells with data.
std::vector<std::int64_t> mean_quantity(const std::vector<std::uint16_t>& counts, int classes, std::int64_t cells,
                                        std::int64_t runs, std::int64_t cells_with_data) {
  std::vector<std::int64_t> quantity(static_cast<std::size_t>(classes)), remainder(quantity.size());
  std::int64_t given = 0;
  for (int c = 0; c < classes; ++c) {
    const auto first = counts.begin() + static_cast<std::ptrdiff_t>(c * cells);
    const std::int64_t total = std::accumulate(first, first + static_cast<std::ptrdiff_t>(cells), std::int64_t{0});
    quantity[static_cast<std::size_t>(c)] = total / runs;
    remainder[static_cast<std::size_t>(c)] = total % runs;
    given += total / runs;
  }
  std::vector<int> order(quantity.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return remainder[static_cast<std::size_t>(a)] > remainder[static_cast<std::size_t>(b)];
  });
  for (std::size_t i = 0; given < cells_with_data && i < order.size(); ++i, ++given) {
    ++quantity[static_cast<std::size_t>(order[i])];
  }
  return quantity;
}

// Class ids -> the user's codes (no_class stays no_class).
std::vector<std::uint8_t> to_codes(std::span<const std::uint8_t> ids, const std::vector<study::ClassInfo>& classes) {
  std::array<std::uint8_t, 256> code_of;
  code_of.fill(study::no_class);
  for (const auto& c : classes) code_of[static_cast<std::size_t>(c.id)] = static_cast<std::uint8_t>(c.raster_value());
  std::vector<std::uint8_t> out(ids.size());
  std::transform(ids.begin(), ids.end(), out.begin(), [&](std::uint8_t k) { return code_of[k]; });
  return out;
}

std::string number(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }
std::string figure(double v) { return std::isnan(v) ? std::string("n/a") : fmt::format("{:.4f}", v); }

}  // namespace

namespace {

// A fresh hidden sibling of `dir` (same depth, so paths relative to it are relative to `dir` too), removed with
// everything in it when the last owner lets go.
std::shared_ptr<const fs::path> staging_folder(const fs::path& dir) {
  fs::path target = fs::absolute(dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) throw Error(ErrorCode::output, "cannot create the folder: " + ec.message(), Context{.path = target.parent_path().string()});
  for (int attempt = 0;; ++attempt) {
    const fs::path p = target.parent_path() / fmt::format(".{}.skill-tmp-{}-{}", target.filename().string(), ::getpid(), attempt);
    if (fs::create_directory(p, ec)) {
      return std::shared_ptr<const fs::path>(new fs::path(p), [](const fs::path* q) {
        std::error_code ignored;
        fs::remove_all(*q, ignored);
        delete q;
      });
    }
    if (ec || attempt > 100) {
      throw Error(ErrorCode::output, "cannot create a working folder beside the output: " + (ec ? ec.message() : std::string("name taken")),
                  Context{.path = p.string()});
    }
  }
}

}  // namespace

std::vector<fs::path> skill_files(const fs::path& dir) {
  return {dir / "calibrated.toml", dir / "calibration_metrics.csv", dir / "skill.csv", dir / "expected_map.tif",
          dir / "expected_map.tif.aux.xml"};
}

SkillResult measure_skill(const scenario::Scenario& scenario, const SkillOptions& options, const fs::path& dir,
                          bool overwrite, const Progress& progress) {
  const study::StudySpec declared = scenario::study_spec(scenario);
  std::vector<int> years;
  for (const auto& m : declared.maps) years.push_back(m.year);
  std::sort(years.begin(), years.end());
  const auto held = std::find_if(declared.maps.begin(), declared.maps.end(),
                                 [&](const study::MapFile& m) { return m.year == options.holdout_year; });
  Context where = scenario.context("study.maps");
  where.key = "holdout";
  if (held == declared.maps.end()) {
    throw Error(ErrorCode::config,
                fmt::format("the holdout year {} is not one of the maps of [study.maps]; the maps are of {}",
                            options.holdout_year,
                            years.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(years, ", "))),
                where);
  }
  std::vector<int> fitted_years;
  for (const int y : years) {
    if (y < options.holdout_year) fitted_years.push_back(y);
  }
  if (fitted_years.size() < 2) {
    throw Error(ErrorCode::config,
                fmt::format("at least two maps are needed before the holdout year {} to fit on; the maps are of {}",
                            options.holdout_year, fmt::join(years, ", ")),
                where);
  }
  if (!overwrite) {
    for (const auto& f : skill_files(dir)) {
      if (fs::exists(f)) {
        throw Error(ErrorCode::output_exists, "output exists (use --overwrite)", Context{.path = f.string()});
      }
    }
  }

  // 1. Fit on the maps before the held-out year.
  scenario::Scenario fit = scenario;
  for (const int y : years) {
    if (y >= options.holdout_year) fit.remove("study.maps." + std::to_string(y));
  }
  fit.remove("years.start");
  SkillResult out(calibrate_scenario(fit, options.calibration, options.seed, progress.sub(0.0, 0.7)));
  out.holdout_year = options.holdout_year;
  out.fitted_years = std::move(fitted_years);
  out.staging = staging_folder(dir);
  write_calibration(out.calibration, *out.staging, true);
  out.problems = out.calibration.problems;

  // 2. Forecast the held-out year from the last map before it, as `parksim run calibrated.toml --end YEAR` does.
  scenario::Scenario forecast = scenario_in(out.calibration, *out.staging);
  if (options.seed) forecast.set("seed", static_cast<std::int64_t>(*options.seed));
  forecast.set("runs", static_cast<std::int64_t>(options.runs));
  if (options.threads) forecast.set("threads", static_cast<std::int64_t>(*options.threads));
  forecast.set("years.end", static_cast<std::int64_t>(options.holdout_year));
  pipeline::StudyInput input = pipeline::load_study(forecast, progress.sub(0.7, 0.72));
  forecast.set("years.start", static_cast<std::int64_t>(input.study.start_year));
  const pipeline::RunSpec spec = pipeline::run_spec(forecast);
  const study::Study study = input.study;
  out.reference_year = study.start_year;
  const pipeline::EnsembleRun ensemble = pipeline::run_ensemble(std::move(input), spec, 0, progress.sub(0.72, 0.95));
  out.problems.insert(out.problems.end(), ensemble.problems.begin(), ensemble.problems.end());
  out.problems.insert(out.problems.end(), ensemble.ensemble.problems.begin(), ensemble.ensemble.problems.end());
  out.classes = ensemble.classes;
  out.runs = static_cast<int>(ensemble.ensemble.runs);

  // 3. The expected map, on the cells with data in the reference and the held-out map.
  progress.check(0.95, "expected map and scores");
  const grid::Grid<std::uint8_t> observed = study::read_class_map(held->path, study, held->where);
  const int classes = ensemble.ensemble.class_count;
  const std::int64_t cells = study.initial.size();
  std::vector<std::uint16_t> counts = ensemble.ensemble.class_counts;
  std::int64_t cells_with_data = 0;
  out.observed_quantity_cells.assign(static_cast<std::size_t>(classes), 0);
  for (std::int64_t k = 0; k < cells; ++k) {
    if (study.initial[k] != study::no_class && observed[k] != study::no_class) {
      ++cells_with_data;
      ++out.observed_quantity_cells[observed[k]];
      continue;
    }
    for (int c = 0; c < classes; ++c) counts[static_cast<std::size_t>(c * cells + k)] = 0;
  }
  out.own_quantity_cells = mean_quantity(counts, classes, cells, out.runs, cells_with_data);
  metrics::ExpectedMapParams expected;
  expected.seed = spec.seed;
  expected.nodata = study::no_class;
  out.expected_own_detail = metrics::expected_map(counts, classes, cells, out.own_quantity_cells, expected);
  const metrics::ExpectedMap at_observed =
      metrics::expected_map(counts, classes, cells, out.observed_quantity_cells, expected);
  out.expected = grid::Grid<std::uint8_t>(study.spec, study::no_class);
  out.expected_observed = grid::Grid<std::uint8_t>(study.spec, study::no_class);
  std::copy(out.expected_own_detail.cells.begin(), out.expected_own_detail.cells.end(), out.expected.data());
  std::copy(at_observed.cells.begin(), at_observed.cells.end(), out.expected_observed.data());

  // 4. Scores, in the user's class codes. The proximity null may change what the simulation may change: cells not
  // excluded whose reference class is convertible.
  const auto span_of = [](const grid::Grid<std::uint8_t>& g) {
    return std::span<const std::uint8_t>(g.data(), static_cast<std::size_t>(g.size()));
  };
  const std::vector<std::uint8_t> reference_codes = to_codes(span_of(study.initial), out.classes);
  const std::vector<std::uint8_t> observed_codes = to_codes(span_of(observed), out.classes);
  const std::vector<std::uint8_t> own_codes = to_codes(span_of(out.expected), out.classes);
  const std::vector<std::uint8_t> at_observed_codes = to_codes(span_of(out.expected_observed), out.classes);
  std::vector<std::uint8_t> allowed(static_cast<std::size_t>(cells), 0);
  for (std::int64_t k = 0; k < cells; ++k) {
    const std::uint8_t id = study.initial[k];
    const bool excluded = study.exclusion.size() == cells && study.exclusion[k] != 0;
    allowed[static_cast<std::size_t>(k)] =
        id != study::no_class && !excluded && out.classes.at(id).convertible() ? 1 : 0;
  }
  const auto view = [&](const std::vector<std::uint8_t>& codes) {
    metrics::CategoricalMapView v = metrics::view_of(study.initial, study::no_class);
    v.cells = codes;
    return v;
  };
  metrics::ForecastValidationParams params;
  params.factors = options.factors;
  params.seed = spec.seed;
  params.proximity_draws = options.proximity_draws;
  params.allowed = allowed;
  out.validation = metrics::validate_forecast(view(reference_codes), view(observed_codes), view(own_codes),
                                              view(at_observed_codes), params);
  progress.check(1.0, "done");
  return out;
}

std::vector<SkillRow> SkillResult::rows() const {
  std::vector<SkillRow> out;
  for (const metrics::MetricRow& r : validation.to_rows()) {
    SkillRow row;
    const auto dot = r.scope.find('.');
    if (dot != std::string::npos) {
      const std::string label = r.scope.substr(0, dot);
      const std::string model = r.scope.substr(dot + 1);
      row.quantity = label == "forecast" ? "own" : "observed";
      row.model = model == "model" ? "parksim" : model;
    }
    row.measure = r.id;
    if (r.class_code) row.from_class = *r.class_code;
    if (r.to_class_code) row.to_class = *r.to_class_code;
    row.factor = r.factor;
    row.unit = r.unit;
    row.value = r.value;
    row.label = r.label_en;
    out.push_back(std::move(row));
  }
  const auto quantity_rows = [&](const std::string& quantity, const std::vector<std::int64_t>& cells) {
    for (const auto& c : classes) {
      out.push_back(SkillRow{quantity, "parksim", "quantity_area", c.raster_value(), std::nullopt, std::nullopt, "m2",
                             static_cast<double>(cells.at(static_cast<std::size_t>(c.id))) * validation.cell_area_m2,
                             "Area of the class in the expected map"});
    }
  };
  quantity_rows("own", own_quantity_cells);
  quantity_rows("observed", observed_quantity_cells);
  return out;
}

std::string skill_csv(const SkillResult& result) {
  std::ostringstream out;
  out << "\xEF\xBB\xBF" << "quantity,model,measure,from_class,to_class,factor,unit,value,label\n";
  const auto optional = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); };
  for (const SkillRow& r : result.rows()) {
    out << io::csv_cell(r.quantity) << ',' << io::csv_cell(r.model) << ',' << io::csv_cell(r.measure) << ','
        << optional(r.from_class) << ',' << optional(r.to_class) << ',' << optional(r.factor) << ','
        << io::csv_cell(r.unit) << ',' << number(r.value) << ',' << io::csv_cell(r.label) << '\n';
  }
  return out.str();
}

std::string skill_table(const SkillResult& result) {
  std::ostringstream out;
  const auto& v = result.validation;
  out << fmt::format("Skill on the map of {}: fitted on {}; forecast from {} ({} runs); change from {} scored on {} "
                     "cells\n",
                     result.holdout_year, fmt::join(result.fitted_years, ", "), result.reference_year, result.runs,
                     result.reference_year, v.cells_compared);
  const auto built_gain = [&](const metrics::ForecastComparison& c) {
    std::string text;
    for (const auto& d : c.proximity_null.demand) {
      std::string key = std::to_string(d.class_code);
      for (const auto& k : result.classes) {
        if (k.raster_value() == d.class_code) key = k.key;
      }
      text += fmt::format("{}{} {}", text.empty() ? "" : ", ", key, d.cells);
    }
    return text.empty() ? std::string("none") : text;
  };
  const auto block = [&](const metrics::ForecastComparison& c, const char* title) {
    out << fmt::format("\n{} - new cells: {}\n", title, built_gain(c));
    out << fmt::format("  {:<28} {:>10} {:>12} {:>10}\n", "measure", "parksim", "persistence", "proximity");
    const auto line = [&](const std::string& name, auto get) {
      out << fmt::format("  {:<28} {:>10} {:>12} {:>10}\n", name, get(c.model), get(c.persistence), get(c.proximity));
    };
    const auto cells = [](std::int64_t n) { return std::to_string(n); };
    line("figure_of_merit", [&](const metrics::CandidateValidation& x) { return figure(x.scores.fom.figure_of_merit); });
    line("hits (cells)", [&](const metrics::CandidateValidation& x) { return cells(x.scores.fom.hits); });
    line("misses (cells)", [&](const metrics::CandidateValidation& x) { return cells(x.scores.fom.misses); });
    line("false_alarms (cells)", [&](const metrics::CandidateValidation& x) { return cells(x.scores.fom.false_alarms); });
    line("wrong_hits (cells)", [&](const metrics::CandidateValidation& x) { return cells(x.scores.fom.wrong_hits); });
    line("kappa_simulation",
         [&](const metrics::CandidateValidation& x) { return figure(x.scores.kappa.kappa_simulation); });
    line("quantity_disagreement",
         [&](const metrics::CandidateValidation& x) { return figure(x.scores.disagreement.quantity); });
    line("allocation_disagreement",
         [&](const metrics::CandidateValidation& x) { return figure(x.scores.disagreement.allocation); });
    for (std::size_t i = 0; i < c.model.resolutions.size(); ++i) {
      line(fmt::format("figure_of_merit x{}", c.model.resolutions[i].factor), [&](const metrics::CandidateValidation& x) {
        return figure(x.resolutions.at(i).figure_of_merit);
      });
    }
    out << fmt::format("  proximity null over {} draws: FoM {} +- {}; parksim minus proximity: {}\n",
                       c.proximity_null.figure_of_merit_draws.size(), figure(c.proximity_null.figure_of_merit_mean),
                       figure(c.proximity_null.figure_of_merit_sd), figure(c.figure_of_merit_over_proximity()));
  };
  block(v.forecast, "At the model's own quantity (the forecast)");
  if (v.diagnosis) block(*v.diagnosis, "At the observed quantity (DIAGNOSIS: the observed totals are not a forecast)");
  return out.str();
}

void write_skill(const SkillResult& result, const fs::path& dir, bool overwrite) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::output, "cannot create the folder: " + ec.message(), Context{.path = dir.string()});
  const fs::path csv = dir / "skill.csv", tif = dir / "expected_map.tif";
  if (!overwrite) {
    for (const auto& f : {csv, tif}) {
      if (fs::exists(f)) throw Error(ErrorCode::output_exists, "output exists (use --overwrite)", Context{.path = f.string()});
    }
  }
  if (!result.staging) {
    report::write_class_map(tif, result.expected, result.classes, "", overwrite);
    io::atomic_write_text(csv, skill_csv(result), overwrite);
    return;
  }
  // Everything is written beside the calibration files first, then moved into place: a failed write leaves nothing.
  const fs::path& staging = *result.staging;
  report::write_class_map(staging / tif.filename(), result.expected, result.classes, "", true);
  io::atomic_write_text(staging / csv.filename(), skill_csv(result), true);
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(staging)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    const fs::path to = dir / f.filename();
    if (!overwrite && fs::exists(to)) {
      throw Error(ErrorCode::output_exists, "output exists (use --overwrite)", Context{.path = to.string()});
    }
  }
  for (const fs::path& f : files) {
    fs::rename(f, dir / f.filename(), ec);
    if (ec) {
      throw Error(ErrorCode::output, "cannot move the file into place: " + ec.message(),
                  Context{.path = (dir / f.filename()).string()});
    }
  }
}

}  // namespace parksim::calibrate
