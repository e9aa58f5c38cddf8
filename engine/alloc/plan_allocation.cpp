#include "alloc/plan_allocation.hpp"

#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/units.hpp"
#include "geom/geometry.hpp"
#include "geom/index.hpp"
#include "plan/accounting.hpp"

namespace parksim::alloc {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// National land-use groups: 10/11 industrial and storage land; 07 residential and 0804/0806 education and social
// welfare land are sensitive to industry next door.
bool manufacturing_code(const std::string& code) { return starts_with(code, "10") || starts_with(code, "11"); }
bool sensitive_code(const std::string& code) { return starts_with(code, "07") || code == "0804" || code == "0806"; }

bool is_built(const plan::Parcel& p) {
  return p.status == plan::DevelopmentStatus::built || p.status == plan::DevelopmentStatus::under_construction;
}

// The class of a land-use code in the class table (its sim_class is a code of the table), or -1.
int class_of(const plan::Plan& plan, const study::ClassTable& classes, const std::string& landuse) {
  const auto* c = plan.find_class(landuse);
  if (c == nullptr || c->sim_class < 0) return -1;
  return classes.index_of_code(c->sim_class);
}

}  // namespace

std::set<std::string> expansion_zones(const plan::Plan& plan) {
  std::set<std::string> zones;
  for (const auto& p : plan.parcels) {
    if (plan::is_expansion(p.phase) && plan.find_zone(p.zone)) zones.insert(p.zone);
  }
  return zones;
}

std::vector<Target> plan_targets(const PlanAllocationSpec& spec, const plan::Plan& plan) {
  const std::set<std::string> new_zones = expansion_zones(plan);
  std::vector<Target> targets;
  if (spec.min_health_industry_mu > 0.0) {
    auto t = health_industry_target(spec.min_health_industry_mu);
    t.name = fmt::format("health_industry_{:.0f}mu", spec.min_health_industry_mu);
    targets.push_back(t);
  }
  auto zone_targets = [&](const std::vector<PlanAllocationSpec::AreaTarget>& given, const char* section,
                          TargetKind kind) {
    for (const auto& g : given) {
      if (!new_zones.count(g.id)) {
        throw Error(ErrorCode::config,
                    fmt::format("'{}' is not a zone with expansion parcels ({})", g.id, fmt::join(new_zones, ", ")),
                    g.where);
      }
      Target t;
      t.name = fmt::format("{}.{}", section, g.id);
      t.kind = kind;
      t.zone = g.id;
      t.value = units::km2_to_m2(g.km2);
      targets.push_back(t);
    }
  };
  zone_targets(spec.zone_min_km2, "zone_min_km2", TargetKind::zone_min_area_m2);
  zone_targets(spec.zone_max_km2, "zone_max_km2", TargetKind::zone_max_area_m2);
  for (const auto& g : spec.phase_max_km2) {
    if (!plan.find_phase(g.id)) throw Error(ErrorCode::config, fmt::format("no phase '{}'", g.id), g.where);
    Target t;
    t.name = "phase_max_km2." + g.id;
    t.kind = TargetKind::phase_max_developed_m2;
    t.phase = g.id;
    t.value = units::km2_to_m2(g.km2);
    targets.push_back(t);
  }
  return targets;
}

PlanAllocation allocate_plan(const PlanAllocationSpec& spec, const plan::Plan& plan, const study::ClassTable& classes,
                             const std::vector<std::vector<std::int64_t>>& cells, const grid::GridSpec& grid_spec,
                             const std::vector<grid::Grid<std::uint8_t>>& suitability,
                             const std::vector<double>& development_probability, ProblemReporter& problems) {
  PlanAllocation out;
  AllocationProblem problem;
  const std::set<std::string> new_zones = expansion_zones(plan);
  // The zones each phase's parcels may be given ("" = parcels in no phase).
  std::map<std::string, std::set<std::string>> zones_of_phase;
  for (const auto& p : plan.parcels) {
    if (plan::is_expansion(p.phase) && plan.find_zone(p.zone)) zones_of_phase[p.phase].insert(p.zone);
  }
  std::set<std::string> codes;
  for (const auto& p : plan.parcels) {
    const int k = class_of(plan, classes, p.landuse);
    if (k >= 0 && classes[k].built && is_built(p)) codes.insert(p.landuse);
  }
  for (const auto& c : plan.classes) {
    if (c.health_industry && c.sim_class >= 0) codes.insert(c.code);
  }
  for (const auto& z : new_zones) {
    for (const auto& code : codes) {
      const auto* c = plan.find_class(code);
      problem.options.push_back({z + "/" + code, z, code, c->health_industry, manufacturing_code(code),
                                 sensitive_code(code)});
    }
  }
  if (problem.options.empty()) {
    out.nothing_to_allocate = true;
    out.diagnosis.push_back("the plan has no parcel in an expansion zone: nothing to allocate");
    problems.report(Severity::warning, "alloc.nothing_to_allocate", out.diagnosis.back(), Context{.layer = "parcels"});
    return out;
  }
  auto option_index = [&](const std::string& zone, const std::string& code) {
    for (std::size_t u = 0; u < problem.options.size(); ++u) {
      if (problem.options[u].zone == zone && problem.options[u].landuse == code) return static_cast<int>(u);
    }
    return -1;
  };
  for (std::size_t i = 0; i < plan.parcels.size(); ++i) {
    const auto& p = plan.parcels[i];
    ParcelIn in;
    in.id = p.id;
    in.area_m2 = p.area_m2;
    in.phase = p.phase;
    in.built = is_built(p);
    in.far = p.far > 0.0 ? p.far : 1.0;
    in.counts_for_health = !p.phase.empty();
    const auto* c = plan.find_class(p.landuse);
    const bool developable = c != nullptr && c->developable;
    const bool expansion = plan::is_expansion(p.phase);
    if (in.built && expansion) in.current_option = option_index(p.zone, p.landuse);
    // The cells a parcel is measured on: its own, or for a parcel smaller than a cell the cell at its centre.
    std::vector<std::int64_t> measured = cells[i];
    if (measured.empty()) {
      const auto centre = geom::point_on_surface(p.geometry).as_point();
      if (auto cell = grid_spec.cell_at(centre.x, centre.y)) measured.push_back(grid_spec.flat_index(cell->row, cell->col));
    }
    in.score.assign(problem.options.size(), -std::numeric_limits<double>::infinity());
    if (expansion && developable) {
      // A phase without zoned parcels may be given any new zone, as before zones were tied to phases.
      const auto own = zones_of_phase.find(p.phase);
      for (std::size_t u = 0; u < problem.options.size(); ++u) {
        if (own != zones_of_phase.end() && !own->second.count(problem.options[u].zone)) continue;  // -inf: not allowed
        if (spec.score_by_simulation) {
          in.score[u] = development_probability[i];
          continue;
        }
        const int k = class_of(plan, classes, problem.options[u].landuse);
        const bool uniform = k < 0 || suitability[static_cast<std::size_t>(k)].size() == 0;
        if (uniform || measured.empty()) {
          in.score[u] = 1.0;
          continue;
        }
        const auto& suit = suitability[static_cast<std::size_t>(k)];
        double sum = 0.0;
        for (auto cell : measured) sum += suit[cell] / 255.0;
        in.score[u] = sum / static_cast<double>(measured.size());
      }
    }
    problem.parcels.push_back(std::move(in));
  }
  // Adjacency: shared boundary length of touching parcels.
  std::vector<geom::Geometry> geometries;
  for (const auto& p : plan.parcels) geometries.push_back(p.geometry);
  const geom::StrTree tree(geometries);
  for (std::size_t i = 0; i < geometries.size(); ++i) {
    for (std::size_t j : tree.query(geometries[i].envelope())) {
      if (j <= i || !geom::touches(geometries[i], geometries[j])) continue;
      const double len = geom::length(geom::intersection(geometries[i], geometries[j]));
      if (len > 0.0) problem.adjacency.push_back({static_cast<int>(i), static_cast<int>(j), len});
    }
  }
  // Targets.
  problem.targets = plan_targets(spec, plan);
  problem.params = spec.params;

  out.result = allocate(problem);
  for (const auto& pr : out.result.problems) problems.report(pr);
  for (const auto& rel : out.result.diagnosis.relaxations) out.diagnosis.push_back(rel.message);
  if (!out.result.diagnosis.summary.empty()) out.diagnosis.push_back(out.result.diagnosis.summary);
  out.options = problem.options;
  out.score.assign(plan.parcels.size(), 0.0);
  if (!out.result.option.empty()) {
    double health_m2 = 0.0;
    for (std::size_t i = 0; i < out.result.option.size(); ++i) {
      const int u = out.result.option[i];
      if (u < 0) continue;
      out.score[i] = problem.parcels[i].score[static_cast<std::size_t>(u)];
      if (problem.options[static_cast<std::size_t>(u)].health_industry && problem.parcels[i].counts_for_health) {
        health_m2 += problem.parcels[i].area_m2;
      }
    }
    out.health_industry_mu = units::m2_to_mu(health_m2);
  }
  return out;
}

}  // namespace parksim::alloc
