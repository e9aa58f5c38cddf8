#include "alloc/detail/milp.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>

#include <coin/Cbc_C_Interface.h>
#include <coin/Clp_C_Interface.h>

#include "core/error.hpp"

namespace parksim::alloc::detail {

int LinearModel::add_col(double lower, double upper, double objective, bool integer) {
  m_col_lower.push_back(lower);
  m_col_upper.push_back(upper);
  m_objective.push_back(objective);
  m_integer.push_back(integer ? 1 : 0);
  return num_cols() - 1;
}

int LinearModel::add_row(double lower, double upper) {
  m_row_lower.push_back(lower);
  m_row_upper.push_back(upper);
  return num_rows() - 1;
}

void LinearModel::add_coef(int row, int col, double value) {
  m_trip_row.push_back(row);
  m_trip_col.push_back(col);
  m_trip_value.push_back(value);
}

namespace {

// COIN-OR marks infinite bounds with COIN_DBL_MAX (its solvers treat >= 1e30 as infinite); pass that
// rather than IEEE infinity so every layer (Osi, Clp, CBC preprocessing) agrees.
constexpr double kCoinInfinity = 1.7976931348623157e+308;

double to_coin(double bound) {
  if (bound == kInfinity) return kCoinInfinity;
  if (bound == -kInfinity) return -kCoinInfinity;
  return bound;
}

struct Csc {
  std::vector<CoinBigIndex> start;
  std::vector<int> index;
  std::vector<double> value;
  std::vector<double> col_lower, col_upper, row_lower, row_upper;
};

// Compressed sparse columns with duplicate (row, col) entries summed, in (col, row) order so the matrix
// handed to the solver - and therefore its pivoting - does not depend on the order rows were added in.
Csc to_csc(const LinearModel& m) {
  const std::size_t n = m.m_trip_value.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (m.m_trip_col[a] != m.m_trip_col[b]) return m.m_trip_col[a] < m.m_trip_col[b];
    if (m.m_trip_row[a] != m.m_trip_row[b]) return m.m_trip_row[a] < m.m_trip_row[b];
    return a < b;
  });
  Csc csc;
  csc.start.assign(static_cast<std::size_t>(m.num_cols()) + 1, 0);
  csc.index.reserve(n);
  csc.value.reserve(n);
  int last_col = -1, last_row = -1;
  for (std::size_t k : order) {
    const int c = m.m_trip_col[k], r = m.m_trip_row[k];
    if (c == last_col && r == last_row) {
      csc.value.back() += m.m_trip_value[k];
      continue;
    }
    csc.index.push_back(r);
    csc.value.push_back(m.m_trip_value[k]);
    ++csc.start[static_cast<std::size_t>(c) + 1];
    last_col = c;
    last_row = r;
  }
  for (std::size_t c = 1; c < csc.start.size(); ++c) csc.start[c] += csc.start[c - 1];
  auto convert = [](const std::vector<double>& v) {
    std::vector<double> out(v.size());
    std::transform(v.begin(), v.end(), out.begin(), to_coin);
    return out;
  };
  csc.col_lower = convert(m.m_col_lower);
  csc.col_upper = convert(m.m_col_upper);
  csc.row_lower = convert(m.m_row_lower);
  csc.row_upper = convert(m.m_row_upper);
  return csc;
}

struct CbcDeleter {
  void operator()(Cbc_Model* model) const noexcept { Cbc_deleteModel(model); }
};
struct ClpDeleter {
  void operator()(Clp_Simplex* model) const noexcept { Clp_deleteModel(model); }
};

void set_param(Cbc_Model* model, const char* name, const std::string& value) {
  Cbc_setParameter(model, name, value.c_str());
}

}  // namespace

MilpSolution solve_milp(const LinearModel& model, const MilpOptions& options) {
  MilpSolution out;
  const auto t0 = std::chrono::steady_clock::now();
  const Csc csc = to_csc(model);
  std::unique_ptr<Cbc_Model, CbcDeleter> cbc(Cbc_newModel());
  if (!cbc) throw Error(ErrorCode::internal, "CBC could not create a model");
  Cbc_loadProblem(cbc.get(), model.num_cols(), model.num_rows(), csc.start.data(), csc.index.data(),
                  csc.value.data(), csc.col_lower.data(), csc.col_upper.data(), model.m_objective.data(),
                  csc.row_lower.data(), csc.row_upper.data());
  for (int c = 0; c < model.num_cols(); ++c) {
    if (model.m_integer[static_cast<std::size_t>(c)]) Cbc_setInteger(cbc.get(), c);
  }
  // CBC writes to stdout unless every log level is 0; the CLI's stdout must stay clean.
  Cbc_setLogLevel(cbc.get(), 0);
  set_param(cbc.get(), "log", "0");
  set_param(cbc.get(), "slog", "0");
  set_param(cbc.get(), "timeMode", "elapsed");
  set_param(cbc.get(), "sec", std::to_string(std::max(options.time_limit_s, 0.01)));
  set_param(cbc.get(), "ratioGap", std::to_string(std::max(options.relative_gap, 0.0)));
  set_param(cbc.get(), "randomCbcSeed", std::to_string(options.random_seed));
  set_param(cbc.get(), "randomSeed", std::to_string(options.random_seed));
  if (options.threads > 1) set_param(cbc.get(), "threads", std::to_string(options.threads));
  if (!options.start.empty()) {
    // Both MIP-start entry points of the C API pass columns by name; give every column one.
    std::vector<std::string> names;
    std::vector<double> val;
    for (int c = 0; c < model.num_cols(); ++c) {
      std::string name = "c" + std::to_string(c);
      Cbc_setColName(cbc.get(), c, name.data());
      const double v = options.start[static_cast<std::size_t>(c)];
      if (model.m_integer[static_cast<std::size_t>(c)] && v != 0.0) {
        names.push_back(std::move(name));
        val.push_back(v);
      }
    }
    std::vector<const char*> name_ptrs;
    for (const auto& n : names) name_ptrs.push_back(n.c_str());
    Cbc_setMIPStart(cbc.get(), static_cast<int>(names.size()), name_ptrs.data(), val.data());
    // CBC 2.10.8 fails in its MIP-start path after preprocessing ("Illegal index <ncols> in
    // ClpModel::getColumnName", solve abandoned), so a started search runs without preprocessing.
    set_param(cbc.get(), "preprocess", "off");
  }
  Cbc_solve(cbc.get());
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const double* best = Cbc_bestSolution(cbc.get());
  const int status = Cbc_status(cbc.get());
  const int secondary = Cbc_secondaryStatus(cbc.get());
  if (best != nullptr) {
    out.x.assign(best, best + model.num_cols());
    out.objective = Cbc_getObjValue(cbc.get());
    out.best_bound = std::min(Cbc_getBestPossibleObjValue(cbc.get()), out.objective);
    // Secondary status 1 with an incumbent: nothing better than the (MIP-start) incumbent remains.
    const bool completed = status == 0 && (secondary == 0 || secondary == 1 || secondary == 2);
    out.status = completed ? MilpStatus::optimal : MilpStatus::feasible;
    if (completed && secondary == 0 && Cbc_isProvenOptimal(cbc.get()) && options.relative_gap == 0.0) {
      out.best_bound = out.objective;
    }
  } else if (Cbc_isProvenInfeasible(cbc.get()) || secondary == 1) {
    out.status = MilpStatus::infeasible;
  } else if (status == 1) {
    out.status = MilpStatus::no_solution;
    out.best_bound = Cbc_getBestPossibleObjValue(cbc.get());
  } else {
    out.status = MilpStatus::failed;
  }
  return out;
}

LpSolution solve_lp(const LinearModel& model, double time_limit_s) {
  LpSolution out;
  const Csc csc = to_csc(model);
  std::unique_ptr<Clp_Simplex, ClpDeleter> clp(Clp_newModel());
  if (!clp) throw Error(ErrorCode::internal, "Clp could not create a model");
  Clp_setLogLevel(clp.get(), 0);
  Clp_loadProblem(clp.get(), model.num_cols(), model.num_rows(), csc.start.data(), csc.index.data(),
                  csc.value.data(), csc.col_lower.data(), csc.col_upper.data(), model.m_objective.data(),
                  csc.row_lower.data(), csc.row_upper.data());
  Clp_setMaximumSeconds(clp.get(), std::max(time_limit_s, 0.01));
  Clp_initialSolve(clp.get());
  out.optimal = Clp_status(clp.get()) == 0;
  out.stopped = Clp_status(clp.get()) == 3;
  if (!out.optimal) return out;
  const double* x = Clp_primalColumnSolution(clp.get());
  const double* act = Clp_primalRowSolution(clp.get());
  const double* dual = Clp_dualRowSolution(clp.get());
  out.x.assign(x, x + model.num_cols());
  out.row_activity.assign(act, act + model.num_rows());
  out.row_dual.assign(dual, dual + model.num_rows());
  out.objective = Clp_objectiveValue(clp.get());
  return out;
}

}  // namespace parksim::alloc::detail
