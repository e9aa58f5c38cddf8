#pragma once
// Internal to report: how figures and names read for people - an indicator's value in its unit, unit symbols,
// bilingual labels of classes, zones and phases, and the one-paragraph answer to a run's question. Used by the run
// report and the comparison alike, so both say the same thing the same way. Pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/run_result.hpp"

namespace parksim::report::detail {

/// `value` in `unit` for a table cell: km2 with 2 decimals (3 below 10), m2 / mu / count whole numbers with
/// thousands separators, yr / year as a plain year ("2035", never "2,035"), % with 1 decimal, "1" (a share or a
/// flag) with 2 decimals, anything else by size. NaN and infinities read "n/a".
std::string format_value(double value, std::string_view unit);

/// An indicator's value for people: format_value(), except that a yes/no flag (id ending in "_met") reads yes / no
/// and a share (unit "1", id ending in "_share") reads as a percentage.
std::string format_indicator(const Indicator& indicator);

/// A signed difference of two values in `unit` ("+0.12", "-3", "0"); "n/a" when either is not finite.
std::string format_delta(double delta, std::string_view unit);

/// The unit as people write it: km2 -> km², m2 -> m², mu -> mu (亩), yr -> year, "1" -> "" (dimensionless).
std::string unit_symbol(std::string_view unit);

/// "R&D 科研" (name_en, then name_zh when there is one; the key when the class has no name).
std::string class_label(const SimClass& cls);

/// "Frontier Technology 前沿技术区"; the id when the plan does not know the zone; "outside the zones" for "" in a run
/// with zones, "whole study area" in a run without any.
std::string zone_label(const plan::Plan& plan, const std::string& zone);

/// "Phase 3 三期" style label of a phase of the plan (its id when it has no names).
std::string phase_label(const plan::Phase& phase);

/// Ensemble only: the years in which the runs filled phase `phase` up, ascending (runs that did not fill it up are
/// left out), and the number of runs. nullopt for a single run or a phase the ensemble does not track.
struct FillupYears {
  std::vector<int> filled;
  std::size_t runs = 0;
};
std::optional<FillupYears> ensemble_fillup(const RunResult& result, const std::string& phase);

/// One short paragraph per headline figure that answers the planners' questions - when the expansion fills up,
/// how much land is developed from the start to the end, the health-industry land after allocation against its
/// target, demand that could not be met - each taken from the run's indicators and present only when the run has
/// it. Plain text (not escaped).
std::vector<std::string> answer_lines(const RunResult& result);

}  // namespace parksim::report::detail
