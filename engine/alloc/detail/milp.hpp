#pragma once
// Internal: a plain sparse linear model and the two solver calls alloc needs (MILP on CBC, LP with row
// duals on Clp). COIN-OR headers appear only in milp.cpp, never in a header.
//
// Convention: every model MINIMISES objective · x. Rows are lower <= a·x <= upper (use ±kInfinity for
// one-sided rows). Not thread-safe per model object; separate models may be solved on separate threads.

#include <limits>
#include <vector>

namespace parksim::alloc::detail {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

class LinearModel {
 public:
  /// Adds a column; returns its index.
  int add_col(double lower, double upper, double objective, bool integer);
  /// Adds a row lower <= a·x <= upper (coefficients through add_coef); returns its index.
  int add_row(double lower, double upper);
  /// Adds `value` to a(row, col). Repeated (row, col) pairs are summed.
  void add_coef(int row, int col, double value);

  int num_cols() const { return static_cast<int>(m_col_lower.size()); }
  int num_rows() const { return static_cast<int>(m_row_lower.size()); }

  std::vector<double> m_col_lower, m_col_upper, m_objective;
  std::vector<char> m_integer;
  std::vector<double> m_row_lower, m_row_upper;
  std::vector<int> m_trip_row, m_trip_col;
  std::vector<double> m_trip_value;
};

struct MilpOptions {
  double time_limit_s = 30.0;   ///< wall-clock limit of the branch and bound
  double relative_gap = 0.01;   ///< stop once |bound - incumbent| <= relative_gap · |incumbent|
  int threads = 1;              ///< 1 = sequential (deterministic)
  int random_seed = 1;          ///< CBC and Clp random seeds
  /// Optional full starting assignment (one value per column), handed to CBC as a MIP start when not empty.
  std::vector<double> start;
};

enum class MilpStatus {
  optimal,      ///< search completed (within relative_gap)
  feasible,     ///< stopped on a limit with an incumbent
  infeasible,   ///< proven infeasible
  no_solution,  ///< stopped on a limit without an incumbent
  failed,       ///< unbounded or abandoned (numerical trouble)
};

struct MilpSolution {
  MilpStatus status = MilpStatus::failed;
  std::vector<double> x;        ///< best solution (empty without one)
  double objective = 0.0;       ///< of x (minimisation)
  double best_bound = 0.0;      ///< proven lower bound on the optimum
  double seconds = 0.0;         ///< wall-clock time of the solve
};

/// Solves the MILP with CBC (preprocessing, cuts and heuristics at CBC's defaults, log silenced).
MilpSolution solve_milp(const LinearModel& model, const MilpOptions& options);

struct LpSolution {
  bool optimal = false;
  bool stopped = false;  ///< stopped by the time limit before optimality (Clp status 3)
  std::vector<double> x;
  std::vector<double> row_activity;
  /// ∂(minimum objective)/∂(row bound) at the optimum (Clp's sign convention for minimisation).
  std::vector<double> row_dual;
  double objective = 0.0;
};

/// Solves the LP relaxation (integrality dropped) with Clp's dual simplex, log silenced.
LpSolution solve_lp(const LinearModel& model, double time_limit_s);

}  // namespace parksim::alloc::detail
