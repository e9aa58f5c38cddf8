#include "metrics/compliance.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/units.hpp"

namespace parksim::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require_parallel(const std::vector<double>& values, std::size_t years, const char* what, bool may_be_empty) {
  if ((may_be_empty && values.empty()) || values.size() == years) return;
  throw Error(ErrorCode::internal, std::string("plan compliance: ") + what + " has " + std::to_string(values.size()) +
                                       " values for " + std::to_string(years) + " years");
}

}  // namespace

std::vector<ComplianceRow> plan_compliance(const ComplianceInput& in) {
  const std::size_t n = in.years.size();
  require_parallel(in.developed_m2, n, "developed_m2", false);
  require_parallel(in.ftz_developed_m2, n, "ftz_developed_m2", true);
  require_parallel(in.unmet_demand_m2, n, "unmet_demand_m2", true);
  for (const auto& [zone, values] : in.zone_developed_m2) require_parallel(values, n, "zone_developed_m2", false);
  for (const auto& c : in.class_area) require_parallel(c.area_m2, n, "class_area", false);
  for (const auto& c : in.class_demand) {
    require_parallel(c.area_m2, n, "class_demand", false);
    require_parallel(c.sd_m2, n, "class_demand", false);
  }
  auto plan_figure = [&](double v) { return in.has_plan ? v : kNaN; };

  std::vector<ComplianceRow> rows;
  auto add = [&rows](std::string id, int year, std::string zh, std::string en, std::string unit, double value) {
    rows.push_back({std::move(id), year, std::move(zh), std::move(en), std::move(unit), value});
  };
  add("plan_total_km2", 0, "规划总面积", "Planned area, all phases", "km2", plan_figure(units::m2_to_km2(in.plan_total_m2)));
  add("phase12_km2", 0, "一二期面积", "Phases 1-2 area", "km2", plan_figure(units::m2_to_km2(in.phase12_m2)));
  add("phase3_km2", 0, "三期面积", "Phase 3 area", "km2", plan_figure(units::m2_to_km2(in.phase3_m2)));
  add("health_industry_land_mu", 0, "医药健康产业用地（扩区，配置后）", "Health-industry land in the expansion after allocation",
      "mu", in.health_industry_mu.value_or(kNaN));
  double met = kNaN;
  if (in.health_industry_mu && in.health_industry_target_mu) {
    // The solver's rows are met up to its feasibility tolerance; 1e-6 relative is far below a square metre.
    met = *in.health_industry_mu >= *in.health_industry_target_mu * (1.0 - 1e-6) ? 1.0 : 0.0;
  }
  add("health_industry_target_met", 0, "医药健康产业用地目标是否达成", "Health-industry land target met", "1", met);
  add("alloc_gap_pct", 0, "地块配置最优性差距", "Allocation optimality gap (proven)", "%", in.alloc_gap_pct.value_or(kNaN));
  add("fillup_year_phase3", 0, "三期用满年份", "Year phase 3 fills up", "yr",
      in.fillup_year_phase3 >= 0 ? static_cast<double>(in.fillup_year_phase3) : kNaN);

  for (std::size_t t = 0; t < n; ++t) {
    const int year = in.years[t];
    add("developed_km2", year, "已开发用地面积", "Developed land", "km2", units::m2_to_km2(in.developed_m2[t]));
    double share = kNaN;
    if (!in.ftz_developed_m2.empty() && in.developed_m2[t] > 0.0) share = in.ftz_developed_m2[t] / in.developed_m2[t];
    add("ftz_developed_share", year, "自贸区内开发用地占比", "Share of developed land inside the free-trade area", "1",
        share);
    add("unmet_demand_km2", year, "未满足的用地需求", "Land demand not met", "km2",
        in.unmet_demand_m2.empty() ? 0.0 : units::m2_to_km2(in.unmet_demand_m2[t]));
    for (const auto& [zone, values] : in.zone_developed_m2) {
      add("zone_area_km2." + zone, year, "分区已开发面积：" + zone, "Developed land in zone " + zone, "km2",
          units::m2_to_km2(values[t]));
    }
    for (const auto& c : in.class_area) {
      add("class_area_km2." + c.key, year, "地类面积：" + (c.name_zh.empty() ? c.key : c.name_zh),
          "Area of class " + (c.name_en.empty() ? c.key : c.name_en), "km2", units::m2_to_km2(c.area_m2[t]));
    }
    for (const auto& c : in.class_demand) {
      if (std::isnan(c.area_m2[t])) continue;
      const std::string zh = c.name_zh.empty() ? c.key : c.name_zh;
      const std::string en = c.name_en.empty() ? c.key : c.name_en;
      add("class_demand_km2." + c.key, year, "预测地类面积：" + zh, "Projected area of class " + en, "km2",
          units::m2_to_km2(c.area_m2[t]));
      add("class_demand_sd_km2." + c.key, year, "预测地类面积标准差：" + zh,
          "Spread (sd) of the projected area of class " + en, "km2", units::m2_to_km2(c.sd_m2[t]));
    }
  }
  return rows;
}

}  // namespace parksim::metrics
