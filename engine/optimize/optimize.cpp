#include "optimize/optimize.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <system_error>

#include <fmt/format.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "io/atomic.hpp"
#include "io/csv.hpp"
#include "io/vector.hpp"
#include "report/front_page.hpp"
#include "scenario/schema.hpp"

namespace parksim::optimize {

namespace fs = std::filesystem;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Keys that describe how a run is set up rather than what is simulated: no lever may set them.
bool is_setup_key(std::string_view key) {
  return key == "seed" || key == "runs" || key == "threads" || key == "years.start" || key == "years.end" ||
         key.rfind("optimize.", 0) == 0 || key.rfind("answer.", 0) == 0 || key.rfind("outputs.", 0) == 0;
}

// Keys read when the study is loaded (pipeline::load_study): a lever on one of them reloads the study per evaluation.
bool changes_study(std::string_view key) {
  for (std::string_view prefix : {"geodata.", "study.", "classes.", "grid.", "drivers.", "infrastructure"}) {
    if (key.rfind(prefix, 0) == 0) return true;
  }
  return key == "suitability.max_distance_m";
}

// The shortest decimal text that reads back to `v` (std::to_chars), "" for NaN.
std::string number_text(double v) {
  if (!std::isfinite(v)) return {};
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, r.ptr);
}

std::string column_of(const pipeline::IndicatorQuery& q) {
  return q.year != 0 ? fmt::format("{}@{}", q.id, q.year) : q.id;
}

double mean_of(const std::vector<double>& values, double* sd) {
  double sum = 0.0;
  std::size_t n = 0;
  for (double v : values) {
    if (std::isfinite(v)) {
      sum += v;
      ++n;
    }
  }
  const double mean = n == 0 ? nan : sum / static_cast<double>(n);
  double ss = 0.0;
  for (double v : values) {
    if (std::isfinite(v)) ss += (v - mean) * (v - mean);
  }
  *sd = n < 2 ? nan : std::sqrt(ss / static_cast<double>(n - 1));
  return mean;
}

// A Solution from the measured runs: means and sds, and how far the constraints are from being met.
Solution solution_of(const OptimizeSpec& spec, std::vector<double> levers, const pipeline::MeasuredRuns& m) {
  Solution s;
  s.levers = std::move(levers);
  for (const auto& values : m.values) {
    double sd = nan;
    s.mean.push_back(mean_of(values, &sd));
    s.sd.push_back(sd);
  }
  for (const auto& o : spec.objectives) {
    if (!std::isfinite(s.mean[o.column])) s.violation += 1.0;  // no run gives a value (a target never reached)
  }
  for (const auto& k : spec.constraints) {
    const double v = s.mean[k.column];
    if (!std::isfinite(v)) {
      s.violation += 1.0;
      continue;
    }
    if (k.min && v < *k.min) s.violation += (*k.min - v) / std::max(std::fabs(*k.min), 1.0);
    if (k.max && v > *k.max) s.violation += (v - *k.max) / std::max(std::fabs(*k.max), 1.0);
  }
  s.feasible = s.violation <= 0.0;
  return s;
}

}  // namespace

// Evaluates lever settings: the study loaded once (unless a lever changes it), a measured ensemble per setting.
Evaluator::Evaluator(scenario::Scenario searched, const Progress& progress)
    : Evaluator(searched, optimize_spec(searched), progress) {}

Evaluator::Evaluator(scenario::Scenario searched, OptimizeSpec spec, const Progress& progress)
    : m_base(std::move(searched)), m_spec(std::move(spec)), m_progress(progress) {
  m_queries = m_spec.indicators;
  for (const auto& l : m_spec.levers) {
    m_reload = m_reload || changes_study(l.key);
    // Stage 3 reads suitability.*, drivers.* and the candidate regions (regions.*).
    m_keep_suitability = m_keep_suitability && l.key.rfind("suitability.", 0) != 0 &&
                         l.key.rfind("drivers.", 0) != 0 && l.key.rfind("regions.", 0) != 0;
  }
  m_keep_suitability = m_keep_suitability && !m_reload;
  if (!m_base.has("years.start")) {
    // As optimize_scenario: the study's start year, so that every evaluation (and every reload) runs the same years.
    m_input = std::make_shared<const pipeline::StudyInput>(pipeline::load_study(m_base, m_progress));
    m_base.set("years.start", static_cast<std::int64_t>(m_input->study.start_year));
  }
}

void Evaluator::set_study(std::shared_ptr<const pipeline::StudyInput> input) { m_input = std::move(input); }

/// The first call keeps the drivers and suitability, which no lever changes, for the later ones (and runs alone:
/// the others wait for it); later calls may run concurrently.
pipeline::MeasuredRuns Evaluator::measure(const scenario::Scenario& s, int threads, bool keep_developed) {
  m_progress.throw_if_cancelled();
  pipeline::RunOptions options;
  options.runs = m_spec.runs;
  options.threads = threads;
  const pipeline::RunSpec run = pipeline::run_spec(s, options);
  if (m_reload) return pipeline::measure_study(pipeline::load_study(s), run, m_queries, {}, nullptr, keep_developed);
  if (!m_ready.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(m_first);
    if (!m_ready.load(std::memory_order_relaxed)) {
      // No lever changes the study: the searched scenario's, loaded on first use unless given.
      if (!m_input) m_input = std::make_shared<const pipeline::StudyInput>(pipeline::load_study(m_base));
      pipeline::MeasuredRuns m =
          pipeline::measure_study(*m_input, run, m_queries, {},
                                  m_keep_suitability && !m_suitability.data ? &m_suitability : nullptr, keep_developed);
      m_ready.store(true, std::memory_order_release);
      return m;
    }
  }
  if (!m_keep_suitability) return pipeline::measure_study(*m_input, run, m_queries, {}, nullptr, keep_developed);
  pipeline::SuitabilityCache shared = m_suitability;  // read only: a copy of the handle per call
  return pipeline::measure_study(*m_input, run, m_queries, {}, &shared, keep_developed);
}

std::vector<grid::Grid<std::uint8_t>> Evaluator::maps(const std::vector<std::vector<double>>& batch, int threads) {
  std::vector<grid::Grid<std::uint8_t>> out(batch.size());
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
      out[i] = percent_map(measure(scenario_with(m_base, m_spec, batch[i]), 1, true));
    });
  });
  return out;
}

grid::Grid<std::uint8_t> Evaluator::percent_map(const pipeline::MeasuredRuns& m) {
  if (!m.developed) return {};
  grid::Grid<std::uint8_t> out(m.developed->spec(), 255);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const float p = (*m.developed)[i];
    if (std::isfinite(p)) out[i] = static_cast<std::uint8_t>(std::clamp(std::lround(p * 100.0f), 0L, 100L));
  }
  return out;
}

Solution Evaluator::evaluate(const std::vector<double>& levers, int threads) {
  return solution_of(m_spec, levers, measure(scenario_with(m_base, m_spec, levers), threads));
}

/// A batch: one evaluation per thread, or the ensemble's runs on all threads for a single setting.
std::vector<Solution> Evaluator::evaluate(const std::vector<std::vector<double>>& batch, int threads) {
  if (threads <= 0) threads = tbb::info::default_concurrency();
  std::vector<Solution> out(batch.size());
  if (batch.size() == 1) {
    out[0] = evaluate(batch[0], threads);
  } else {
    std::size_t first = 0;
    if (!batch.empty() && !m_reload && !m_ready.load(std::memory_order_acquire)) {
      // The first evaluation of all (it loads and keeps what the others share): alone, on every thread.
      out[0] = evaluate(batch[0], threads);
      first = 1;
    }
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(first, batch.size(), [&](std::size_t i) { out[i] = evaluate(batch[i], 1); });
    });
  }
  return out;
}

namespace {

// A batch evaluated by OptimizeOptions::evaluate, checked against the settings asked for.
std::vector<Solution> evaluated_elsewhere(const BatchEvaluation& evaluate, const scenario::Scenario& searched,
                                          const OptimizeSpec& spec, const std::vector<std::vector<double>>& points) {
  std::vector<Solution> out = evaluate(searched, points);
  if (out.size() != points.size()) {
    throw Error(ErrorCode::usage, fmt::format("the plan search's evaluate function returned {} results for {} lever "
                                              "settings: it must return one per setting, in order",
                                              out.size(), points.size()));
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const Solution& s = out[i];
    if (s.levers != points[i]) {
      throw Error(ErrorCode::usage, fmt::format("the plan search's evaluate function returned other lever values for "
                                                "setting {} of {}: it must return each setting's result in order",
                                                i + 1, out.size()));
    }
    if (s.mean.size() != spec.indicators.size() || s.sd.size() != spec.indicators.size()) {
      throw Error(ErrorCode::usage, fmt::format("the plan search's evaluate function returned {} means and {} sds for "
                                                "setting {}: the search measures {} indicators",
                                                s.mean.size(), s.sd.size(), i + 1, spec.indicators.size()));
    }
  }
  return out;
}

std::string setting_text(const OptimizeSpec& spec, const Solution& s) {
  std::string out;
  for (std::size_t l = 0; l < spec.levers.size(); ++l) {
    out += fmt::format("{}{} = {}", l == 0 ? "" : ", ", spec.levers[l].key, number_text(s.levers[l]));
  }
  for (const auto& c : spec.constraints) {
    out += fmt::format("; {} = {}", column_of(c.indicator),
                       std::isfinite(s.mean[c.column]) ? fmt::format("{:.6g}", s.mean[c.column]) : "no value");
  }
  return out;
}

}  // namespace

OptimizeSpec optimize_spec(const scenario::Scenario& s) {
  const scenario::Schema& schema = scenario::scenario_schema();
  OptimizeSpec spec;
  const auto fail = [&](std::string_view key, const std::string& message) -> Error {
    return Error(ErrorCode::config, message, s.context(key));
  };
  if (s.array_size("optimize.objectives") == 0) {
    throw fail("optimize", "the plan search needs objectives: add [[optimize.objectives]] tables with indicator = "
                           "\"<indicator id>\" and direction = \"min\" or \"max\"");
  }
  const auto integer_or = [&](std::string_view key, int fallback) {
    return s.has(key) ? static_cast<int>(s.get_int(key)) : fallback;
  };
  const std::string algorithm = s.has("optimize.algorithm") ? s.get_text("optimize.algorithm") : "nsga2";
  spec.search.algorithm = algorithm == "moead" ? Algorithm::moead : Algorithm::nsga2;
  spec.search.population = integer_or("optimize.population", 24);
  spec.search.generations = integer_or("optimize.generations", 10);
  spec.search.seed = static_cast<std::uint64_t>(s.get_int("seed"));
  spec.runs = integer_or("optimize.runs", 1);
  spec.maps = integer_or("optimize.maps", 50);
  if (spec.search.algorithm == Algorithm::nsga2 && (spec.search.population < 8 || spec.search.population % 4 != 0)) {
    throw fail("optimize.population",
               fmt::format("NSGA-II needs a population that is a multiple of 4 and at least 8, got {}",
                           spec.search.population));
  }
  spec.threads = static_cast<int>(s.get_int("threads"));

  const std::size_t L = s.array_size("optimize.levers");
  if (L == 0) throw fail("optimize", "the plan search needs levers: add [[optimize.levers]] tables with key, min, max");
  for (std::size_t i = 0; i < L; ++i) {
    const std::string base = fmt::format("optimize.levers[{}]", i);
    if (!s.has(base + ".key")) throw fail(base, "a lever needs key = \"<scenario key>\"");
    Lever lever;
    lever.key = s.get_text(base + ".key");
    lever.where = s.context(base + ".key");
    const scenario::KeySpec* ks = schema.find(lever.key);
    if (ks == nullptr) {
      const auto near = schema.suggest(lever.key);
      throw Error(ErrorCode::config,
                  fmt::format("lever '{}' is no scenario key{}", lever.key,
                              near ? fmt::format("; did you mean '{}'?", *near) : std::string()),
                  lever.where);
    }
    if (ks->kind != scenario::ValueKind::integer && ks->kind != scenario::ValueKind::real) {
      throw Error(ErrorCode::config,
                  fmt::format("lever '{}' is not numeric (it is a {}): a lever sets a number or a year", lever.key,
                              scenario::to_string(ks->kind)),
                  lever.where);
    }
    if (is_setup_key(lever.key)) {
      throw Error(ErrorCode::config,
                  fmt::format("lever '{}' sets up the run, not what is simulated; it cannot be searched", lever.key),
                  lever.where);
    }
    for (std::size_t k = 0; k < spec.levers.size(); ++k) {
      if (spec.levers[k].key == lever.key) {
        throw Error(ErrorCode::config, fmt::format("lever '{}' is given twice", lever.key), lever.where);
      }
    }
    if (!s.has(base + ".min") || !s.has(base + ".max")) {
      throw fail(base + (s.has(base + ".min") ? ".max" : ".min"),
                 fmt::format("lever '{}' needs both bounds, min and max", lever.key));
    }
    lever.integer = ks->kind == scenario::ValueKind::integer;
    lever.min = s.get_real(base + ".min");
    lever.max = s.get_real(base + ".max");
    if (lever.integer && (lever.min != std::round(lever.min) || lever.max != std::round(lever.max))) {
      throw fail(base + ".min", fmt::format("lever '{}' takes whole values (years): give whole bounds, got {} .. {}",
                                            lever.key, number_text(lever.min), number_text(lever.max)));
    }
    if (!(lever.min < lever.max)) {
      throw fail(base + ".max", fmt::format("lever '{}': bounds reversed or empty, min {} is not below max {}",
                                            lever.key, number_text(lever.min), number_text(lever.max)));
    }
    if (lever.min < ks->info.min || lever.max > ks->info.max) {
      throw fail(base + ".min", fmt::format("lever '{}': bounds {} .. {} leave the key's range {} .. {}", lever.key,
                                            number_text(lever.min), number_text(lever.max),
                                            number_text(ks->info.min), number_text(ks->info.max)));
    }
    lever.balance = s.get_text_list(base + ".balance");
    if (!lever.balance.empty()) {
      if (!s.has(lever.key)) {
        throw fail(base + ".balance",
                   fmt::format("lever '{}' has balance keys but no value in the scenario to balance from", lever.key));
      }
      double sum = 0.0;
      for (const auto& b : lever.balance) {
        const scenario::KeySpec* bs = schema.find(b);
        if (bs == nullptr || bs->kind != scenario::ValueKind::real || !s.has(b) || b == lever.key) {
          throw fail(base + ".balance",
                     fmt::format("balance key '{}' of lever '{}' must be another number the scenario sets", b,
                                 lever.key));
        }
        sum += s.get_real(b);
      }
      const double given = s.get_real(lever.key);
      if (lever.max - given > sum * (1.0 + 1e-12)) {
        throw fail(base + ".max",
                   fmt::format("lever '{}': max {} would take more than the balance keys hold ({} + {} = {})",
                               lever.key, number_text(lever.max), number_text(given), number_text(sum),
                               number_text(given + sum)));
      }
      if (sum <= 0.0) {
        throw fail(base + ".balance", fmt::format("the balance keys of lever '{}' sum to 0: nothing to take from "
                                                  "or give to in proportion",
                                                  lever.key));
      }
    }
    spec.levers.push_back(std::move(lever));
  }

  const auto query = [&](const std::string& base) {
    if (!s.has(base + ".indicator")) throw fail(base, "needs indicator = \"<indicator id>\" (indicators.csv)");
    pipeline::IndicatorQuery q;
    q.id = s.get_text(base + ".indicator");
    q.year = s.has(base + ".year") ? static_cast<int>(s.get_int(base + ".year")) : 0;
    q.where = s.context(base + ".indicator");
    return q;
  };
  for (std::size_t i = 0; i < s.array_size("optimize.objectives"); ++i) {
    const std::string base = fmt::format("optimize.objectives[{}]", i);
    Objective o;
    o.indicator = query(base);
    if (!s.has(base + ".direction")) throw fail(base, "an objective needs direction = \"min\" or \"max\"");
    o.maximise = s.get_text(base + ".direction") == "max";
    spec.objectives.push_back(std::move(o));
  }
  if (spec.objectives.size() < 2) {
    throw fail("optimize.objectives",
               "the plan search trades objectives off: give at least two [[optimize.objectives]] (a single goal is a "
               "constraint or a calibration)");
  }
  for (std::size_t i = 0; i < s.array_size("optimize.constraints"); ++i) {
    const std::string base = fmt::format("optimize.constraints[{}]", i);
    Constraint c;
    c.indicator = query(base);
    if (s.has(base + ".min")) c.min = s.get_real(base + ".min");
    if (s.has(base + ".max")) c.max = s.get_real(base + ".max");
    if (!c.min && !c.max) throw fail(base, "a constraint needs min, max or both");
    if (c.min && c.max && *c.min > *c.max) {
      throw fail(base + ".max", fmt::format("constraint on '{}': min {} is above max {}", c.indicator.id,
                                            number_text(*c.min), number_text(*c.max)));
    }
    spec.constraints.push_back(std::move(c));
  }
  const auto column = [&](const pipeline::IndicatorQuery& q) {
    for (std::size_t k = 0; k < spec.indicators.size(); ++k) {
      if (spec.indicators[k].id == q.id && spec.indicators[k].year == q.year) return k;
    }
    spec.indicators.push_back(q);
    return spec.indicators.size() - 1;
  };
  for (auto& o : spec.objectives) o.column = column(o.indicator);
  for (auto& c : spec.constraints) c.column = column(c.indicator);
  return spec;
}

scenario::Scenario scenario_with(const scenario::Scenario& base, const OptimizeSpec& spec,
                                 const std::vector<double>& levers) {
  scenario::Scenario s = base;
  for (std::size_t l = 0; l < spec.levers.size() && l < levers.size(); ++l) {
    const Lever& lever = spec.levers[l];
    const double v = levers[l];
    if (!lever.balance.empty()) {
      double sum = 0.0;
      for (const auto& b : lever.balance) sum += s.get_real(b);
      const double given = s.get_real(lever.key);
      const double scale = (sum - (v - given)) / sum;
      for (const auto& b : lever.balance) s.set(b, std::max(0.0, s.get_real(b) * scale));
    }
    if (lever.integer) {
      s.set(lever.key, static_cast<std::int64_t>(std::llround(v)));
    } else {
      s.set(lever.key, v);
    }
  }
  return s;
}

OptimizeResult optimize_scenario(const scenario::Scenario& scenario, const OptimizeOptions& options,
                                 const Progress& progress) {
  scenario::Scenario s = scenario.with_absolute_paths();
  if (options.seed) s.set("seed", static_cast<std::int64_t>(*options.seed));
  if (options.threads) s.set("threads", static_cast<std::int64_t>(*options.threads));
  if (options.generations) s.set("optimize.generations", static_cast<std::int64_t>(*options.generations));
  if (options.population) s.set("optimize.population", static_cast<std::int64_t>(*options.population));
  if (options.runs) s.set("optimize.runs", static_cast<std::int64_t>(*options.runs));
  if (options.algorithm) s.set("optimize.algorithm", *options.algorithm);
  OptimizeResult result{s, optimize_spec(s), {}, {}, {}, 0, {}, {}, {}};
  const OptimizeSpec& spec = result.spec;
  const int threads = spec.threads > 0 ? spec.threads : tbb::info::default_concurrency();

  // The study, once; years.start from it when the scenario leaves it to the maps.
  progress.check(0.0, "loading the study");
  auto input = std::make_shared<const pipeline::StudyInput>(pipeline::load_study(s, progress.sub(0.0, 0.04)));
  if (!s.has("years.start")) {
    s.set("years.start", static_cast<std::int64_t>(input->study.start_year));
    result.scenario = s;
  }
  Evaluator evaluator(result.scenario, spec, progress);
  evaluator.set_study(input);

  // The scenario as it is: the reference point, and a check of every indicator id before the search.
  progress.check(0.04, "evaluating the scenario's own setting");
  {
    std::vector<double> own;
    for (const auto& l : spec.levers) own.push_back(s.has(l.key) ? s.get_real(l.key) : nan);
    const pipeline::MeasuredRuns m = evaluator.measure(result.scenario, threads, spec.maps > 0);
    result.start = solution_of(spec, own, m);
    result.problems = m.problems;
    result.start_map = Evaluator::percent_map(m);
  }
  result.map_year = static_cast<int>(result.scenario.get_int("years.end"));
  result.plan = input->plan;

  SearchProblem problem;
  for (const auto& l : spec.levers) {
    problem.lower.push_back(l.min);
    problem.upper.push_back(l.max);
    problem.integer.push_back(l.integer);
  }
  problem.objectives = static_cast<int>(spec.objectives.size());
  std::vector<Solution> solutions;  // parallel to the search's archive
  problem.evaluate = [&](const std::vector<std::vector<double>>& points) {
    std::vector<Solution> batch = options.evaluate
                                      ? evaluated_elsewhere(options.evaluate, result.scenario, spec, points)
                                      : evaluator.evaluate(points, threads);
    std::vector<Evaluation> out;
    for (auto& sol : batch) {
      Evaluation e;
      for (std::size_t o = 0; o < spec.objectives.size(); ++o) {
        const double v = std::isfinite(sol.mean[spec.objectives[o].column]) ? sol.mean[spec.objectives[o].column] : 0.0;
        e.objectives.push_back(spec.objectives[o].maximise ? -v : v);
      }
      e.violation = sol.violation;
      out.push_back(std::move(e));
      solutions.push_back(std::move(sol));
    }
    return out;
  };
  const double searched = spec.maps > 0 ? 0.95 : 1.0;
  const SearchResult found = search(problem, spec.search, progress.sub(0.05, searched));
  result.history = found.history;
  result.evaluations = static_cast<int>(found.points.size());
  result.ideal = found.ideal;
  result.nadir = found.nadir;
  for (std::size_t i : found.front) result.front.push_back(solutions[i]);

  if (result.front.empty()) {
    // No setting met the constraints: name them and show the closest settings.
    std::vector<std::size_t> order(solutions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return solutions[a].violation < solutions[b].violation; });
    std::string closest;
    for (std::size_t k = 0; k < std::min<std::size_t>(3, order.size()); ++k) {
      closest += "\n  " + setting_text(spec, solutions[order[k]]);
    }
    std::string bounds;
    for (const auto& c : spec.constraints) {
      bounds += fmt::format("{}{}{}{}", bounds.empty() ? "" : ", ", column_of(c.indicator),
                            c.min ? fmt::format(" >= {}", number_text(*c.min)) : std::string(),
                            c.max ? fmt::format(" <= {}", number_text(*c.max)) : std::string());
    }
    const Context where = spec.constraints.empty() ? spec.objectives.front().indicator.where
                                                   : spec.constraints.front().indicator.where;
    throw Error(ErrorCode::config,
                fmt::format("none of the {} lever settings evaluated meets the constraints ({}){}; the closest:{}",
                            solutions.size(), bounds,
                            spec.constraints.empty() ? " - every evaluation lacks an objective's value" : "", closest),
                where);
  }

  // The maps of the solutions the report shows, evaluated once more (same seed, same values) keeping them.
  if (spec.maps > 0) {
    progress.check(searched, "maps of the front's solutions");
    const std::vector<std::size_t> chosen = map_indices(result.front.size(), static_cast<std::size_t>(spec.maps));
    std::vector<std::vector<double>> settings;
    for (std::size_t i : chosen) settings.push_back(result.front[i].levers);
    std::vector<grid::Grid<std::uint8_t>> maps = evaluator.maps(settings, threads);
    for (std::size_t k = 0; k < chosen.size(); ++k) {
      if (maps[k].size() > 0) result.maps.push_back({chosen[k], std::move(maps[k])});
    }
  }
  progress.check(1.0, "searched");
  return result;
}

std::vector<std::size_t> map_indices(std::size_t n, std::size_t max_maps) {
  std::vector<std::size_t> out;
  const bool all = n <= max_maps;
  for (std::size_t k = 0; k < (all ? n : max_maps); ++k) {
    out.push_back(all ? k : (max_maps == 1 ? 0 : k * (n - 1) / (max_maps - 1)));
  }
  return out;
}

std::string solution_name(std::size_t i) { return fmt::format("solution_{:02}", i + 1); }

std::vector<std::string> lever_columns(const OptimizeSpec& spec) {
  std::vector<std::string> out;
  for (const auto& l : spec.levers) out.push_back(l.key);
  return out;
}

std::vector<std::string> indicator_columns(const OptimizeSpec& spec) {
  std::vector<std::string> out;
  for (const auto& q : spec.indicators) out.push_back(column_of(q));
  return out;
}

std::string column_role(const OptimizeSpec& spec, std::size_t column) {
  std::string out;
  for (const auto& o : spec.objectives) {
    if (o.column == column) out += o.maximise ? "max" : "min";
  }
  for (const auto& c : spec.constraints) {
    if (c.column != column) continue;
    if (c.min) out += (out.empty() ? "" : ", ") + ("≥ " + number_text(*c.min));
    if (c.max) out += (out.empty() ? "" : ", ") + ("≤ " + number_text(*c.max));
  }
  return out;
}

namespace {


std::vector<std::string> csv_header(const OptimizeSpec& spec) {
  std::vector<std::string> h{"solution"};
  for (const auto& l : lever_columns(spec)) h.push_back(l);
  for (const auto& c : indicator_columns(spec)) {
    h.push_back(c + "_mean");
    h.push_back(c + "_sd");
  }
  h.push_back("feasible");
  return h;
}

std::string join_row(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) line += (i == 0 ? "" : ",") + io::csv_cell(cells[i]);
  return line + "\n";
}

std::string toml_key(std::string_view key) {
  std::string out;
  for (const auto part : scenario::split_key(key)) {
    const bool bare = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!out.empty()) out += '.';
    out += bare ? std::string(part) : "\"" + std::string(part) + "\"";
  }
  return out;
}

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string toml_number(double v, bool integer) {
  if (integer) return fmt::format("{}", std::llround(v));
  std::string t = number_text(v);
  if (t.find_first_of(".eE") == std::string::npos) t += ".0";
  return t;
}

}  // namespace

std::string pareto_csv(const OptimizeResult& result) {
  std::string out = join_row(csv_header(result.spec));
  for (std::size_t i = 0; i < result.front.size(); ++i) {
    const Solution& s = result.front[i];
    std::vector<std::string> row{solution_name(i)};
    for (double v : s.levers) row.push_back(number_text(v));
    for (std::size_t k = 0; k < s.mean.size(); ++k) {
      row.push_back(number_text(s.mean[k]));
      row.push_back(number_text(s.sd[k]));
    }
    row.push_back(s.feasible ? "1" : "0");
    out += join_row(row);
  }
  return out;
}

std::string history_csv(const OptimizeResult& result) {
  std::string out = "generation,evaluations,front_size,hypervolume\n";
  for (const auto& g : result.history) {
    out += fmt::format("{},{},{},{}\n", g.generation, g.evaluations, g.front_size, number_text(g.hypervolume));
  }
  return out;
}

std::string solution_toml(const OptimizeResult& result, std::size_t i, const fs::path& folder) {
  const OptimizeSpec& spec = result.spec;
  const Solution& sol = result.front.at(i);
  const scenario::Scenario& s = result.scenario;
  // Relative when both lie in the same top folder (a project moved as a whole keeps working), else absolute.
  const fs::path original = fs::absolute(s.path()).lexically_normal();
  const fs::path here = fs::absolute(folder).lexically_normal();
  const fs::path relative = original.lexically_relative(here);
  const auto top = [](const fs::path& p) { return std::next(p.begin()) != p.end() ? *std::next(p.begin()) : fs::path(); };
  const bool near = !relative.empty() && top(original) == top(here);
  const std::string extends = near ? relative.generic_string() : original.generic_string();
  std::string out = fmt::format("# Pareto solution {} of {} found by `parksim optimize` on {} ({}, seed {}, {} "
                                "run(s) per evaluation).\n",
                                i + 1, result.front.size(), s.path().filename().string(),
                                to_string(spec.search.algorithm), spec.search.seed, spec.runs);
  const auto columns = indicator_columns(spec);
  for (std::size_t k = 0; k < columns.size(); ++k) {
    out += fmt::format("#   {} ({}): mean {}{}\n", columns[k], column_role(spec, k), number_text(sol.mean[k]),
                       std::isfinite(sol.sd[k]) ? ", sd " + number_text(sol.sd[k]) : std::string());
  }
  out += "# The scenario it extends, with these lever values (and the keys that balance them):\n";
  out += "extends = " + toml_string(extends) + "\n";
  out += "name = " + toml_string(fmt::format("{}-{}", s.name(), solution_name(i))) + "\n";
  // The seed and the runs of the search's evaluations, so that `parksim run` measures what the search measured.
  out += fmt::format("seed = {}\nruns = {}\n", spec.search.seed, spec.runs);
  const scenario::Scenario set = scenario_with(s, spec, sol.levers);
  std::vector<std::pair<std::string, bool>> keys;
  for (const auto& l : spec.levers) {
    for (const auto& b : l.balance) keys.emplace_back(b, false);
    keys.emplace_back(l.key, l.integer);
  }
  std::vector<std::string> written;
  for (const auto& [key, integer] : keys) {
    if (std::find(written.begin(), written.end(), key) != written.end()) continue;
    written.push_back(key);
    out += toml_key(key) + " = " + toml_number(integer ? static_cast<double>(set.get_int(key)) : set.get_real(key),
                                               integer) + "\n";
  }
  return out;
}

void write_optimize(const OptimizeResult& result, const fs::path& dir, bool overwrite) {
  std::error_code ec;
  if (const fs::path parent = fs::absolute(dir).parent_path(); !parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) throw Error(ErrorCode::output, "cannot create the folder: " + ec.message(), Context{.path = parent.string()});
  }
  io::AtomicOutput output(dir, io::AtomicOutput::Kind::directory, overwrite);
  const fs::path tmp = output.temp_path();
  const OptimizeSpec& spec = result.spec;
  io::atomic_write_text(tmp / "pareto.csv", pareto_csv(result), true);
  io::atomic_write_text(tmp / "history.csv", history_csv(result), true);

  io::Layer table;
  table.name = "pareto";
  table.geometry_type = io::GeometryType::none;
  table.fields.push_back({"solution", io::FieldType::string, "方案", "Pareto solution", ""});
  for (const auto& l : lever_columns(spec)) table.fields.push_back({l, io::FieldType::real, "", "lever", ""});
  for (const auto& c : indicator_columns(spec)) {
    table.fields.push_back({c + "_mean", io::FieldType::real, "", "ensemble mean", ""});
    table.fields.push_back({c + "_sd", io::FieldType::real, "", "ensemble standard deviation", ""});
  }
  table.fields.push_back({"feasible", io::FieldType::integer, "", "meets every constraint", ""});
  for (std::size_t i = 0; i < result.front.size(); ++i) {
    const Solution& s = result.front[i];
    io::Feature f;
    f.fid = static_cast<std::int64_t>(i + 1);
    f.values.emplace_back(solution_name(i));
    for (double v : s.levers) f.values.emplace_back(v);
    for (std::size_t k = 0; k < s.mean.size(); ++k) {
      f.values.push_back(std::isfinite(s.mean[k]) ? io::Value(s.mean[k]) : io::Value());
      f.values.push_back(std::isfinite(s.sd[k]) ? io::Value(s.sd[k]) : io::Value());
    }
    f.values.emplace_back(static_cast<std::int64_t>(s.feasible ? 1 : 0));
    table.features.push_back(std::move(f));
  }
  io::Layer history;
  history.name = "history";
  history.geometry_type = io::GeometryType::none;
  history.fields = {{"generation", io::FieldType::integer, "", "", ""},
                    {"evaluations", io::FieldType::integer, "", "", ""},
                    {"front_size", io::FieldType::integer, "", "", ""},
                    {"hypervolume", io::FieldType::real, "", "", ""}};
  for (const auto& g : result.history) {
    io::Feature f;
    f.fid = g.generation + 1;
    f.values = {io::Value(static_cast<std::int64_t>(g.generation)), io::Value(static_cast<std::int64_t>(g.evaluations)),
                io::Value(static_cast<std::int64_t>(g.front_size)), io::Value(g.hypervolume)};
    history.features.push_back(std::move(f));
  }
  const std::vector<io::Layer> layers{table, history};
  io::write_gpkg(tmp / "pareto.gpkg", layers);

  fs::create_directories(tmp / "solutions", ec);
  if (ec) throw Error(ErrorCode::output, "cannot create the folder: " + ec.message(), Context{.path = tmp.string()});
  // The solutions are written for their final place: `extends` relative to dir/solutions.
  for (std::size_t i = 0; i < result.front.size(); ++i) {
    io::atomic_write_text(tmp / "solutions" / (solution_name(i) + ".toml"),
                          solution_toml(result, i, fs::absolute(dir) / "solutions"), true);
  }

  report::FrontPage page;
  page.scenario_name = result.scenario.name();
  page.question = result.scenario.get_text("question");
  page.algorithm = std::string(to_string(spec.search.algorithm));
  page.seed = spec.search.seed;
  page.runs = spec.runs;
  page.population = spec.search.population;
  page.generations = spec.search.generations;
  page.evaluations = result.evaluations;
  page.levers = lever_columns(spec);
  const auto columns = indicator_columns(spec);
  for (std::size_t k = 0; k < columns.size(); ++k) page.indicators.push_back({columns[k], column_role(spec, k)});
  for (std::size_t i = 0; i < result.front.size(); ++i) {
    const Solution& s = result.front[i];
    page.front.push_back({solution_name(i), s.levers, s.mean, s.sd});
  }
  page.start = {"scenario", result.start.levers, result.start.mean, result.start.sd};
  for (const auto& g : result.history) {
    page.generation.push_back(g.generation);
    page.evaluations_by_generation.push_back(g.evaluations);
    page.hypervolume.push_back(g.hypervolume);
  }
  page.notes.push_back("For the full report of a setting (land use by year, zones, allocation, indicators), run its "
                       "scenario file with `parksim run`.");
  for (const auto& m : result.maps) page.maps.push_back({solution_name(m.solution), m.developed_pct});
  if (!page.maps.empty() && result.start_map.size() > 0) page.maps.push_back({"scenario", result.start_map});
  page.map_year = result.map_year;
  page.plan = &result.plan;
  fs::create_directories(tmp / "report", ec);
  if (ec) throw Error(ErrorCode::output, "cannot create the folder: " + ec.message(), Context{.path = tmp.string()});
  io::atomic_write_text(tmp / "report" / "index.html", report::front_html(page), true);
  output.commit();
}

std::string front_table(const OptimizeResult& result, std::size_t max_rows) {
  const OptimizeSpec& spec = result.spec;
  std::vector<std::string> head{"solution"};
  for (const auto& l : lever_columns(spec)) head.push_back(l);
  const auto columns = indicator_columns(spec);
  for (std::size_t k = 0; k < columns.size(); ++k) head.push_back(columns[k] + " (" + column_role(spec, k) + ")");
  std::vector<std::vector<std::string>> rows{head};
  const auto add = [&](const std::string& name, const Solution& s) {
    std::vector<std::string> row{name};
    for (std::size_t l = 0; l < s.levers.size(); ++l) {
      row.push_back(!std::isfinite(s.levers[l]) ? "-"
                    : spec.levers[l].integer   ? fmt::format("{:.0f}", s.levers[l])
                                               : fmt::format("{:.4g}", s.levers[l]));
    }
    for (std::size_t k = 0; k < s.mean.size(); ++k) {
      std::string cell = std::isfinite(s.mean[k]) ? fmt::format("{:.4g}", s.mean[k]) : "n/a";
      if (std::isfinite(s.sd[k])) cell += fmt::format(" ± {:.2g}", s.sd[k]);
      row.push_back(cell);
    }
    rows.push_back(std::move(row));
  };
  const std::size_t n = result.front.size();
  const bool all = max_rows == 0 || n <= max_rows;
  const std::vector<std::size_t> shown = map_indices(n, max_rows == 0 ? n : max_rows);
  for (std::size_t i : shown) add(solution_name(i), result.front[i]);
  add("(scenario)", result.start);
  // Widths in characters (fmt pads UTF-8 text such as "≥" by characters, not bytes).
  const auto characters = [](const std::string& t) {
    return static_cast<std::size_t>(std::count_if(t.begin(), t.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
  };
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], characters(r[c]));
  }
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) {
      out += fmt::format("{}{:<{}}", c == 0 ? "" : "  ", r[c], c + 1 == r.size() ? 0 : width[c]);
    }
    out += "\n";
  }
  if (!all) out += fmt::format("({} of the {} solutions shown, spread over the front; all in pareto.csv)\n", shown.size(), n);
  return out;
}

}  // namespace parksim::optimize
