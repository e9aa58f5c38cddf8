#pragma once
// The multi-objective search of the plan search (optimize.hpp), independent of simulations: a box-bounded problem
// whose points are evaluated in batches by a caller-supplied function, explored with pagmo2's NSGA-II or MOEA/D.
// Every evaluated point is kept (an archive); the result's front is the archive's non-dominated feasible points, and
// the hypervolume of that front is recorded after each generation.
//
// Determinism: the points pagmo proposes depend only on the seed and the fitness values, and batches are evaluated
// by index, so the same seed and the same evaluation function give the same result at any thread count.
// Thread-safety: search() may run concurrently with other searches; `evaluate` is called from search()'s thread.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/progress.hpp"

namespace parksim::optimize {

enum class Algorithm { nsga2, moead };

/// "nsga2" / "moead".
std::string_view to_string(Algorithm algorithm) noexcept;

/// What one point scored: objectives (all minimised) and how far it is from meeting the constraints.
struct Evaluation {
  std::vector<double> objectives;  ///< finite, minimised
  double violation = 0.0;          ///< 0 = every constraint met; > 0 = the (scaled) sum of their violations
};

/// A box-bounded multi-objective minimisation problem.
struct SearchProblem {
  std::vector<double> lower, upper;  ///< bounds of each variable, lower < upper
  std::vector<bool> integer;         ///< per variable: integer values only (rounded to the nearest integer)
  int objectives = 2;                ///< number of objectives, >= 2
  /// Evaluates a batch of points (one Evaluation each, in order). Must depend only on the points (it may use
  /// threads inside). Exceptions propagate out of search().
  std::function<std::vector<Evaluation>(const std::vector<std::vector<double>>& points)> evaluate;
};

/// DEFAULTs as given.
struct SearchOptions {
  Algorithm algorithm = Algorithm::nsga2;
  int population = 24;      ///< NSGA-II: a multiple of 4, >= 8; MOEA/D: >= 2 x objectives
  int generations = 10;     ///< generations after the initial population (>= 1)
  std::uint64_t seed = 1;   ///< the algorithm's random stream (pagmo takes 32 bits of it, mixed from all 64)
};

/// One generation's summary.
struct Generation {
  int generation = 0;        ///< 0 = the initial population
  int evaluations = 0;       ///< distinct points evaluated so far
  int front_size = 0;        ///< non-dominated feasible points so far
  double hypervolume = 0.0;  ///< of those, normalised (see SearchResult::ideal)
};

struct SearchResult {
  /// Every distinct point evaluated, in evaluation order (integer variables rounded), with its evaluation.
  std::vector<std::vector<double>> points;
  std::vector<Evaluation> evaluations;
  /// Indices (into points) of the non-dominated feasible points, ordered by the first objective, then the next.
  std::vector<std::size_t> front;
  std::vector<Generation> history;  ///< generations 0 .. generations
  /// Normalisation of the hypervolume: each objective scaled to (f - ideal) / (nadir - ideal) (a span of 0 counts
  /// as 1), ideal and nadir the best and worst values over all feasible points evaluated; reference point 1.1 on
  /// every axis. Empty when no point is feasible.
  std::vector<double> ideal, nadir;
};

/// Runs the search. Throws Error(config) for a problem or options pagmo cannot take (population, bounds),
/// Error(cancelled) when `progress` is cancelled (checked after each generation and by `evaluate` if it checks),
/// and whatever `evaluate` throws.
SearchResult search(const SearchProblem& problem, const SearchOptions& options, const Progress& progress = Progress());

/// Hypervolume of `points` (minimised) with respect to `reference` (pagmo::hypervolume); points not below the
/// reference on every axis add nothing; 0 for no points.
double hypervolume(const std::vector<std::vector<double>>& points, const std::vector<double>& reference);

/// Indices of the points of `objectives` dominated by none of the others (minimisation; equal points: the first).
std::vector<std::size_t> non_dominated(const std::vector<std::vector<double>>& objectives);

}  // namespace parksim::optimize
