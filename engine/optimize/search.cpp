#include "optimize/search.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <utility>

#include <fmt/format.h>
#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/moead.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/batch_evaluators/member_bfe.hpp>
#include <pagmo/bfe.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/utils/hypervolume.hpp>

#include "core/error.hpp"

namespace parksim::optimize {

std::string_view to_string(Algorithm algorithm) noexcept {
  return algorithm == Algorithm::moead ? "moead" : "nsga2";
}

namespace {

// What an infeasible point scores on every objective: above any feasible value, and ordered by its violation, so
// that both algorithms prefer feasible points and, among infeasible ones, those closer to feasibility.
constexpr double infeasible_base = 1e20;

// The archive and the evaluation function, shared by the copies pagmo makes of the problem.
struct State {
  const SearchProblem* problem = nullptr;
  /// Variable i of pagmo's vectors is variable order[i] of the problem (pagmo wants integer variables last).
  std::vector<std::size_t> order;
  std::vector<std::vector<double>> points;
  std::vector<Evaluation> evaluations;
  std::map<std::vector<double>, std::size_t> index;  // point -> archive index (lookups only: order never leaks)

  // pagmo's vector (internal order) as a problem point (problem order), integers rounded.
  std::vector<double> point_of(const double* x) const {
    std::vector<double> p(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      double v = x[i];
      const std::size_t j = order[i];
      if (problem->integer[j]) v = std::round(v);
      p[j] = std::clamp(v, problem->lower[j], problem->upper[j]);
    }
    return p;
  }

  pagmo::vector_double fitness_of(std::size_t archived) const {
    const Evaluation& e = evaluations[archived];
    if (e.violation <= 0.0) return e.objectives;
    return pagmo::vector_double(e.objectives.size(), infeasible_base * (1.0 + e.violation));
  }

  // Fitness of `n` points packed in `xs` (pagmo's batch layout), evaluating the ones not seen before in one batch.
  pagmo::vector_double batch(const pagmo::vector_double& xs) {
    const std::size_t dim = order.size();
    const std::size_t n = dim == 0 ? 0 : xs.size() / dim;
    std::vector<std::vector<double>> wanted(n);
    std::vector<std::vector<double>> fresh;
    std::map<std::vector<double>, std::size_t> fresh_index;
    for (std::size_t i = 0; i < n; ++i) {
      wanted[i] = point_of(xs.data() + i * dim);
      if (index.count(wanted[i]) == 0 && fresh_index.count(wanted[i]) == 0) {
        fresh_index.emplace(wanted[i], fresh.size());
        fresh.push_back(wanted[i]);
      }
    }
    if (!fresh.empty()) {
      std::vector<Evaluation> scored = problem->evaluate(fresh);
      if (scored.size() != fresh.size()) {
        throw Error(ErrorCode::internal, "the evaluation returned a different number of results than points");
      }
      for (std::size_t k = 0; k < fresh.size(); ++k) {
        const Evaluation& e = scored[k];
        if (e.objectives.size() != static_cast<std::size_t>(problem->objectives) ||
            std::any_of(e.objectives.begin(), e.objectives.end(), [](double v) { return !std::isfinite(v); }) ||
            !std::isfinite(e.violation) || e.violation < 0.0) {
          throw Error(ErrorCode::internal, "an evaluation returned a non-finite objective or violation");
        }
        index.emplace(fresh[k], points.size());
        points.push_back(fresh[k]);
        evaluations.push_back(e);
      }
    }
    pagmo::vector_double out;
    out.reserve(n * static_cast<std::size_t>(problem->objectives));
    for (const auto& p : wanted) {
      const auto f = fitness_of(index.at(p));
      out.insert(out.end(), f.begin(), f.end());
    }
    return out;
  }
};

// The pagmo user-defined problem: a thin handle on the shared State.
struct PagmoProblem {
  std::shared_ptr<State> state;
  std::size_t integers = 0;  // declared to pagmo (NSGA-II); MOEA/D sees none and the State rounds

  pagmo::vector_double fitness(const pagmo::vector_double& x) const { return state->batch(x); }
  pagmo::vector_double batch_fitness(const pagmo::vector_double& xs) const { return state->batch(xs); }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
    pagmo::vector_double lo, hi;
    for (std::size_t j : state->order) {
      lo.push_back(state->problem->lower[j]);
      hi.push_back(state->problem->upper[j]);
    }
    return {lo, hi};
  }
  pagmo::vector_double::size_type get_nobj() const {
    return static_cast<pagmo::vector_double::size_type>(state->problem->objectives);
  }
  pagmo::vector_double::size_type get_nix() const { return integers; }
  // Evaluations run on the search's thread; any parallelism is the evaluation function's own.
  pagmo::thread_safety get_thread_safety() const { return pagmo::thread_safety::none; }
  std::string get_name() const { return "parksim plan search"; }
};

unsigned pagmo_seed(std::uint64_t seed, std::uint64_t purpose) {
  // splitmix64 of (seed, purpose): a different 32-bit stream per purpose, from every bit of the seed.
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (purpose + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<unsigned>(z & 0xFFFFFFFFULL);
}

void check(const SearchProblem& problem, const SearchOptions& options) {
  const std::size_t dim = problem.lower.size();
  if (dim == 0 || problem.upper.size() != dim || problem.integer.size() != dim || !problem.evaluate) {
    throw Error(ErrorCode::config, "the search needs at least one variable with bounds");
  }
  for (std::size_t j = 0; j < dim; ++j) {
    if (!(problem.lower[j] < problem.upper[j]) || !std::isfinite(problem.lower[j]) ||
        !std::isfinite(problem.upper[j])) {
      throw Error(ErrorCode::config, fmt::format("variable {}: the lower bound {} is not below the upper bound {}",
                                                 j + 1, problem.lower[j], problem.upper[j]));
    }
  }
  if (problem.objectives < 2) {
    throw Error(ErrorCode::config,
                fmt::format("the search needs at least two objectives, got {}", problem.objectives));
  }
  if (options.generations < 1) throw Error(ErrorCode::config, "the search needs at least one generation");
  if (options.algorithm == Algorithm::nsga2 && (options.population < 8 || options.population % 4 != 0)) {
    throw Error(ErrorCode::config,
                fmt::format("NSGA-II needs a population that is a multiple of 4 and at least 8, got {}",
                            options.population));
  }
  if (options.algorithm == Algorithm::moead && options.population < 2 * problem.objectives) {
    throw Error(ErrorCode::config, fmt::format("MOEA/D needs a population of at least {} (2 x objectives), got {}",
                                               2 * problem.objectives, options.population));
  }
}

}  // namespace

std::vector<std::size_t> non_dominated(const std::vector<std::vector<double>>& objectives) {
  std::vector<std::size_t> out;
  const std::size_t n = objectives.size();
  for (std::size_t i = 0; i < n; ++i) {
    bool dominated = false;
    for (std::size_t k = 0; k < n && !dominated; ++k) {
      if (k == i) continue;
      const auto& a = objectives[k];
      const auto& b = objectives[i];
      bool no_worse = true, better = false;
      for (std::size_t m = 0; m < a.size(); ++m) {
        no_worse = no_worse && a[m] <= b[m];
        better = better || a[m] < b[m];
      }
      // Equal points: the first one stands for them.
      dominated = no_worse && (better || k < i);
    }
    if (!dominated) out.push_back(i);
  }
  return out;
}

double hypervolume(const std::vector<std::vector<double>>& points, const std::vector<double>& reference) {
  // A point not below the reference on every axis adds no volume (and pagmo refuses it).
  std::vector<std::vector<double>> inside;
  for (const auto& p : points) {
    bool below = p.size() == reference.size();
    for (std::size_t m = 0; m < p.size() && below; ++m) below = p[m] < reference[m];
    if (below) inside.push_back(p);
  }
  if (inside.empty()) return 0.0;
  pagmo::hypervolume hv(inside, true);
  return hv.compute(reference);
}

SearchResult search(const SearchProblem& problem, const SearchOptions& options, const Progress& progress) {
  check(problem, options);
  const std::size_t dim = problem.lower.size();
  auto state = std::make_shared<State>();
  state->problem = &problem;
  for (std::size_t j = 0; j < dim; ++j) {
    if (!problem.integer[j]) state->order.push_back(j);
  }
  for (std::size_t j = 0; j < dim; ++j) {
    if (problem.integer[j]) state->order.push_back(j);
  }
  PagmoProblem udp{state, 0};
  if (options.algorithm == Algorithm::nsga2) {
    udp.integers = static_cast<std::size_t>(std::count(problem.integer.begin(), problem.integer.end(), true));
  }
  const pagmo::problem prob(udp);
  const pagmo::bfe batch{pagmo::member_bfe{}};
  const auto population_size = static_cast<pagmo::population::size_type>(options.population);
  const unsigned generations = static_cast<unsigned>(options.generations);

  std::vector<std::size_t> archived_after;  // archive size after each generation
  progress.check(0.0, "initial population");
  pagmo::population pop(prob, batch, population_size, pagmo_seed(options.seed, 0));
  archived_after.push_back(state->points.size());
  const auto report = [&](unsigned g) {
    progress.check(static_cast<double>(g + 1) / static_cast<double>(generations + 1),
                   fmt::format("generation {} of {}: {} evaluations", g, generations, state->points.size()));
  };
  report(0);
  try {
    if (options.algorithm == Algorithm::nsga2) {
      const double mutation = 1.0 / static_cast<double>(dim);
      pagmo::nsga2 nsga2(1u, 0.95, 20.0, mutation, 20.0, pagmo_seed(options.seed, 1));
      nsga2.set_bfe(batch);
      for (unsigned g = 1; g <= generations; ++g) {
        pop = nsga2.evolve(pop);
        archived_after.push_back(state->points.size());
        report(g);
      }
    } else {
      const auto neighbours = std::min<pagmo::population::size_type>(20u, population_size - 1);
      const std::string weights = problem.objectives == 2 ? "grid" : "low discrepancy";
      pagmo::moead moead(1u, weights, "tchebycheff", neighbours, 1.0, 0.5, 20.0, 0.9, 2u, true,
                         pagmo_seed(options.seed, 2));
      for (unsigned g = 1; g <= generations; ++g) {
        pop = moead.evolve(pop);
        archived_after.push_back(state->points.size());
        report(g);
      }
    }
  } catch (const Error&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw Error(ErrorCode::config, fmt::format("the search cannot run: {}", e.what()));
  }

  SearchResult out;
  out.points = state->points;
  out.evaluations = state->evaluations;
  const auto M = static_cast<std::size_t>(problem.objectives);
  std::vector<std::size_t> feasible;
  for (std::size_t i = 0; i < out.points.size(); ++i) {
    if (out.evaluations[i].violation <= 0.0) feasible.push_back(i);
  }
  if (!feasible.empty()) {
    out.ideal.assign(M, std::numeric_limits<double>::infinity());
    out.nadir.assign(M, -std::numeric_limits<double>::infinity());
    for (std::size_t i : feasible) {
      for (std::size_t m = 0; m < M; ++m) {
        out.ideal[m] = std::min(out.ideal[m], out.evaluations[i].objectives[m]);
        out.nadir[m] = std::max(out.nadir[m], out.evaluations[i].objectives[m]);
      }
    }
  }
  const std::vector<double> reference(M, 1.1);
  const auto front_of = [&](std::size_t archived) {
    std::vector<std::size_t> ids;
    std::vector<std::vector<double>> objs;
    for (std::size_t i : feasible) {
      if (i >= archived) break;
      ids.push_back(i);
      objs.push_back(out.evaluations[i].objectives);
    }
    std::vector<std::size_t> front;
    for (std::size_t k : non_dominated(objs)) front.push_back(ids[k]);
    return front;
  };
  for (std::size_t g = 0; g < archived_after.size(); ++g) {
    const auto front = front_of(archived_after[g]);
    std::vector<std::vector<double>> scaled;
    for (std::size_t i : front) {
      std::vector<double> s(M);
      for (std::size_t m = 0; m < M; ++m) {
        const double span = out.nadir[m] - out.ideal[m];
        s[m] = (out.evaluations[i].objectives[m] - out.ideal[m]) / (span > 0.0 ? span : 1.0);
      }
      scaled.push_back(std::move(s));
    }
    out.history.push_back({static_cast<int>(g), static_cast<int>(archived_after[g]), static_cast<int>(front.size()),
                           hypervolume(scaled, reference)});
  }
  out.front = front_of(out.points.size());
  std::sort(out.front.begin(), out.front.end(), [&](std::size_t a, std::size_t b) {
    const auto& fa = out.evaluations[a].objectives;
    const auto& fb = out.evaluations[b].objectives;
    if (fa != fb) return fa < fb;
    return a < b;
  });
  return out;
}

}  // namespace parksim::optimize
