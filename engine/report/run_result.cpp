#include "report/run_result.hpp"

#include <cmath>

#include <fmt/format.h>

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

namespace {

// A value with its unit: years as years, areas with two decimals, mu as whole mu.
std::string value_text(double v, const std::string& unit) {
  if (unit == "yr") return v == std::round(v) ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v);
  if (unit == "mu") return fmt::format("{:.0f} mu", v);
  return fmt::format("{:.3f} {}", v, unit == "km2" ? "km²" : unit);
}

std::string spread_text(double sd, int runs, const std::string& unit) {
  if (runs < 2 || std::isnan(sd)) return "one run, no ensemble spread";
  if (unit == "yr") return fmt::format("± {:.1f} yr sd over {} runs", sd, runs);
  if (unit == "mu") return fmt::format("± {:.0f} mu sd over {} runs", sd, runs);
  return fmt::format("± {:.3f} sd over {} runs", sd, runs);
}

}  // namespace

std::string answer_sentence(const Answer& a, int end_year) {
  std::string out = a.year != 0 ? fmt::format("{} in {}: ", a.label_en, a.year) : fmt::format("{}: ", a.label_en);
  if (std::isnan(a.mean)) {
    out += fmt::format("not by {} in any of the {} runs", end_year, a.runs);
  } else {
    out += fmt::format("{} ({})", value_text(a.mean, a.unit), spread_text(a.sd, a.runs, a.unit));
    if (a.runs_without_value > 0) out += fmt::format("; not by {} in {} of {} runs", end_year, a.runs_without_value, a.runs);
  }
  if (!a.baseline_name.empty()) {
    if (std::isnan(a.baseline_mean)) {
      out += fmt::format("; {}: not by {}", a.baseline_name, end_year);
    } else if (std::isnan(a.mean)) {
      out += fmt::format("; {}: {}", a.baseline_name, value_text(a.baseline_mean, a.unit));
    } else {
      const double d = a.mean - a.baseline_mean;
      const std::string diff = a.unit == "yr" ? fmt::format("{:+.1f} yr", d)
                               : a.unit == "mu" ? fmt::format("{:+.0f} mu", d)
                                                : fmt::format("{:+.3f} {}", d, a.unit == "km2" ? "km²" : a.unit);
      out += fmt::format("; {} than {} ({} ± {})", diff, a.baseline_name, value_text(a.baseline_mean, a.unit),
                         std::isnan(a.baseline_sd) ? std::string("no spread")
                                                   : a.unit == "mu" ? fmt::format("{:.0f}", a.baseline_sd)
                                                                    : fmt::format("{:.3f}", a.baseline_sd));
    }
  }
  return out + ".";
}

}  // namespace parksim::report
