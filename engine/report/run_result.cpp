#include "report/run_result.hpp"

namespace parksim::report {

const std::string& working_crs(const RunResult& result) noexcept {
  return result.plan.crs.empty() ? result.grid.crs : result.plan.crs;
}

const Indicator* find_indicator(const RunResult& result, const std::string& id, int year) noexcept {
  for (const auto& indicator : result.indicators) {
    if (indicator.id == id && (year == 0 || indicator.year == year)) return &indicator;
  }
  return nullptr;
}

}  // namespace parksim::report
