#include "report/detail/format.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "plan/accounting.hpp"
#include "report/detail/svg.hpp"

namespace parksim::report::detail {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_year_unit(std::string_view unit) { return unit == "yr" || unit == "year"; }

// Decimals that show a value of no known unit sensibly: integers plain, small values with more digits.
int decimals_by_size(double value) {
  const double a = std::fabs(value);
  if (a == std::floor(a) && a < 1e15) return 0;
  if (a >= 100.0) return 1;
  if (a >= 1.0) return 2;
  return 3;
}

int decimals_for(double value, std::string_view unit) {
  if (unit == "km2") return std::fabs(value) < 10.0 ? 3 : 2;
  if (unit == "m2" || unit == "mu" || unit == "count" || unit == "runs") return 0;
  if (unit == "%") return 1;
  if (unit == "1") return 2;
  return decimals_by_size(value);
}

}  // namespace

std::string format_value(double value, std::string_view unit) {
  if (!std::isfinite(value)) return "n/a";
  if (is_year_unit(unit) && value == std::floor(value)) return fmt::format("{}", static_cast<long long>(value));
  return number(value, decimals_for(value, unit));
}

std::string format_indicator(const Indicator& indicator) {
  if (!std::isfinite(indicator.value)) return "n/a";
  if (ends_with(indicator.id, "_met") && (indicator.value == 0.0 || indicator.value == 1.0)) {
    return indicator.value == 1.0 ? "yes" : "no";
  }
  if (indicator.unit == "1" && ends_with(indicator.id, "_share")) return number(100.0 * indicator.value, 1) + " %";
  return format_value(indicator.value, indicator.unit);
}

std::string format_delta(double delta, std::string_view unit) {
  if (!std::isfinite(delta)) return "n/a";
  const std::string text = format_value(delta, unit);
  if (text.find_first_not_of("0.,") == std::string::npos) return text;  // zero at this precision: no sign
  return delta > 0.0 ? "+" + text : text;
}

std::string unit_symbol(std::string_view unit) {
  if (unit == "km2") return "km²";
  if (unit == "m2") return "m²";
  if (unit == "mu") return "mu (亩)";
  if (unit == "yr") return "year";
  if (unit == "1") return "";
  return std::string(unit);
}

std::string class_label(const SimClass& cls) {
  std::string label = cls.name_en.empty() ? cls.key : cls.name_en;
  if (!cls.name_zh.empty()) label += " " + cls.name_zh;
  return label;
}

std::string zone_label(const plan::Plan& plan, const std::string& zone) {
  if (zone.empty()) return plan.zones.empty() ? "whole study area" : "outside the zones";
  const plan::Zone* z = plan.find_zone(zone);
  if (z == nullptr || z->name_en.empty()) return z != nullptr && !z->name_zh.empty() ? z->name_zh : zone;
  return z->name_zh.empty() ? z->name_en : z->name_en + " " + z->name_zh;
}

std::string phase_label(const plan::Phase& phase) {
  std::string label = phase.name_en.empty() ? "Phase " + phase.id : phase.name_en;
  if (!phase.name_zh.empty()) label += " " + phase.name_zh;
  return label;
}

std::optional<FillupYears> ensemble_fillup(const RunResult& result, const std::string& phase) {
  if (!result.ensemble || result.ensemble->runs <= 1) return std::nullopt;
  for (const auto& [id, years] : result.ensemble->fillup_years) {
    if (id != phase || years.empty()) continue;
    FillupYears out;
    out.runs = years.size();
    for (const int y : years) {
      if (y >= 0) out.filled.push_back(y);
    }
    std::sort(out.filled.begin(), out.filled.end());
    return out;
  }
  return std::nullopt;
}

std::vector<std::string> answer_lines(const RunResult& result) {
  std::vector<std::string> lines;
  if (result.answer) lines.push_back(answer_sentence(*result.answer, result.end_year));
  const bool ensemble = result.ensemble && result.ensemble->runs > 1;
  for (const auto& phase : result.plan.phases) {
    if (!plan::is_expansion(phase.id)) continue;
    const auto it = result.phase_fillup_year.find(phase.id);
    if (it == result.phase_fillup_year.end()) continue;
    std::string line = it->second >= 0 ? fmt::format("{} fills up in {}", phase_label(phase), it->second)
                                       : fmt::format("{} does not fill up by {}", phase_label(phase), result.end_year);
    if (const auto runs = ensemble_fillup(result, phase.id)) {
      const auto& filled = runs->filled;
      line = fmt::format("{} fills up by {} in {} of {} runs", phase_label(phase), result.end_year, filled.size(),
                         runs->runs);
      if (!filled.empty()) {
        line += filled.front() == filled.back() ? fmt::format(" (in {})", filled.front())
                                                : fmt::format(" (between {} and {})", filled.front(), filled.back());
      }
    }
    lines.push_back(line + ".");
  }
  const Indicator* first = nullptr;
  const Indicator* last = nullptr;
  for (const auto& i : result.indicators) {
    if (i.id != "developed_km2" || i.year == 0 || !std::isfinite(i.value)) continue;
    if (first == nullptr || i.year < first->year) first = &i;
    if (last == nullptr || i.year > last->year) last = &i;
  }
  if (first != nullptr && last != nullptr && first != last) {
    lines.push_back(fmt::format("Developed land grows from {} km² in {} to {} km² in {}{}.",
                                format_value(first->value, "km2"), first->year, format_value(last->value, "km2"),
                                last->year, ensemble ? " (run 0)" : ""));
  }
  if (const Indicator* health = find_indicator(result, "health_industry_land_mu");
      health != nullptr && std::isfinite(health->value)) {
    std::string line = fmt::format("Health-industry land in the expansion after allocation: {} mu",
                                   format_value(health->value, "mu"));
    const plan::Target* target = result.plan.find_target("health_industry_land_mu");
    const Indicator* met = find_indicator(result, "health_industry_target_met");
    if (target != nullptr) {
      line += fmt::format(" (target at least {} mu", format_value(target->value, "mu"));
      if (met != nullptr && std::isfinite(met->value)) {
        line += met->value == 1.0 ? ": met)" : ": not met)";
      } else {
        line += ")";
      }
    } else if (met != nullptr && std::isfinite(met->value)) {
      line += met->value == 1.0 ? " (target met)" : " (target not met)";
    }
    lines.push_back(line + ".");
  }
  if (const Indicator* delivered = find_indicator(result, "health_industry_delivered_year")) {
    const Indicator* end = find_indicator(result, "health_industry_developed_mu", result.end_year);
    std::string line = std::isfinite(delivered->value)
                           ? fmt::format("{} on the ground: {:.0f}{}", delivered->label_en, delivered->value,
                                         ensemble ? " (run 0)" : "")
                           : fmt::format("{} on the ground: not by {}{}", delivered->label_en, result.end_year,
                                         ensemble ? " (run 0)" : "");
    if (end != nullptr && std::isfinite(end->value)) {
      line += fmt::format("; {} mu are developed by {} (health-industry land = cells of classes with a health-industry "
                          "land-use code, in the expansion phases; the allocation's figure above says what the "
                          "parcels can hold)",
                          format_value(end->value, "mu"), result.end_year);
    }
    lines.push_back(line + ".");
  }
  for (const auto& i : result.indicators) {
    // The health-industry target read over the whole corridor (the district's >= 3,000 mu across the corridor in the
    // 14th Five-Year Plan), next to the expansion's figure above.
    if (i.year != result.end_year || i.id.rfind("park_and_region_health_industry_mu.", 0) != 0 || !std::isfinite(i.value)) continue;
    lines.push_back(fmt::format("{} by {}: {} mu (read this way, the ≥ 3,000 mu target counts the corridor's bases "
                                "too; the expansion-only figure is docs/decisions.md D7).",
                                i.label_en, result.end_year, format_value(i.value, "mu")));
  }
  // Unmet demand is a stock: demand that found no land and waits (demand.carry_forward) is counted in each year it
  // waits, so the end year's figure is what is still unplaced.
  const Indicator* unmet = find_indicator(result, "unmet_demand_km2", result.end_year);
  if (unmet != nullptr && std::isfinite(unmet->value) && unmet->value > 0.0) {
    lines.push_back(fmt::format("Land demand still unplaced at the end of {}: {} km² (per year in the indicator table).",
                                result.end_year, format_value(unmet->value, "km2")));
  }
  return lines;
}

}  // namespace parksim::report::detail
