#pragma once
// A derivative-free maximisation in the unit box with NLopt (Debian libnlopt-cxx-dev), behind a header free of
// NLopt's: calibrate.cpp hands it the objective and reads back the best point.

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace parksim::calibrate::detail {

/// Maximises `f` over [0, 1]^n from `start` with NLopt's `algorithm` ("sbplx": Rowan's subplex, robust to a noisy
/// objective; "bobyqa": Powell's quadratic trust region), first steps of `initial_step`, stopping when a step falls
/// below `min_step` or `f` returns nullopt (its budget is spent). Returns the best point evaluated; f is called only
/// from this thread. Deterministic: neither algorithm draws random numbers.
std::vector<double> nlopt_maximise(const std::string& algorithm, const std::vector<double>& start, double initial_step,
                                   double min_step, const std::function<std::optional<double>(const std::vector<double>&)>& f);

}  // namespace parksim::calibrate::detail
