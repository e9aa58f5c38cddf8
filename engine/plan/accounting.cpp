#include "plan/accounting.hpp"

#include <cmath>
#include <map>

#include "core/units.hpp"

namespace parksim::plan {

double AreaRow::area_km2() const noexcept { return units::m2_to_km2(area_m2); }
double AreaRow::area_mu() const noexcept { return units::m2_to_mu(area_m2); }

namespace {

constexpr double kAreaTargetTolerance = 0.001;  // 0.1 %: the bundled phases are built to the published areas
constexpr const char* kNoPhaseLabel = "in no phase";

std::vector<AreaRow> rows(const std::map<std::string, AreaRow>& by_key) {
  std::vector<AreaRow> out;
  for (const auto& [key, row] : by_key) out.push_back(row);
  return out;
}

void add(std::map<std::string, AreaRow>& by_key, const std::string& key, std::string label, double area_m2) {
  AreaRow& row = by_key[key];
  row.key = key;
  row.label = label.empty() ? key : std::move(label);
  row.parcels += 1;
  row.area_m2 += area_m2;
}

TargetCheck area_check(const Target& t, double actual_km2) {
  TargetCheck c;
  c.id = t.id;
  c.label_en = t.label_en;
  c.label_zh = t.label_zh;
  c.unit = "km2";
  c.comparison = "=";
  c.target = t.value;
  c.actual = actual_km2;
  c.tolerance = kAreaTargetTolerance;
  c.met = std::fabs(actual_km2 - t.value) <= kAreaTargetTolerance * std::fabs(t.value);
  return c;
}

}  // namespace

bool is_expansion(std::string_view phase) noexcept { return phase != "1-2" && phase != "1" && phase != "2"; }

Accounting account(const Plan& plan) {
  Accounting a;
  std::map<std::string, AreaRow> phase_rows, zone_rows, landuse_rows, status_rows;
  for (const auto& p : plan.parcels) {
    a.parcels_m2 += p.area_m2;
    const Phase* phase = plan.find_phase(p.phase);
    add(phase_rows, p.phase, phase ? phase->name_en : std::string(p.phase.empty() ? kNoPhaseLabel : ""), p.area_m2);
    const Zone* zone = plan.find_zone(p.zone);
    add(zone_rows, p.zone, zone ? zone->name_en : std::string(), p.area_m2);
    const LandUseClass* cls = plan.find_class(p.landuse);
    add(landuse_rows, p.landuse, cls ? cls->name_en : std::string(), p.area_m2);
    add(status_rows, std::string(to_string(p.status)), {}, p.area_m2);
    if (cls && cls->health_industry) {
      a.health_industry_m2 += p.area_m2;
      if (!p.phase.empty() && is_expansion(p.phase)) {
        a.health_industry_expansion_m2 += p.area_m2;
        if (p.status == DevelopmentStatus::built || p.status == DevelopmentStatus::under_construction) {
          a.health_industry_built_m2 += p.area_m2;
        }
      }
    }
    if ((p.status == DevelopmentStatus::vacant || p.status == DevelopmentStatus::planned) &&
        (!cls || cls->developable)) {
      a.developable_m2 += p.area_m2;
    }
  }
  for (const auto& ph : plan.phases) a.phases_m2 += ph.area_m2;
  a.by_phase = rows(phase_rows);
  a.by_zone = rows(zone_rows);
  a.by_landuse = rows(landuse_rows);
  a.by_status = rows(status_rows);

  auto phase_km2 = [&](std::initializer_list<const char*> ids) {
    double m2 = 0.0;
    for (const char* id : ids) {
      if (const Phase* ph = plan.find_phase(id)) m2 += ph->area_m2;
    }
    return units::m2_to_km2(m2);
  };
  if (const Target* t = plan.find_target("plan_total_km2")) {
    a.targets.push_back(area_check(*t, units::m2_to_km2(a.phases_m2)));
  }
  if (const Target* t = plan.find_target("phase12_km2")) {
    a.targets.push_back(area_check(*t, plan.find_phase("1-2") ? phase_km2({"1-2"}) : phase_km2({"1", "2"})));
  }
  if (const Target* t = plan.find_target("phase3_km2")) a.targets.push_back(area_check(*t, phase_km2({"3"})));
  if (const Target* t = plan.find_target("health_industry_land_mu")) {
    TargetCheck c;
    c.id = t->id;
    c.label_en = t->label_en;
    c.label_zh = t->label_zh;
    c.unit = "mu";
    c.comparison = ">=";
    c.target = t->value;
    c.actual = units::m2_to_mu(a.health_industry_expansion_m2);
    c.met = c.actual >= c.target;
    c.note = "current land use of the expansion's parcels (outside phases 1-2); the allocation decides what vacant "
             "and planned parcels add";
    a.targets.push_back(c);
  }
  return a;
}

}  // namespace parksim::plan
