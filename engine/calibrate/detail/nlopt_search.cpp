#include "calibrate/detail/nlopt_search.hpp"

#include <limits>

#include <nlopt.hpp>

#include "core/error.hpp"

namespace parksim::calibrate::detail {

std::vector<double> nlopt_maximise(const std::string& algorithm, const std::vector<double>& start, double initial_step,
                                   double min_step, const std::function<std::optional<double>(const std::vector<double>&)>& f) {
  const auto n = static_cast<unsigned>(start.size());
  if (n == 0) return start;
  nlopt::opt opt(algorithm == "bobyqa" ? nlopt::LN_BOBYQA : nlopt::LN_SBPLX, n);
  opt.set_lower_bounds(std::vector<double>(n, 0.0));
  opt.set_upper_bounds(std::vector<double>(n, 1.0));
  opt.set_initial_step(initial_step);
  opt.set_xtol_abs(min_step);
  struct State {
    const std::function<std::optional<double>(const std::vector<double>&)>* f;
    std::vector<double> best;
    double best_f = -std::numeric_limits<double>::infinity();
    bool spent = false;
  } state{&f, start};
  opt.set_max_objective(
      [](unsigned, const double* x, double*, void* data) -> double {
        auto* s = static_cast<State*>(data);
        const std::vector<double> point(x, x + s->best.size());
        const std::optional<double> v = (*s->f)(point);
        if (!v) {
          s->spent = true;
          throw nlopt::forced_stop();
        }
        if (*v > s->best_f) {
          s->best_f = *v;
          s->best = point;
        }
        return *v;
      },
      &state);
  std::vector<double> x = start;
  double value = 0.0;
  try {
    opt.optimize(x, value);
  } catch (const nlopt::forced_stop&) {
    // The budget is spent: the best point so far stands.
  } catch (const nlopt::roundoff_limited&) {
    // Converged as far as the objective's resolution allows.
  } catch (const std::invalid_argument& e) {
    throw Error(ErrorCode::internal, std::string("NLopt refused the search: ") + e.what());
  }
  return state.best;
}

}  // namespace parksim::calibrate::detail
