#include "pipeline/pipeline.hpp"
#include "pipeline/measure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Core>
#include <coin/CbcConfig.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include "alloc/plan_allocation.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/versions.hpp"
#include "metrics/compliance.hpp"
#include "metrics/outcomes.hpp"
#include "model/study_demand.hpp"
#include "model/study_suitability.hpp"
#include "plan/accounting.hpp"
#include "plan/loader.hpp"
#include "scenario/inputs.hpp"
#include "scenario/mapping.hpp"
#include "sim/ensemble.hpp"
#include "sim/simulation.hpp"
#include "study/drivers.hpp"
#include "study/filter.hpp"
#include "study/study.hpp"

namespace parksim::pipeline {

namespace fs = std::filesystem;

namespace {

static_assert(model::no_target == sim::no_target, "model and sim mark 'no target' alike");
static_assert(study::max_classes == sim::max_classes, "a study has no more classes than the simulation takes");
static_assert(study::no_class == sim::nodata_class, "a study and the simulation mark no data alike");

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::vector<std::pair<std::string, std::string>> library_versions() {
  auto out = io::library_versions();
  out.emplace_back("CBC", CBC_VERSION);
  const std::string tbb = TBB_runtime_version();
  out.emplace_back("oneTBB", tbb);
  out.emplace_back("Eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION));
  return out;
}

model::DriverSet driver_set(const study::Study& study, std::vector<study::DriverLayer> layers) {
  model::DriverSet set(study.spec, &study.area);
  for (auto& l : layers) set.add(std::move(l.name), std::move(l.values), std::move(l.unit));
  return set;
}

// What the simulation needs and what the stages after it read: stages 3-5 (drivers and suitability, demand,
// simulation input) on a loaded study, shared by run_study and run_ensemble so that both simulate the same input.
// Not copyable: the simulation input's suitability update refers to the members.
struct Prepared {
  explicit Prepared(StudyInput in) : input(std::move(in)) {}
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  StudyInput input;
  std::vector<std::string> used_drivers;
  model::SuitabilityModels suitability;
  grid::Grid<float> priority;
  model::StudyDemand demand;
  std::vector<grid::Grid<std::uint8_t>> final_suitability;
  std::vector<int> opening;
  sim::SimulationInput in;
  int threads = 1;
  /// Areas measured on every run's maps (the answer's spread), on the years start .. end.
  std::vector<metrics::TrackedArea> tracked;
  std::vector<int> years;
  sim::RunMeasure measure;
  /// Year each candidate cell in no zone opens (0 = not candidate land), for a yearly suitability update.
  grid::Grid<std::int16_t> open_year;
  std::vector<bool> growable;  ///< classes that may grow (not fixed)
  bool late_land = false;      ///< some candidate land opens after the start year
  /// measure_study's SuitabilityCache: stage 3 taken from `reuse` when set, else kept into `kept` when `keep`.
  const SuitabilityCache::Data* reuse = nullptr;
  bool keep = false;
  std::shared_ptr<SuitabilityCache::Data> kept;
};

}  // namespace

// Stage 3's results, as kept by a SuitabilityCache (measure.hpp).
struct SuitabilityCache::Data {
  std::vector<std::string> used_drivers;
  grid::Grid<float> priority;
  model::SuitabilityModels suitability;
  std::vector<grid::Grid<std::uint8_t>> start_suitability, final_suitability;
  std::vector<sim::SuitabilityEvent> events;
  bool every_year = false;
  decltype(report::RunResult::drivers) drivers;
  std::vector<Problem> problems;  // what stage 3 reported, in order
};

namespace {

// The yearly suitability update of drivers measured on the simulated map.
decltype(sim::SimulationInput::suitability_update) suitability_update_of(const Prepared* p);

// The simulation classes whose land-use codes include a health-industry code of the plan's class table.
std::vector<bool> health_industry_classes(const plan::Plan& plan, const study::ClassTable& classes) {
  std::vector<bool> out;
  for (const auto& c : classes.classes()) {
    bool health = false;
    for (const auto& code : c.landuse_codes) {
      const plan::LandUseClass* lc = plan.find_class(code);
      health = health || (lc != nullptr && lc->health_industry);
    }
    out.push_back(health);
  }
  return out;
}

// 1 where `labels` equals `label`.
grid::Grid<std::uint8_t> cells_of(const grid::Grid<std::uint8_t>& labels, std::size_t label) {
  grid::Grid<std::uint8_t> out(labels.spec(), 0);
  for (std::int64_t i = 0; i < out.size(); ++i) out[i] = labels[i] == label ? 1 : 0;
  return out;
}

// The study cells of a declared region: where its driver, built for `end` on the start map, is at most `max`.
grid::Grid<std::uint8_t> region_mask(const RunSpec::Region& r, const StudyInput& input, int end) {
  if (!input.drivers->has(r.driver)) {
    throw Error(ErrorCode::config, fmt::format("no driver '{}'; declare it under [drivers.{}]", r.driver, r.driver),
                r.where);
  }
  const std::vector<std::string> name{r.driver};
  const auto layers = input.drivers->build(end, input.study.initial, name);
  grid::Grid<std::uint8_t> inside(input.study.spec, 0);
  for (std::int64_t i = 0; i < inside.size(); ++i) {
    inside[i] = input.study.area[i] != 0 && layers.front().values[i] <= r.max ? 1 : 0;
  }
  return inside;
}

// Candidate land outside the zones (demand.outside_only_in): the union of the declared regions, each measured with
// the drivers of the year (a station that opens adds its station area from its opening year). Returns the year each
// cell becomes candidate land (0 = never), -1 everywhere when no region is declared.
grid::Grid<std::int16_t> candidate_open_year(const RunSpec& spec, const StudyInput& input, int start, int end) {
  grid::Grid<std::int16_t> open(input.study.spec, static_cast<std::int16_t>(spec.outside_only_in.empty() ? -1 : 0));
  if (spec.outside_only_in.empty()) return open;
  std::vector<const RunSpec::Region*> regions;
  std::vector<std::string> names;
  for (const auto& name : spec.outside_only_in) {
    const auto r = std::find_if(spec.regions.begin(), spec.regions.end(),
                                [&](const RunSpec::Region& x) { return x.name == name; });
    if (r == spec.regions.end()) {
      throw Error(ErrorCode::config, fmt::format("no region '{}'; declare it under [regions.{}]", name, name),
                  spec.outside_where);
    }
    if (!input.drivers->has(r->driver)) {
      throw Error(ErrorCode::config, fmt::format("no driver '{}'; declare it under [drivers.{}]", r->driver, r->driver),
                  r->where);
    }
    regions.push_back(&*r);
    names.push_back(r->driver);
  }
  std::vector<std::uint8_t> state;
  for (int y = start; y <= end; ++y) {
    auto next = input.drivers->state(y, names);
    if (y > start && next == state) continue;
    state = std::move(next);
    for (const RunSpec::Region* r : regions) {
      const grid::Grid<std::uint8_t> inside = region_mask(*r, input, y);
      for (std::int64_t i = 0; i < open.size(); ++i) {
        if (inside[i] != 0 && open[i] == 0) open[i] = static_cast<std::int16_t>(y);
      }
    }
  }
  return open;
}

// Closes the candidate land that opens after `year`: its suitability is 0 (never chosen) for every class. When some
// land opens after the start year (`late_land`), the uniform (empty) grids of classes the simulation may grow get a
// grid every year, so that a year's grid never leaves an earlier year's closure in place.
void close_unopened(std::vector<grid::Grid<std::uint8_t>>& grids, const std::vector<bool>& growable,
                    const grid::Grid<std::int16_t>& open_year, int year, bool late_land) {
  if (!late_land) return;
  for (std::size_t k = 0; k < grids.size(); ++k) {
    if (grids[k].size() == 0) {
      if (!growable[k]) continue;
      grids[k] = grid::Grid<std::uint8_t>(open_year.spec(), 255);
    }
    for (std::int64_t i = 0; i < open_year.size(); ++i) {
      if (open_year[i] > year) grids[k][i] = 0;
    }
  }
}

// What the run measures on every map of every run: developed land in the study, per zone, per phase, per declared
// region, and health-industry land developed in the expansion (in total and per zone).
std::vector<metrics::TrackedArea> tracked_areas(const RunSpec& spec, const StudyInput& input, int end) {
  const study::Study& study = input.study;
  const plan::Plan& plan = input.plan;
  std::vector<bool> built;
  for (const auto& c : study.classes.classes()) built.push_back(c.built);
  std::vector<metrics::TrackedArea> out;
  out.push_back({"developed_km2", "建成用地", "Developed land", "km2", study.area, built, 1e-6});
  if (input.has_plan) {
    for (std::size_t z = 0; z < plan.zones.size(); ++z) {
      grid::Grid<std::uint8_t> inside = cells_of(study.zone, z);
      out.push_back({"zone_area_km2." + plan.zones[z].id, plan.zones[z].name_zh + "建成用地",
                     "Developed land in " + plan.zones[z].name_en, "km2", std::move(inside), built, 1e-6});
    }
    grid::Grid<std::uint8_t> expansion(study.spec, 0);
    for (std::size_t p = 0; p < plan.phases.size(); ++p) {
      grid::Grid<std::uint8_t> inside(study.spec, 0);
      const bool exp = plan::is_expansion(plan.phases[p].id);
      for (std::int64_t i = 0; i < inside.size(); ++i) {
        inside[i] = study.phase[i] == p ? 1 : 0;
        if (exp && inside[i]) expansion[i] = 1;
      }
      out.push_back({"phase_developed_km2." + plan.phases[p].id, "分期建成用地 " + plan.phases[p].id,
                     "Developed land in phase " + plan.phases[p].id, "km2", std::move(inside), built, 1e-6});
    }
    const auto health = health_industry_classes(plan, study.classes);
    out.push_back({"health_industry_developed_mu", "扩展区已建成医药健康产业用地",
                   "Health-industry land developed in the expansion", "mu", expansion, health,
                   1.0 / units::m2_per_mu});
    for (std::size_t p = 0; p < plan.phases.size(); ++p) {
      grid::Grid<std::uint8_t> inside = cells_of(study.phase, p);
      out.push_back({"phase_health_industry_mu." + plan.phases[p].id, "分期医药健康产业用地 " + plan.phases[p].id,
                     "Health-industry land developed in phase " + plan.phases[p].id, "mu", std::move(inside), health,
                     1.0 / units::m2_per_mu});
    }
    for (std::size_t z = 0; z < plan.zones.size(); ++z) {
      grid::Grid<std::uint8_t> inside = cells_of(study.zone, z);
      out.push_back({"zone_health_industry_mu." + plan.zones[z].id, plan.zones[z].name_zh + "医药健康产业用地",
                     "Health-industry land developed in " + plan.zones[z].name_en, "mu", std::move(inside), health,
                     1.0 / units::m2_per_mu});
    }
  }
  // Floor area (GFA) and the enterprises it holds: developed land x net site share x the floor area ratio of its class.
  const auto floor = model::floor_area_per_land_m2(spec.demand, input.has_plan ? &plan : nullptr, study.classes);
  out.push_back({"floor_area_m2", "建筑面积", "Floor area (GFA) of developed land", "m2", study.area, built, 1.0, floor});
  out.push_back({"enterprise_capacity", "可容纳企业数", "Enterprises the floor area holds", "enterprises", study.area,
                 built, 1.0 / spec.demand.enterprise.floor_area_per_enterprise_m2, floor});
  if (input.has_plan) {
    for (std::size_t z = 0; z < plan.zones.size(); ++z) {
      grid::Grid<std::uint8_t> inside = cells_of(study.zone, z);
      out.push_back({"zone_floor_area_m2." + plan.zones[z].id, plan.zones[z].name_zh + "建筑面积",
                     "Floor area (GFA) in " + plan.zones[z].name_en, "m2", std::move(inside), built, 1.0, floor});
    }
  }
  for (const auto& r : spec.regions) {
    grid::Grid<std::uint8_t> inside = region_mask(r, input, end);
    if (input.has_plan) {
      // The health-industry target read over the whole corridor: the park's phases and the region together.
      grid::Grid<std::uint8_t> with_park = inside;
      for (std::int64_t i = 0; i < with_park.size(); ++i) {
        if (study.phase[i] != 255) with_park[i] = 1;
      }
      out.push_back({"park_and_region_health_industry_mu." + r.name, "园区及区域医药健康产业用地 " + r.name,
                     "Health-industry land developed in the park (all phases) and " + (r.label.empty() ? r.name : r.label),
                     "mu", std::move(with_park), health_industry_classes(plan, study.classes), 1.0 / units::m2_per_mu});
    }
    out.push_back({"region_developed_km2." + r.name, "区域建成用地 " + r.name,
                   "Developed land " + (r.label.empty() ? r.name : r.label), "km2", std::move(inside), built, 1e-6});
  }
  return out;
}

// The drivers the suitability uses: spec.drivers (DEFAULT every declared driver), plus every driver given
// coefficients name.
std::vector<std::string> used_drivers(const RunSpec& spec, const study::DriverBuilder& drivers) {
  std::vector<std::string> names = spec.drivers;
  if (names.empty()) names = drivers.names();
  const std::string declared =
      drivers.names().empty() ? std::string("none") : fmt::format("{}", fmt::join(drivers.names(), ", "));
  for (const auto& n : names) {
    if (!drivers.has(n)) {
      throw Error(ErrorCode::config,
                  fmt::format("no driver '{}'; declare it under [drivers.{}] (declared: {})", n, n, declared),
                  spec.drivers_where);
    }
  }
  for (const auto& w : spec.suitability.prior) {
    if (std::find(names.begin(), names.end(), w.driver) != names.end()) continue;
    if (!drivers.has(w.driver)) {
      throw Error(ErrorCode::config,
                  fmt::format("no driver '{}'; declare it under [drivers.{}] (declared: {})", w.driver, w.driver,
                              declared),
                  w.where);
    }
    names.push_back(w.driver);
  }
  for (const auto& g : spec.suitability.given) {
    for (const auto& [term, value] : g.coefficients) {
      const auto hinge = model::parse_hinge(term);
      const std::string d = hinge ? hinge->first : term;
      if (std::find(names.begin(), names.end(), d) != names.end()) continue;
      if (!drivers.has(d)) {
        Context where = g.where;
        where.key += "." + term;
        throw Error(ErrorCode::config,
                    fmt::format("no driver '{}'; declare it under [drivers.{}] (declared: {})", d, d, declared), where);
      }
      names.push_back(d);
    }
  }
  return names;
}

decltype(sim::SimulationInput::suitability_update) suitability_update_of(const Prepared* p) {
  return [p](int year, const grid::Grid<std::uint8_t>& map) {
    model::DriverSet year_set = driver_set(p->input.study, p->input.drivers->build(year, map, p->used_drivers));
    auto grids = model::suitability_grids(p->suitability, year_set, p->input.study.area, p->priority);
    close_unopened(grids, p->growable, p->open_year, year, p->late_land);
    return grids;
  };
}

// Stage 3 from a SuitabilityCache: what it kept, and the findings it reported then.
void reuse_suitability(const SuitabilityCache::Data& d, Prepared& prepared, report::RunResult& result,
                       ProblemReporter& problems) {
  prepared.used_drivers = d.used_drivers;
  prepared.priority = d.priority;
  prepared.suitability = d.suitability;
  prepared.in.suitability = d.start_suitability;
  prepared.final_suitability = d.final_suitability;
  prepared.in.suitability_events = d.events;
  if (d.every_year) prepared.in.suitability_update = suitability_update_of(&prepared);
  result.drivers = d.drivers;
  for (const auto& p : d.problems) problems.report(p);
}

// Stage 3 into a SuitabilityCache (the problems reported from `reported_before` on are stage 3's).
void keep_suitability(Prepared& prepared, const report::RunResult& result, const ProblemReporter& problems,
                      std::size_t reported_before) {
  auto d = std::make_shared<SuitabilityCache::Data>();
  d->used_drivers = prepared.used_drivers;
  d->priority = prepared.priority;
  d->suitability = prepared.suitability;
  d->start_suitability = prepared.in.suitability;
  d->final_suitability = prepared.final_suitability;
  d->events = prepared.in.suitability_events;
  d->every_year = static_cast<bool>(prepared.in.suitability_update);
  d->drivers = result.drivers;
  const auto all = problems.problems();
  d->problems.assign(all.begin() + static_cast<std::ptrdiff_t>(reported_before), all.end());
  prepared.kept = std::move(d);
}

// Stages 3-5 into `prepared`, filling the run's identity, plan, grid and classes in `result`. Progress 0.2..0.3.
void prepare(const RunSpec& spec, const Progress& progress, report::RunResult& result, ProblemReporter& problems,
             Prepared& prepared) {
  const StudyInput& input = prepared.input;
  const study::Study& study = input.study;
  const plan::Plan& plan = input.plan;
  for (const auto& p : input.problems) problems.report(p);
  result.scenario_name = spec.name;
  result.question = spec.question;
  result.description = spec.description;
  result.effective_scenario_toml = spec.effective_scenario_toml;
  result.input_files.insert(result.input_files.end(), input.input_files.begin(), input.input_files.end());
  result.seed = spec.seed;
  result.runs = spec.runs;
  result.threads = spec.threads > 0 ? spec.threads : tbb::info::default_concurrency();
  prepared.threads = result.threads;
  result.library_versions = library_versions();
  result.plan = plan;
  if (!input.has_plan) result.plan.crs = study.spec.crs;
  result.grid = study.spec;
  result.classes = study.classes.classes();
  result.start_year = study.start_year;
  result.end_year = spec.end_year;
  const int start = result.start_year;
  const int end = result.end_year;
  if (end <= start) {
    throw Error(ErrorCode::config,
                fmt::format("the run needs at least one simulated year after the start year {}, got years.end = {}",
                            start, end),
                spec.end_where);
  }
  const int K = study.classes.count();

  prepared.opening.assign(plan.phases.size(), start);
  for (const auto& [id, year, where] : spec.phase_open_year) {
    const plan::Phase* ph = plan.find_phase(id);
    if (!ph) throw Error(ErrorCode::config, fmt::format("no phase '{}' in the plan", id), where);
    prepared.opening[static_cast<std::size_t>(ph - plan.phases.data())] = year;
  }

  // Threads: one arena for every parallel stage, so the run's thread count holds throughout.
  tbb::task_arena arena(result.threads);

  // 3. Drivers and suitability.
  progress.check(0.2, "fitting suitability");
  const study::DriverBuilder& drivers = *input.drivers;
  prepared.used_drivers = used_drivers(spec, drivers);
  const std::vector<std::string>& used = prepared.used_drivers;
  if (!spec.priority_tier.empty() && !input.has_plan) {
    throw Error(ErrorCode::config,
                "a priority tier favours the corridor bases of a plan dataset, and the study has none",
                spec.priority_where);
  }
  if (input.has_plan && prepared.reuse == nullptr) {
    prepared.priority = model::priority_factor(plan, study.spec, spec.priority_tier, spec.priority_bonus,
                                               spec.priority_radius_m);
  }
  // Candidate land outside the zones (demand.outside_only_in): the cells in no zone and the year each opens.
  const bool outside_declared = !spec.outside_only_in.empty();
  grid::Grid<std::int16_t> open_year = candidate_open_year(spec, input, start, end);
  const int no_zone = study.zone.size() > 0 ? study.zone_count() - 1 : 0;
  auto in_no_zone = [&](std::int64_t i) { return study.zone.size() == 0 || study.zone[i] == no_zone; };
  for (std::int64_t i = 0; i < open_year.size(); ++i) {
    if (!in_no_zone(i) || study.area[i] == 0) open_year[i] = 0;
  }
  std::vector<int> opening_years;
  for (std::int64_t i = 0; i < open_year.size(); ++i) {
    if (open_year[i] > start) opening_years.push_back(open_year[i]);
  }
  std::sort(opening_years.begin(), opening_years.end());
  opening_years.erase(std::unique(opening_years.begin(), opening_years.end()), opening_years.end());
  std::vector<bool> growable;
  for (const auto& c : study.classes.classes()) growable.push_back(!c.fixed);

  prepared.open_year = open_year;
  prepared.growable = growable;
  prepared.late_land = !opening_years.empty();
  sim::SimulationInput& in = prepared.in;
  const std::size_t reported_before = problems.size();
  arena.execute([&] {
    if (prepared.reuse != nullptr) return reuse_suitability(*prepared.reuse, prepared, result, problems);
    model::DriverSet set = driver_set(study, drivers.build(start, study.initial, used));
    for (std::size_t d = 0; d < set.size(); ++d) result.drivers.push_back({set.names()[d], set.unit(d), set.values(d)});
    prepared.suitability = model::build_suitability(spec.suitability, study, set, problems);
    in.suitability = model::suitability_grids(prepared.suitability, set, study.area, prepared.priority);
    close_unopened(in.suitability, growable, open_year, start, !opening_years.empty());
    prepared.final_suitability = in.suitability;
    if (drivers.depends_on_map(used)) {
      // Drivers measured on the simulated map: every run recomputes its suitability each year.
      in.suitability_update = suitability_update_of(&prepared);
      problems.report(Severity::info, "suitability.every_year",
                      "drivers measured on the simulated map: suitability is recomputed every simulated year",
                      Context{.key = "drivers"});
      return;
    }
    // Sources that change (a station opens, a new road map) and candidate land that opens: suitability recomputed
    // from that year.
    auto state = drivers.state(start, used);
    for (int y = start + 1; y <= end; ++y) {
      auto next = drivers.state(y, used);
      const bool land_opens = std::binary_search(opening_years.begin(), opening_years.end(), y);
      const bool changed = next != state;
      if (!changed && !land_opens) continue;
      state = std::move(next);
      model::DriverSet year_set = driver_set(study, drivers.build(y, study.initial, used));
      auto grids_y = model::suitability_grids(prepared.suitability, year_set, study.area, prepared.priority);
      close_unopened(grids_y, growable, open_year, y, !opening_years.empty());
      for (int k = 0; k < K; ++k) {
        if (grids_y[static_cast<std::size_t>(k)].size() == 0) continue;
        in.suitability_events.push_back({y, k, grids_y[static_cast<std::size_t>(k)]});
      }
      prepared.final_suitability = std::move(grids_y);
      problems.report(Severity::info, "suitability.event",
                      fmt::format("{} in {}: suitability recomputed",
                                  !land_opens ? "infrastructure opening"
                                  : changed   ? "infrastructure and candidate land opening"
                                              : "candidate land opening",
                                  y),
                      Context{.key = land_opens && !changed ? "demand.outside_only_in" : "infrastructure"});
    }
  });
  if (prepared.keep) keep_suitability(prepared, result, problems, reported_before);

  // Land in no zone: candidate land develops from the year it opens; the rest never changes. A plan study without a
  // land-cover base has no land-use data outside its parcels, phases and zones: that land is no data (outside the
  // study area, counted nowhere), not non-built land, unless it is candidate land.
  {
    study::Study& st = prepared.input.study;
    const bool no_base = input.has_plan && st.maps.empty() && st.has_plan_layers();
    std::int64_t closed = 0, no_data = 0, candidate = 0;
    for (std::int64_t i = 0; i < st.area.size(); ++i) {
      if (st.area[i] == 0 || !in_no_zone(i)) continue;
      if (open_year[i] > 0 || (!outside_declared && !no_base)) {
        ++candidate;
        continue;
      }
      const bool has_data = !no_base || st.parcel[i] >= 0 || st.phase[i] != 255;
      if (has_data) {
        if (outside_declared && st.exclusion[i] == 0) {
          st.exclusion[i] = 1;
          ++closed;
        }
      } else {
        st.area[i] = 0;
        st.initial[i] = study::no_class;
        ++no_data;
      }
    }
    const double cell_km2 = units::m2_to_km2(st.spec.cell_area_m2());
    if (outside_declared) {
      problems.report(Severity::info, "grid.candidate_land",
                      fmt::format("outside the zones only the regions {} may develop: {:.2f} km2 of candidate land{}",
                                  fmt::join(spec.outside_only_in, ", "), static_cast<double>(candidate) * cell_km2,
                                  closed > 0 ? fmt::format(", {:.2f} km2 of other land in no zone never change",
                                                           static_cast<double>(closed) * cell_km2)
                                             : std::string()),
                      spec.outside_where);
    }
    if (no_data > 0) {
      problems.report(Severity::info, "grid.no_landuse_data",
                      fmt::format("{:.2f} km2 outside the parcels, phases, zones and candidate land have no land-use "
                                  "data: no data (never change, counted in no class)",
                                  static_cast<double>(no_data) * cell_km2),
                      Context{.layer = "parcels"});
    }
  }

  // 4. Demand.
  progress.check(0.3, "land demand");
  prepared.demand = model::study_demand(spec.demand, study, input.has_plan ? &plan : nullptr, prepared.opening, end,
                                        problems);

  prepared.tracked = tracked_areas(spec, input, end);
  for (int y = start; y <= end; ++y) prepared.years.push_back(y);
  {
    const Prepared* p = &prepared;
    const double cell_m2 = study.spec.cell_area_m2();
    prepared.measure = [p, cell_m2](const sim::SimulationResult& run) {
      std::vector<const grid::Grid<std::uint8_t>*> maps{&p->input.study.initial};
      for (const auto& [y, m] : run.year_maps) maps.push_back(&m);
      return metrics::measure_tracked(p->tracked, maps, cell_m2);
    };
  }

  // 5. Simulation input.
  in.initial_classes = study.initial;
  in.class_count = K;
  for (const auto& c : study.classes.classes()) {
    in.class_names.push_back(c.key);
    in.built_classes.push_back(c.built);
  }
  // Cells of fixed classes (green, roads, water) never change either; marking them constrained also keeps them out
  // of a phase's "developable cells" when its fill-up is measured.
  in.constraint = study.exclusion;
  for (std::int64_t i = 0; i < in.constraint.size(); ++i) {
    const auto k = study.initial[i];
    if (k != study::no_class && study.classes[k].fixed) in.constraint[i] = 1;
  }
  in.phase = study.phase;
  in.phase_opening_year = prepared.opening;
  in.zone = study.zone;
  in.zone_count = study.zone.size() > 0 ? study.zone_count() : 1;
  // A convertible class may become any class that is not fixed; built and fixed classes never change.
  in.conversion.assign(static_cast<std::size_t>(K * K), sim::ConversionRule{false, 1.0});
  for (int from = 0; from < K; ++from) {
    for (int to = 0; to < K; ++to) {
      if (from != to && study.classes[from].convertible() && !study.classes[to].fixed) {
        in.conversion[static_cast<std::size_t>(from * K + to)].allowed = true;
      }
    }
  }
  in.start_year = start;
  for (const auto& y : prepared.demand.years) in.demand.push_back({y.year, y.cells});
  in.demand_by_zone = prepared.demand.by_zone;
  for (int y = start + 1; y <= end; ++y) in.output_years.push_back(y);
  in.layer = "simulation";
}

// outputs.key_years checked against the run's years (DEFAULT start, middle, end), sorted and unique.
std::vector<int> key_years_of(const RunSpec& spec, int start, int end) {
  std::vector<int> key_years;
  for (auto y : spec.key_years) {
    if (y < start || y > end) {
      throw Error(ErrorCode::config, fmt::format("{} is outside the run's years {}..{}", y, start, end),
                  spec.key_years_where);
    }
    key_years.push_back(y);
  }
  if (key_years.empty()) key_years = {start, start + (end - start) / 2, end};
  std::sort(key_years.begin(), key_years.end());
  key_years.erase(std::unique(key_years.begin(), key_years.end()), key_years.end());
  return key_years;
}

report::AllocationSummary allocation_summary(const alloc::PlanAllocation& a) {
  report::AllocationSummary sum;
  sum.diagnosis = a.diagnosis;
  if (a.nothing_to_allocate) {
    sum.status = "no_solution";
    return sum;
  }
  const alloc::AllocationResult& r = a.result;
  sum.status = std::string(alloc::to_string(r.status));
  sum.objective = r.objective;
  sum.best_bound = r.best_bound;
  sum.gap_pct = r.gap_pct;
  sum.solve_seconds = r.solve_seconds;
  for (const auto& c : r.constraints) {
    sum.constraints.push_back({c.name, std::string(alloc::to_string(c.kind)), c.unit, c.lhs, c.rhs, c.slack,
                               c.shadow_price, c.binding});
  }
  return sum;
}

// The series of a tracked area in one run's measures.
std::vector<double> series_of(const Prepared& prepared, const std::vector<double>& measured, const std::string& id) {
  const std::size_t T = prepared.years.size();
  for (std::size_t a = 0; a < prepared.tracked.size(); ++a) {
    if (prepared.tracked[a].id == id && measured.size() >= (a + 1) * T) {
      return std::vector<double>(measured.begin() + static_cast<std::ptrdiff_t>(a * T),
                                 measured.begin() + static_cast<std::ptrdiff_t>((a + 1) * T));
    }
  }
  return {};
}

int delivered_year(const Prepared& prepared, const std::vector<double>& measured, double target_mu) {
  return metrics::first_year_reaching(prepared.years, series_of(prepared, measured, "health_industry_developed_mu"),
                                      target_mu);
}

// The answering indicator over the runs: mean and sample sd of the runs that have a value.
report::Answer answer_of(const RunSpec& spec, const Prepared& prepared,
                         const std::vector<std::vector<double>>& measures, const report::RunResult& result) {
  report::Answer a;
  a.indicator = spec.answer_indicator;
  a.runs = static_cast<int>(measures.size());
  std::vector<double> values;
  if (a.indicator == "health_industry_delivered_year") {
    a.label_en = fmt::format("Year by which {:.0f} mu of health-industry land are developed in the expansion",
                             spec.allocation.min_health_industry_mu);
    a.unit = "yr";
    for (const auto& m : measures) {
      const int y = delivered_year(prepared, m, spec.allocation.min_health_industry_mu);
      if (y < 0) {
        ++a.runs_without_value;
      } else {
        values.push_back(y);
      }
    }
  } else {
    const auto at = std::find_if(prepared.tracked.begin(), prepared.tracked.end(),
                                 [&](const metrics::TrackedArea& t) { return t.id == a.indicator; });
    if (at == prepared.tracked.end()) {
      // An indicator of the run as a whole (the allocation's figures): one value, no spread.
      const report::Indicator* row = report::find_indicator(result, a.indicator, spec.answer_year);
      if (row == nullptr || (spec.answer_year == 0 && row->year != 0)) {
        std::vector<std::string> ids{"health_industry_delivered_year"};
        for (const auto& t : prepared.tracked) ids.push_back(t.id);
        throw Error(ErrorCode::config,
                    fmt::format("no indicator '{}'; answer.indicator may be one measured on every run ({}) or one of "
                                "the run's indicators (indicators.csv)",
                                a.indicator, fmt::join(ids, ", ")),
                    spec.answer_where);
      }
      a.label_en = row->label_en;
      a.unit = row->unit;
      a.year = row->year;
      a.runs = 1;
      a.mean = row->value;
      a.sd = std::numeric_limits<double>::quiet_NaN();
      return a;
    }
    a.label_en = at->label_en;
    a.unit = at->unit;
    a.year = spec.answer_year != 0 ? spec.answer_year : result.end_year;
    if (a.year < result.start_year || a.year > result.end_year) {
      throw Error(ErrorCode::config,
                  fmt::format("answer.year {} is outside the run's years {}..{}", a.year, result.start_year,
                              result.end_year),
                  spec.answer_where);
    }
    for (const auto& m : measures) {
      const auto v = series_of(prepared, m, a.indicator);
      values.push_back(v.at(static_cast<std::size_t>(a.year - prepared.years.front())));
    }
  }
  double sum = 0.0;
  for (double v : values) sum += v;
  a.mean = values.empty() ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(values.size());
  double ss = 0.0;
  for (double v : values) ss += (v - a.mean) * (v - a.mean);
  a.sd = values.size() < 2 ? std::numeric_limits<double>::quiet_NaN() : std::sqrt(ss / static_cast<double>(values.size() - 1));
  return a;
}

// The answer of the scenario spec.compare_with, run with the same seed, runs, threads and end year.
std::pair<std::string, report::Answer> compared_answer(const RunSpec& spec, const report::RunResult& result);

}  // namespace

report::RunResult run_study(StudyInput input, const RunSpec& spec, const Progress& progress) {
  report::RunResult result;
  ProblemReporter problems;
  Prepared prepared(std::move(input));
  prepare(spec, progress, result, problems, prepared);
  const bool has_plan = prepared.input.has_plan;
  const plan::Plan& plan = result.plan;
  const study::Study& study = prepared.input.study;
  const model::StudyDemand& demand = prepared.demand;
  const sim::SimulationInput& in = prepared.in;
  const sim::Params& params = spec.params;
  const int start = result.start_year;
  const int end = result.end_year;
  const int K = study.classes.count();
  std::vector<bool> built;
  for (const auto& c : study.classes.classes()) built.push_back(c.built);
  tbb::task_arena arena(result.threads);

  sim::SimulationResult run0;
  std::optional<sim::EnsembleResult> ensemble;
  arena.execute([&] {
    run0 = sim::simulate(in, params, result.seed, 0, progress.sub(0.3, result.runs > 1 ? 0.45 : 0.85));
    if (result.runs > 1) {
      ensemble = sim::run_ensemble(in, params, result.seed, 0, static_cast<std::uint64_t>(result.runs), result.threads,
                                   progress.sub(0.45, 0.85), prepared.measure);
    }
  });
  for (const auto& p : run0.problems) problems.report(p);
  if (ensemble) {
    // Run 0's findings are already reported; the other runs' are summarised per run.
    for (const auto& p : ensemble->problems) {
      if (!starts_with(p.message, "run 0: ")) problems.report(p);
    }
  }

  // Key years and class maps.
  const std::vector<int> key_years = key_years_of(spec, start, end);
  result.key_years = key_years;
  auto map_of = [&](int year) -> const grid::Grid<std::uint8_t>& {
    if (year == start) return study.initial;
    for (const auto& [y, m] : run0.year_maps) {
      if (y == year) return m;
    }
    throw Error(ErrorCode::internal, fmt::format("no class map of {}", year));
  };
  // Every simulated year's map: the bundle writes a raster per year, Python reads any year; the report shows the
  // key years only.
  result.class_maps.emplace_back(start, study.initial);
  for (int y = start + 1; y <= end; ++y) result.class_maps.emplace_back(y, map_of(y));

  // Areas per year, zone and class.
  const double cell_m2 = result.grid.cell_area_m2();
  const int Z = in.zone_count;
  auto zone_name = [&](int z) { return z == Z - 1 ? std::string() : study.zone_ids[static_cast<std::size_t>(z)]; };
  std::vector<int> years;
  std::vector<std::vector<std::int64_t>> counts;
  years.push_back(start);
  counts.push_back(model::bucket_counts(study.initial, study.zone, Z, K));
  for (const auto& rec : run0.years) {
    years.push_back(rec.year);
    counts.push_back(rec.cells);
  }
  for (std::size_t t = 0; t < years.size(); ++t) {
    for (int z = 0; z < Z; ++z) {
      for (int k = 0; k < K; ++k) {
        result.areas.push_back(
            {years[t], zone_name(z), k, static_cast<double>(counts[t][static_cast<std::size_t>(z * K + k)]) * cell_m2});
      }
    }
  }
  for (std::size_t p = 0; p < plan.phases.size(); ++p) {
    const int y = p < run0.phase_full_year.size() ? run0.phase_full_year[p] : sim::not_filled;
    result.phase_fillup_year[plan.phases[p].id] = y == sim::not_filled ? -1 : y;
  }

  // Ensemble summary.
  std::vector<double> built_probability;  // per cell, ensemble
  if (ensemble) {
    report::EnsembleSummary e;
    e.runs = static_cast<int>(ensemble->runs);
    e.first_run = static_cast<int>(ensemble->first_run);
    built_probability.assign(static_cast<std::size_t>(result.grid.cell_count()), 0.0);
    for (int k = 0; k < K; ++k) {
      grid::Grid<float> prob = ensemble->probability_grid(k);
      for (std::int64_t i = 0; i < prob.size(); ++i) {
        if (study.area[i] == 0) {
          prob[i] = std::numeric_limits<float>::quiet_NaN();
        } else if (built[static_cast<std::size_t>(k)]) {
          built_probability[static_cast<std::size_t>(i)] += ensemble->probability(k, i);
        }
      }
      e.probability.push_back(std::move(prob));
    }
    for (std::size_t p = 0; p < plan.phases.size(); ++p) {
      std::vector<int> fill;
      for (const auto& run : ensemble->phase_full_year) {
        const int y = p < run.size() ? run[p] : sim::not_filled;
        fill.push_back(y == sim::not_filled ? -1 : y);
      }
      e.fillup_years.emplace_back(plan.phases[p].id, std::move(fill));
    }
    result.ensemble = std::move(e);
  }

  // 6. Parcels.
  progress.check(0.85, "parcels");
  std::optional<double> health_mu;
  if (has_plan) {
    const auto cells = metrics::parcel_cells(study.parcel, plan.parcels.size());
    std::vector<bool> built_at_start;
    for (const auto& p : plan.parcels) built_at_start.push_back(p.status == plan::DevelopmentStatus::built);
    const auto development = metrics::parcel_development(cells, built_at_start, built, start, study.initial,
                                                         run0.year_maps, run0.final_classes, built_probability);
    std::vector<double> development_probability;
    const auto floor = model::floor_area_per_land_m2(spec.demand, &plan, study.classes);
    result.parcels.resize(plan.parcels.size());
    for (std::size_t i = 0; i < plan.parcels.size(); ++i) {
      auto& r = result.parcels[i];
      r.developed_year = development[i].developed_year;
      r.developed_share_end = development[i].developed_share_end;
      r.development_probability = development[i].development_probability;
      r.sim_class_end = development[i].sim_class_end;
      r.gfa_m2 = model::parcel_floor_area_m2(plan.parcels[i], r.developed_share_end,
                                             r.sim_class_end >= 0 ? floor[static_cast<std::size_t>(r.sim_class_end)] : 0.0);
      development_probability.push_back(r.development_probability);
    }

    // 7. Allocation.
    if (spec.allocate) {
      progress.check(0.87, "allocating parcels");
      const alloc::PlanAllocation a =
          alloc::allocate_plan(spec.allocation, plan, study.classes, cells, result.grid,
                               prepared.final_suitability, development_probability, problems);
      for (std::size_t i = 0; i < a.result.option.size(); ++i) {
        const int u = a.result.option[i];
        if (u < 0) continue;
        auto& r = result.parcels[i];
        const auto& o = a.options[static_cast<std::size_t>(u)];
        r.alloc_zone = o.zone;
        r.alloc_landuse = o.landuse;
        const auto& p = plan.parcels[i];
        r.alloc_kept = (p.status == plan::DevelopmentStatus::built ||
                        p.status == plan::DevelopmentStatus::under_construction) &&
                       p.zone == o.zone && p.landuse == o.landuse;
        r.alloc_year = r.developed_year;
        r.alloc_score = a.score[i];
      }
      health_mu = a.health_industry_mu;
      result.allocation = allocation_summary(a);
    }
  }

  // 8. Indicators.
  progress.check(0.97, "indicators");
  metrics::ComplianceInput ci;
  ci.has_plan = has_plan;
  for (const auto& ph : plan.phases) {
    ci.plan_total_m2 += ph.area_m2;
    if (!plan::is_expansion(ph.id)) ci.phase12_m2 += ph.area_m2;
    if (ph.id == "3") ci.phase3_m2 += ph.area_m2;
  }
  if (plan.phases.empty()) ci.plan_total_m2 = prepared.input.accounting.parcels_m2;
  ci.years = years;
  const auto zone_dev = metrics::developed_by_zone_m2(counts, built, Z, cell_m2);
  for (std::size_t t = 0; t < years.size(); ++t) {
    double dev = 0.0;
    for (int z = 0; z < Z; ++z) dev += zone_dev[static_cast<std::size_t>(z)][t];
    ci.developed_m2.push_back(dev);
    if (!plan.ftz.empty()) ci.ftz_developed_m2.push_back(metrics::developed_inside_m2(map_of(years[t]), study.ftz, built, cell_m2));
    double unmet = 0.0;
    if (t > 0) {
      unmet = demand.capacity_cut_m2[t - 1];
      for (auto u : run0.years[t - 1].unmet_cells) unmet += static_cast<double>(u) * cell_m2;
    }
    ci.unmet_demand_m2.push_back(unmet);
  }
  if (has_plan) {
    for (int z = 0; z < Z - 1; ++z) ci.zone_developed_m2.emplace_back(study.zone_ids[static_cast<std::size_t>(z)], zone_dev[static_cast<std::size_t>(z)]);
  } else {
    for (const auto& c : study.classes.classes()) {
      metrics::ComplianceInput::ClassArea area{c.key, c.name_en, c.name_zh, {}};
      for (const auto& cnt : counts) {
        std::int64_t n = 0;
        for (int z = 0; z < Z; ++z) n += cnt[static_cast<std::size_t>(z * K + c.id)];
        area.area_m2.push_back(static_cast<double>(n) * cell_m2);
      }
      ci.class_area.push_back(std::move(area));
    }
  }
  if (demand.forecast) {
    // The area trend the demand follows, with its spread (for studies of map series).
    const model::AreaForecast& f = *demand.forecast;
    for (const auto& c : study.classes.classes()) {
      metrics::ComplianceInput::ClassDemand d{c.key, c.name_en, c.name_zh, {}, {}};
      for (const int year : years) {
        const auto at = std::find(f.years.begin(), f.years.end(), year);
        const bool known = at != f.years.end();
        const auto row = static_cast<Eigen::Index>(at - f.years.begin());
        d.area_m2.push_back(known ? f.area_m2(row, c.id) : std::numeric_limits<double>::quiet_NaN());
        d.sd_m2.push_back(known ? f.sd_m2(row, c.id) : std::numeric_limits<double>::quiet_NaN());
      }
      ci.class_demand.push_back(std::move(d));
    }
  }
  ci.health_industry_mu = health_mu;
  if (result.allocation && spec.allocation.min_health_industry_mu > 0.0) {
    ci.health_industry_target_mu = spec.allocation.min_health_industry_mu;
  }
  if (result.allocation && (result.allocation->status == "optimal" || result.allocation->status == "feasible")) {
    ci.alloc_gap_pct = result.allocation->gap_pct;
  }
  if (auto it = result.phase_fillup_year.find("3"); it != result.phase_fillup_year.end()) {
    ci.fillup_year_phase3 = it->second;
  }
  for (auto& row : metrics::plan_compliance(ci)) {
    result.indicators.push_back({result.scenario_name, row.year, std::move(row.id), std::move(row.label_zh),
                                 std::move(row.label_en), std::move(row.unit), row.value});
  }
  // Tracked areas of run 0 by year (those plan_compliance does not already give), and the year the health-industry
  // target is delivered on the ground.
  std::vector<std::vector<double>> run_measures;
  if (ensemble) {
    run_measures = ensemble->measures;
  } else {
    run_measures.push_back(prepared.measure(run0));
  }
  const std::vector<double> measured0 = prepared.measure(run0);
  const std::size_t T = prepared.years.size();
  for (std::size_t a = 0; a < prepared.tracked.size(); ++a) {
    const auto& t = prepared.tracked[a];
    if (t.id == "developed_km2" || starts_with(t.id, "zone_area_km2.")) continue;
    for (std::size_t y = 0; y < T; ++y) {
      result.indicators.push_back({result.scenario_name, prepared.years[y], t.id, t.label_zh, t.label_en, t.unit,
                                   measured0[a * T + y]});
    }
  }
  if (has_plan && spec.allocation.min_health_industry_mu > 0.0) {
    const auto year = delivered_year(prepared, measured0, spec.allocation.min_health_industry_mu);
    result.indicators.push_back({result.scenario_name, 0, "health_industry_delivered_year",
                                 "扩展区医药健康产业用地达标年份",
                                 fmt::format("Year by which {:.0f} mu of health-industry land are developed in the expansion",
                                             spec.allocation.min_health_industry_mu),
                                 "yr", year < 0 ? std::numeric_limits<double>::quiet_NaN() : year});
  }
  if (!spec.answer_indicator.empty()) {
    result.answer = answer_of(spec, prepared, run_measures, result);
    if (!spec.compare_with.empty()) {
      progress.check(0.98, "the compared scenario");
      const auto [name, b] = compared_answer(spec, result);
      result.answer->baseline_name = name;
      result.answer->baseline_mean = b.mean;
      result.answer->baseline_sd = b.sd;
      result.answer->baseline_runs_without_value = b.runs_without_value;
    }
  }

  result.problems = problems.sorted();
  progress.check(1.0, "done");
  return result;
}

EnsembleRun run_ensemble(StudyInput input, const RunSpec& spec, std::uint64_t first_run, const Progress& progress) {
  report::RunResult result;
  ProblemReporter problems;
  Prepared prepared(std::move(input));
  prepare(spec, progress, result, problems, prepared);
  EnsembleRun out;
  tbb::task_arena arena(result.threads);
  arena.execute([&] {
    out.ensemble = sim::run_ensemble(prepared.in, spec.params, result.seed, first_run,
                                     static_cast<std::uint64_t>(result.runs), result.threads, progress.sub(0.3, 1.0));
  });
  out.study = prepared.input.study.area;
  out.classes = std::move(result.classes);
  for (const auto& ph : result.plan.phases) out.phase_ids.push_back(ph.id);
  out.problems = problems.sorted();
  progress.check(1.0, "done");
  return out;
}

namespace {

// The scenario with the options' overrides, its study loaded, and years.start set to the study's when absent.
std::pair<scenario::Scenario, StudyInput> load(const scenario::Scenario& scenario, const RunOptions& options) {
  scenario::Scenario s = scenario;
  if (options.seed) s.set("seed", static_cast<std::int64_t>(*options.seed));
  if (options.runs) s.set("runs", static_cast<std::int64_t>(*options.runs));
  if (options.threads) s.set("threads", static_cast<std::int64_t>(*options.threads));
  if (options.end_year) s.set("years.end", static_cast<std::int64_t>(*options.end_year));
  StudyInput input = load_study(s, options.progress.sub(0.0, 0.2));
  if (!s.has("years.start")) s.set("years.start", static_cast<std::int64_t>(input.study.start_year));
  return {std::move(s), std::move(input)};
}

std::pair<std::string, report::Answer> compared_answer(const RunSpec& spec, const report::RunResult& result) {
  const scenario::Scenario other = scenario::Scenario::load(spec.compare_with);
  RunOptions o;
  o.seed = result.seed;
  o.runs = result.runs;
  o.threads = result.threads;
  o.end_year = result.end_year;
  auto [os, input] = load(other, o);
  RunSpec ospec = run_spec(os);
  const bool tracked = spec.answer_indicator == "health_industry_delivered_year" ||
                       std::any_of(result.indicators.begin(), result.indicators.end(), [&](const report::Indicator& i) {
                         return i.id == spec.answer_indicator && i.year != 0;
                       });
  if (!tracked) {
    // A figure of the whole run (the allocation): the compared scenario is run whole.
    ospec.answer_indicator = spec.answer_indicator;
    ospec.answer_year = spec.answer_year;
    ospec.answer_where = spec.answer_where;
    ospec.compare_with.clear();
    const report::RunResult other_result = run_study(std::move(input), ospec);
    return {ospec.name, *other_result.answer};
  }
  // The question's indicator and regions are the what-if's, measured on the compared scenario alike.
  ospec.answer_indicator = spec.answer_indicator;
  ospec.answer_year = spec.answer_year;
  ospec.answer_where = spec.answer_where;
  ospec.regions = spec.regions;
  ospec.compare_with.clear();
  report::RunResult r;
  ProblemReporter problems;
  Prepared prepared(std::move(input));
  prepare(ospec, Progress(), r, problems, prepared);
  sim::EnsembleResult e;
  tbb::task_arena arena(r.threads);
  arena.execute([&] {
    e = sim::run_ensemble(prepared.in, ospec.params, r.seed, 0, static_cast<std::uint64_t>(r.runs), r.threads,
                          Progress(), prepared.measure);
  });
  return {ospec.name, answer_of(ospec, prepared, e.measures, r)};
}

}  // namespace

report::RunResult run_scenario(const scenario::Scenario& scenario, const RunOptions& options) {
  auto [s, input] = load(scenario, options);
  return run_study(std::move(input), run_spec(s), options.progress);
}

EnsembleRun run_ensemble(const scenario::Scenario& scenario, std::uint64_t first_run, const RunOptions& options) {
  auto [s, input] = load(scenario, options);
  return run_ensemble(std::move(input), run_spec(s), first_run, options.progress);
}

std::vector<Problem> check_scenario(const scenario::Scenario& scenario, const RunOptions& options) {
  auto [s, input] = load(scenario, options);
  const RunSpec spec = run_spec(s);
  report::RunResult result;
  ProblemReporter problems;
  Prepared prepared(std::move(input));
  prepare(spec, options.progress, result, problems, prepared);
  // What run_study then checks before it simulates or allocates, by the same calls.
  key_years_of(spec, result.start_year, result.end_year);
  prepared.in.validate();
  spec.params.validate(prepared.in.class_count);
  if (spec.allocate && prepared.input.has_plan && !alloc::expansion_zones(result.plan).empty()) {
    alloc::plan_targets(spec.allocation, result.plan);
  }
  return problems.sorted();
}

StudyInput load_study(const scenario::Scenario& s, const Progress& progress) {
  StudyInput input;
  ProblemReporter problems;
  for (const auto& f : s.files()) input.input_files.push_back(f.string());
  // 1. Plan.
  progress.check(0.0, "loading the plan");
  const fs::path dataset = s.get_path("geodata.path");
  input.has_plan = !dataset.empty();
  const auto openings = scenario::infrastructure(s);
  plan::FieldMapping mapping;
  if (input.has_plan) {
    if (const auto m = s.get_path("geodata.mapping"); !m.empty()) {
      mapping = scenario::load_mapping(m);
      input.input_files.push_back(m.string());
    }
    if (const auto crs = s.get_text("geodata.crs"); !crs.empty()) mapping.assume_crs = crs;
    input.input_files.push_back(dataset.string());
    input.plan = plan::load_plan(dataset, mapping, problems, {}, progress.sub(0.0, 0.5));
    input.accounting = plan::account(input.plan);
    study::apply_openings(input.plan, openings, problems);
  } else if (!openings.empty()) {
    throw Error(ErrorCode::config, "[[infrastructure]] opens features of a plan dataset, and the scenario has none",
                openings.front().context);
  }
  // 2. Study: grid, classes, maps, area; then the declared drivers.
  progress.check(0.5, "building the study");
  study::StudySpec spec = scenario::study_spec(s);
  if (input.has_plan) spec.plan_class_names = plan::read_sim_class_names(dataset, mapping);
  for (const auto& m : spec.maps) input.input_files.push_back(m.path.string());
  input.study = study::build_study(spec, input.has_plan ? &input.plan : nullptr, problems);
  input.drivers = std::make_shared<const study::DriverBuilder>(scenario::driver_specs(s), input.study,
                                                               input.has_plan ? &input.plan : nullptr,
                                                               s.get_real("suitability.max_distance_m"), problems);
  input.problems = problems.sorted();
  progress.check(1.0, "study loaded");
  return input;
}

RunSpec run_spec(const scenario::Scenario& scenario, const RunOptions& options) {
  scenario::Scenario s = scenario;
  if (options.seed) s.set("seed", static_cast<std::int64_t>(*options.seed));
  if (options.runs) s.set("runs", static_cast<std::int64_t>(*options.runs));
  if (options.threads) s.set("threads", static_cast<std::int64_t>(*options.threads));
  if (options.end_year) s.set("years.end", static_cast<std::int64_t>(*options.end_year));
  RunSpec spec;
  spec.name = s.name();
  spec.question = s.get_text("question");
  spec.description = s.get_text("description");
  spec.effective_scenario_toml = s.to_toml();
  spec.seed = static_cast<std::uint64_t>(s.get_int("seed"));
  spec.runs = static_cast<int>(s.get_int("runs"));
  spec.threads = static_cast<int>(s.get_int("threads"));
  if (!s.has("years.end")) {
    throw Error(ErrorCode::config, "years.end is required: the last simulated year (or `parksim run --end YEAR`)",
                s.context("years.end"));
  }
  spec.end_year = static_cast<int>(s.get_int("years.end"));
  spec.end_where = s.context("years.end");
  spec.drivers = s.get_text_list("suitability.drivers");
  spec.drivers_where = s.context("suitability.drivers");
  spec.suitability = scenario::suitability_spec(s, spec.seed);
  spec.priority_tier = s.get_text("suitability.priority_tier");
  spec.priority_bonus = s.get_real("suitability.priority_bonus");
  spec.priority_radius_m = s.get_real("suitability.priority_radius_m");
  spec.priority_where = s.context("suitability.priority_tier");
  spec.demand = scenario::demand_spec(s);
  for (const auto& key : s.child_keys("phases.open_year")) {
    spec.phase_open_year.emplace_back(key, static_cast<int>(s.get_int("phases.open_year." + key)),
                                      s.context("phases.open_year." + key));
  }
  spec.params = scenario::sim_params(s);
  spec.allocate = s.get_bool("alloc.enabled");
  spec.allocation = scenario::allocation_spec(s);
  for (auto y : s.get_int_list("outputs.key_years")) spec.key_years.push_back(static_cast<int>(y));
  spec.key_years_where = s.context("outputs.key_years");
  for (const auto& name : s.child_keys("regions")) {
    const std::string key = "regions." + name;
    if (!s.has(key + ".driver") || !s.has(key + ".max")) {
      throw Error(ErrorCode::config, fmt::format("[{}] needs driver = \"<declared driver>\" and max = <value>", key),
                  s.context(key));
    }
    spec.regions.push_back({name, s.get_text(key + ".driver"),
                            s.has(key + ".label") ? s.get_text(key + ".label") : std::string(), s.get_real(key + ".max"),
                            s.context(key + ".driver")});
  }
  spec.outside_only_in = s.get_text_list("demand.outside_only_in");
  spec.outside_where = s.context("demand.outside_only_in");
  spec.answer_indicator = s.get_text("answer.indicator");
  spec.answer_year = static_cast<int>(s.get_int("answer.year"));
  spec.answer_where = s.context("answer.indicator");
  spec.compare_with = s.get_path("answer.compare_with");
  return spec;
}

MeasuredRuns measure_study(const StudyInput& input, const RunSpec& spec, const std::vector<IndicatorQuery>& queries,
                           const Progress& progress, SuitabilityCache* cache, bool keep_developed) {
  // The allocation's figures are the only indicators that need it.
  static const std::vector<std::string> allocation_ids{"health_industry_land_mu", "health_industry_target_met",
                                                       "alloc_gap_pct"};
  MeasuredRuns out;
  out.values.resize(queries.size());
  report::RunResult result;
  ProblemReporter problems;
  Prepared prepared(input);  // a copy: prepare() may close candidate land in it
  if (cache != nullptr && cache->data) {
    prepared.reuse = cache->data.get();
  } else if (cache != nullptr) {
    prepared.keep = true;
  }
  prepare(spec, progress.sub(0.0, 0.3), result, problems, prepared);
  if (prepared.kept) cache->data = std::move(prepared.kept);
  // Queries measured on every run's maps, and those that need a whole run.
  std::vector<bool> tracked(queries.size());
  bool whole = false, allocate = false;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const std::string& id = queries[q].id;
    tracked[q] = id == "health_industry_delivered_year" ||
                 std::any_of(prepared.tracked.begin(), prepared.tracked.end(),
                             [&](const metrics::TrackedArea& t) { return t.id == id; });
    whole = whole || !tracked[q];
    allocate = allocate || std::find(allocation_ids.begin(), allocation_ids.end(), id) != allocation_ids.end();
  }
  const int start = result.start_year, end = result.end_year;
  std::vector<std::string> measurable{"health_industry_delivered_year"};
  for (const auto& t : prepared.tracked) measurable.push_back(t.id);
  // Each run measures only the areas the queries read (the delivered year reads the health-industry area).
  std::vector<metrics::TrackedArea> asked;
  for (auto& t : prepared.tracked) {
    const bool read = std::any_of(queries.begin(), queries.end(), [&](const IndicatorQuery& q) {
      return q.id == t.id || (q.id == "health_industry_delivered_year" && t.id == "health_industry_developed_mu");
    });
    if (read) asked.push_back(std::move(t));
  }
  prepared.tracked = std::move(asked);

  if (keep_developed || std::find(tracked.begin(), tracked.end(), true) != tracked.end()) {
    sim::EnsembleResult e;
    tbb::task_arena arena(result.threads);
    arena.execute([&] {
      e = sim::run_ensemble(prepared.in, spec.params, result.seed, 0, static_cast<std::uint64_t>(result.runs),
                            result.threads, progress.sub(0.3, whole ? 0.6 : 1.0), prepared.measure);
    });
    for (const auto& p : e.problems) problems.report(p);
    if (keep_developed) {
      const study::Study& study = prepared.input.study;
      grid::Grid<float> developed(e.spec, 0.0f);
      for (int k = 0; k < study.classes.count(); ++k) {
        if (!study.classes.classes()[static_cast<std::size_t>(k)].built) continue;
        for (std::int64_t i = 0; i < developed.size(); ++i) developed[i] += static_cast<float>(e.probability(k, i));
      }
      for (std::int64_t i = 0; i < developed.size(); ++i) {
        if (study.area[i] == 0) developed[i] = std::numeric_limits<float>::quiet_NaN();
      }
      out.developed = std::move(developed);
    }
    for (std::size_t q = 0; q < queries.size(); ++q) {
      if (!tracked[q]) continue;
      const IndicatorQuery& query = queries[q];
      const int year = query.year != 0 ? query.year : end;
      if (query.id != "health_industry_delivered_year" && (year < start || year > end)) {
        throw Error(ErrorCode::config,
                    fmt::format("year {} of indicator '{}' is outside the run's years {}..{}", year, query.id, start,
                                end),
                    query.where);
      }
      for (const auto& m : e.measures) {
        if (query.id == "health_industry_delivered_year") {
          const int y = delivered_year(prepared, m, spec.allocation.min_health_industry_mu);
          out.values[q].push_back(y < 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(y));
        } else {
          out.values[q].push_back(series_of(prepared, m, query.id).at(static_cast<std::size_t>(year - start)));
        }
      }
    }
  }
  if (whole) {
    RunSpec one = spec;
    one.runs = 1;
    one.allocate = spec.allocate && allocate;
    one.answer_indicator.clear();
    one.compare_with.clear();
    const report::RunResult r = run_study(input, one, progress.sub(0.6, 1.0));
    for (const auto& p : r.problems) problems.report(p);
    for (std::size_t q = 0; q < queries.size(); ++q) {
      if (tracked[q]) continue;
      const IndicatorQuery& query = queries[q];
      const bool by_year = std::any_of(r.indicators.begin(), r.indicators.end(), [&](const report::Indicator& i) {
        return i.id == query.id && i.year != 0;
      });
      const int year = by_year ? (query.year != 0 ? query.year : end) : 0;
      const report::Indicator* row = report::find_indicator(r, query.id, year);
      if (row == nullptr || row->year != year) {
        throw Error(ErrorCode::config,
                    by_year ? fmt::format("indicator '{}' has no value in {} (the run's years are {}..{})", query.id,
                                          year, start, end)
                            : fmt::format("no indicator '{}'; an indicator measured on every run ({}) or one of the "
                                          "run's indicators (indicators.csv)",
                                          query.id, fmt::join(measurable, ", ")),
                    query.where);
      }
      out.values[q].push_back(row->value);
    }
  }
  out.problems = problems.sorted();
  progress.check(1.0, "measured");
  return out;
}

}  // namespace parksim::pipeline
