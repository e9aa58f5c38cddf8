#include "model/study_demand.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/trend.hpp"
#include "plan/accounting.hpp"

namespace parksim::model {

namespace {

constexpr double kShareTolerance = 1e-6;  // shares given in a scenario must sum to 1 within this

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::vector<std::string> plan_zones(const study::Study& study) {
  return std::vector<std::string>(study.zone_ids.begin(), study.zone_ids.end() - 1);
}

[[noreturn]] void needs_plan(const DemandSpec& spec) {
  throw Error(ErrorCode::config,
              fmt::format("demand.method = \"{}\" grows the zones of a plan dataset, and the scenario has none "
                          "(geodata.path); a study of land-use maps uses \"trend\" or a table for zone \"outside\"",
                          spec.method),
              spec.method_where);
}

std::map<std::string, double> zone_shares(const DemandSpec& spec, const plan::Plan& plan, const study::Study& study,
                                          ProblemReporter& problems) {
  std::map<std::string, double> shares;
  if (!spec.zone_shares.empty()) {
    for (std::size_t i = 0; i < spec.zone_shares.size(); ++i) {
      const auto& [z, v] = spec.zone_shares[i];
      if (study.find_zone(z) < 0) {
        throw Error(ErrorCode::config,
                    fmt::format("no zone '{}' in the plan (zones: {}, and \"outside\")", z,
                                fmt::join(plan_zones(study), ", ")),
                    i < spec.zone_share_where.size() ? spec.zone_share_where[i] : spec.zone_share_table_where);
      }
      shares[z] = v;
    }
  } else {
    for (const auto& t : plan.targets) {
      if (starts_with(t.id, "zone_share_") && study.find_zone(t.id.substr(11)) >= 0) shares[t.id.substr(11)] = t.value;
    }
    if (!shares.empty()) {
      problems.report(Severity::info, "demand.zone_share_from_data",
                      fmt::format("demand split across zones by the dataset's zone_share targets ({})",
                                  fmt::join(shares, ", ")),
                      Context{.layer = "plan_targets", .key = "demand.zone_share"});
    } else {
      std::set<std::string> growing;
      for (const auto& p : plan.parcels) {
        if ((p.status == plan::DevelopmentStatus::vacant || p.status == plan::DevelopmentStatus::planned) &&
            study.find_zone(p.zone) >= 0) {
          growing.insert(p.zone);
        }
      }
      for (const auto& z : growing) shares[z] = 1.0 / static_cast<double>(growing.size());
    }
  }
  double sum = 0.0;
  for (const auto& [z, v] : shares) sum += v;
  if (shares.empty() || std::fabs(sum - 1.0) > kShareTolerance) {
    throw Error(ErrorCode::config, fmt::format("zone shares must sum to 1, they sum to {:.6g}", sum),
                spec.zone_share_table_where);
  }
  return shares;
}

// Share of a zone's new land per class.
std::vector<double> class_split(const DemandSpec& spec, const plan::Plan* plan, const study::ClassTable& classes,
                                const std::string& zone) {
  std::vector<double> share(static_cast<std::size_t>(classes.count()), 0.0);
  if (const auto it = spec.class_shares.find(zone); it != spec.class_shares.end()) {
    const Context where = spec.class_share_where.count(zone) ? spec.class_share_where.at(zone) : Context{};
    double sum = 0.0;
    for (const auto& [c, v] : it->second) {
      const int k = classes.find(c);
      if (k < 0 || !classes[k].built) {
        Context at = where;
        at.key += "." + c;
        throw Error(ErrorCode::config, fmt::format("'{}' is not a built simulation class", c), at);
      }
      share[static_cast<std::size_t>(k)] = v;
      sum += v;
    }
    if (std::fabs(sum - 1.0) > kShareTolerance) {
      throw Error(ErrorCode::config, fmt::format("class shares sum to {:.6g}, not 1", sum), where);
    }
    return share;
  }
  if (plan != nullptr) {
    // DEFAULT: the class mix of the zone's built parcels, else of the expansion's, else of the whole plan.
    auto mix = [&](auto&& keep) {
      std::vector<double> area(static_cast<std::size_t>(classes.count()), 0.0);
      double total = 0.0;
      const auto code_index = classes.code_to_index();
      for (const auto& p : plan->parcels) {
        if (p.status != plan::DevelopmentStatus::built && p.status != plan::DevelopmentStatus::under_construction) continue;
        const auto* c = plan->find_class(p.landuse);
        if (!c || c->sim_class < 0 || c->sim_class > 254) continue;
        const int k = code_index[static_cast<std::size_t>(c->sim_class)];
        if (k == study::no_class || !classes[k].built || !keep(p)) continue;
        area[static_cast<std::size_t>(k)] += p.area_m2;
        total += p.area_m2;
      }
      if (total > 0.0) {
        for (auto& a : area) a /= total;
      }
      return std::make_pair(total, area);
    };
    for (auto [total, area] : {mix([&](const plan::Parcel& p) { return p.zone == zone; }),
                               mix([](const plan::Parcel& p) { return plan::is_expansion(p.phase); }),
                               mix([](const plan::Parcel&) { return true; })}) {
      if (total > 0.0) return area;
    }
  }
  throw Error(ErrorCode::config,
              fmt::format("no built parcel to take a default class mix from; give demand.class_share.{}", zone),
              spec.method_where);
}

StudyDemand areas_demand(const AreaForecast& forecast, const study::Study& study,
                         const grid::Grid<std::uint8_t>& start_map, int end_year, const std::string& source,
                         const Context& method_where, ProblemReporter& problems);

// Area trends of a map series (model/trend.hpp), as yearly per-class targets over the grid.
StudyDemand trend_demand(const DemandSpec& spec, const study::Study& study, int end_year, ProblemReporter& problems) {
  const int start_year = study.start_year;
  const study::ClassTable& classes = study.classes;
  const int K = classes.count();
  std::optional<AreaTrend> model;
  if (spec.method != "auto") model = area_trend_from(spec.method);
  // The study's maps, the latest being the start state; or demand.previous_map and the start map.
  DatedMaps maps;
  grid::Grid<std::uint8_t> before;
  std::string source;
  const bool from_maps = study.maps.size() >= 2 && study.maps.back().year == start_year;
  if (from_maps) {
    for (const auto& m : study.maps) maps.emplace_back(m.year, &m.classes);
    source = fmt::format("the maps of {}", fmt::join([&] {
                           std::vector<int> ys;
                           for (const auto& m : study.maps) ys.push_back(m.year);
                           return ys;
                         }(),
                                                      ", "));
  } else {
    if (spec.previous_map.empty()) {
      throw Error(ErrorCode::config,
                  fmt::format("demand.method = \"{}\" needs two dated land-use maps ([study.maps], the latest at "
                              "years.start) or the class map of an earlier year in demand.previous_map",
                              spec.method),
                  spec.method_where);
    }
    if (spec.previous_year >= start_year) {
      Context where = spec.previous_where;
      where.key = "demand.previous_year";
      throw Error(ErrorCode::config, fmt::format("must be before years.start ({})", start_year), where);
    }
    before = study::read_class_map(spec.previous_map, study, spec.previous_where);
    maps = {{spec.previous_year, &before}, {start_year, &study.initial}};
    source = fmt::format("{} ({}) and the start map", spec.previous_map.string(), spec.previous_year);
  }
  const double cell_m2 = study.spec.cell_area_m2();
  // Capacity of each class (logistic saturation): its area plus the convertible land of the other classes.
  std::vector<double> capacity(static_cast<std::size_t>(K), 0.0);
  {
    std::vector<double> area(static_cast<std::size_t>(K), 0.0);
    double convertible = 0.0;
    std::vector<double> convertible_of(static_cast<std::size_t>(K), 0.0);
    for (std::int64_t i = 0; i < study.initial.size(); ++i) {
      const auto k = study.initial[i];
      if (k == study::no_class || study.area[i] == 0) continue;
      area[k] += cell_m2;
      if (classes[k].convertible() && study.exclusion[i] == 0) {
        convertible += cell_m2;
        convertible_of[k] += cell_m2;
      }
    }
    for (int k = 0; k < K; ++k) {
      const auto kk = static_cast<std::size_t>(k);
      capacity[kk] = area[kk] + convertible - convertible_of[kk];
    }
  }
  return areas_demand(forecast_areas(maps, K, &study.area, capacity, model, end_year), study, *maps.back().second,
                      end_year, source, spec.method_where, problems);
}

// Yearly per-class targets over the grid from projected class areas: the classes whose area rises grow (only the
// built ones when the table has built classes), never below what an earlier year demanded.
StudyDemand areas_demand(const AreaForecast& forecast, const study::Study& study,
                         const grid::Grid<std::uint8_t>& start_map, int end_year, const std::string& source,
                         const Context& method_where, ProblemReporter& problems) {
  const int start_year = study.start_year;
  const study::ClassTable& classes = study.classes;
  const int K = classes.count();
  const double cell_m2 = study.spec.cell_area_m2();
  // Growth of the classes that may grow (their cumulative area never below today's).
  const std::vector<std::string> names = classes.keys();
  const int years = end_year - start_year;
  const Eigen::VectorXd now = area_series({{start_year, &start_map}}, K, &study.area).area_m2.row(0).transpose();
  DemandTable growth;
  for (int y = start_year + 1; y <= end_year; ++y) growth.years.push_back(y);
  std::vector<int> grown;
  // With built classes in the table only they grow (growth is development); without, every class that may change.
  const bool any_built = std::any_of(classes.classes().begin(), classes.classes().end(),
                                     [](const study::ClassInfo& c) { return c.built; });
  for (int k = 0; k < K; ++k) {
    if (classes[k].fixed || (any_built && !classes[k].built) || forecast.area_m2(years - 1, k) <= now(k)) continue;
    grown.push_back(k);
    growth.categories.push_back(names[static_cast<std::size_t>(k)]);
  }
  growth.new_area_m2 = Eigen::MatrixXd::Zero(years, static_cast<Eigen::Index>(grown.size()));
  for (std::size_t j = 0; j < grown.size(); ++j) {
    const int k = grown[j];
    double floor = 0.0;
    for (int t = 0; t < years; ++t) {
      const double cumulative = forecast.area_m2(t, k) - now(k);
      const double step = std::max(cumulative, floor) - floor;  // never below what was already demanded
      growth.new_area_m2(t, static_cast<Eigen::Index>(j)) = step;
      floor += step;
    }
  }
  const auto cells = demand_cells(growth, cell_m2);
  StudyDemand out;
  std::string quantities;
  for (std::size_t j = 0; j < grown.size(); ++j) {
    const int k = grown[j];
    quantities += fmt::format("{}{} {:.3f} ± {:.3f} km2 by {}", quantities.empty() ? "" : "; ", names[static_cast<std::size_t>(k)],
                              forecast.area_m2(years - 1, k) / 1e6, forecast.sd_m2(years - 1, k) / 1e6, end_year);
  }
  out.summary = fmt::format("{} of {}, projected to {}: {}", forecast.why, source, end_year,
                            grown.empty() ? std::string("no class grows") : quantities);
  problems.report(Severity::info, "demand.trend", out.summary, Context{.key = method_where.key});
  out.forecast = forecast;
  out.by_zone = false;
  out.capacity_cut_m2.assign(static_cast<std::size_t>(years), 0.0);
  std::vector<std::int64_t> total(static_cast<std::size_t>(K), 0);
  for (std::int64_t i = 0; i < study.initial.size(); ++i) {
    if (study.initial[i] != study::no_class) ++total[study.initial[i]];
  }
  for (int t = 0; t < years; ++t) {
    YearTargets yd;
    yd.year = start_year + 1 + t;
    yd.cells.assign(static_cast<std::size_t>(K), no_target);
    for (std::size_t j = 0; j < grown.size(); ++j) {
      auto& target = total[static_cast<std::size_t>(grown[j])];
      target += cells(t, static_cast<Eigen::Index>(j));
      yd.cells[static_cast<std::size_t>(grown[j])] = target;
    }
    out.years.push_back(std::move(yd));
  }
  return out;
}

// Class areas given by year (demand.class_area_km2): linear between the start map's areas and the years given,
// constant after the last; classes not given keep their area.
StudyDemand class_area_demand(const DemandSpec& spec, const study::Study& study, int end_year,
                              ProblemReporter& problems) {
  const int start_year = study.start_year;
  const int K = study.classes.count();
  if (spec.class_areas.empty()) {
    throw Error(ErrorCode::config,
                "demand.method = \"class_areas\" needs a [demand.class_area_km2.<class>] table of areas by year",
                spec.method_where);
  }
  const Eigen::VectorXd now = area_series({{start_year, &study.initial}}, K, &study.area).area_m2.row(0).transpose();
  std::vector<std::map<int, double>> given(static_cast<std::size_t>(K));
  for (const auto& e : spec.class_areas) {
    const int k = study.classes.find(e.key);
    if (k < 0) {
      throw Error(ErrorCode::config,
                  fmt::format("no class '{}' (classes: {})", e.key, fmt::join(study.classes.keys(), ", ")),
                  e.where);
    }
    if (e.year <= start_year) {
      throw Error(ErrorCode::config, fmt::format("must be after years.start ({})", start_year), e.where);
    }
    given[static_cast<std::size_t>(k)][e.year] = e.value * 1e6;
  }
  AreaForecast f;
  const int years = end_year - start_year;
  for (int y = start_year + 1; y <= end_year; ++y) f.years.push_back(y);
  f.area_m2 = Eigen::MatrixXd::Zero(years, K);
  f.sd_m2 = Eigen::MatrixXd::Zero(years, K);
  for (int k = 0; k < K; ++k) {
    std::map<int, double> points = given[static_cast<std::size_t>(k)];
    points[start_year] = now(k);
    for (int t = 0; t < years; ++t) {
      const int y = start_year + 1 + t;
      const auto after = points.lower_bound(y);
      double a = 0.0;
      if (after == points.end()) {
        a = std::prev(after)->second;  // constant after the last year given
      } else if (after->first == y) {
        a = after->second;
      } else {
        const auto before = std::prev(after);
        const double w = static_cast<double>(y - before->first) / static_cast<double>(after->first - before->first);
        a = before->second + w * (after->second - before->second);
      }
      f.area_m2(t, k) = a;
    }
  }
  f.why = "class areas given (demand.class_area_km2), linear between the years given";
  return areas_demand(f, study, study.initial, end_year, "the start map", spec.method_where, problems);
}

}  // namespace

std::vector<double> floor_area_per_land_m2(const DemandSpec& spec, const plan::Plan* plan,
                                           const study::ClassTable& classes) {
  const auto K = static_cast<std::size_t>(classes.count());
  std::vector<double> floor(K, 0.0), land(K, 0.0);
  if (plan != nullptr) {
    const auto code_index = classes.code_to_index();
    for (const auto& p : plan->parcels) {
      if (p.far <= 0.0) continue;
      if (p.status != plan::DevelopmentStatus::built && p.status != plan::DevelopmentStatus::under_construction) continue;
      const auto* c = plan->find_class(p.landuse);
      if (!c || c->sim_class < 0 || c->sim_class > 254) continue;
      const int k = code_index[static_cast<std::size_t>(c->sim_class)];
      if (k == study::no_class) continue;
      floor[static_cast<std::size_t>(k)] += p.far * p.area_m2;
      land[static_cast<std::size_t>(k)] += p.area_m2;
    }
  }
  std::vector<double> out(K, 0.0);
  for (std::size_t k = 0; k < K; ++k) {
    if (!classes[static_cast<int>(k)].built) continue;
    // The dataset's far is gross (floor area / parcel area): land of a class with parcels carries their mean far.
    // The scenario's plot ratio is net of the land outside building plots: net_site_share x floor_area_ratio.
    out[k] = land[k] > 0.0 ? floor[k] / land[k] : spec.enterprise.net_site_share * spec.enterprise.floor_area_ratio;
  }
  return out;
}

double parcel_floor_area_m2(const plan::Parcel& parcel, double developed_share, double floor_per_land_m2) {
  const double per_land_m2 = parcel.far > 0.0 ? parcel.far : floor_per_land_m2;
  return parcel.area_m2 * developed_share * per_land_m2;
}

std::vector<std::int64_t> bucket_counts(const grid::Grid<std::uint8_t>& classes, const grid::Grid<std::uint8_t>& zone,
                                        int zone_count, int class_count) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(zone_count * class_count), 0);
  for (std::int64_t i = 0; i < classes.size(); ++i) {
    const auto k = classes[i];
    if (k == study::no_class) continue;
    const int z = zone.size() > 0 ? zone[i] : 0;
    out[static_cast<std::size_t>(z * class_count + k)] += 1;
  }
  return out;
}

StudyDemand study_demand(const DemandSpec& spec, const study::Study& study, const plan::Plan* plan,
                         const std::vector<int>& opening, int end_year, ProblemReporter& problems) {
  const int start_year = study.start_year;
  const study::ClassTable& classes = study.classes;
  const int K = classes.count();
  const int Z = study.zone_count();
  const double cell_m2 = study.spec.cell_area_m2();
  const int years = end_year - start_year;

  if (spec.method == "auto" || area_trend_from(spec.method)) return trend_demand(spec, study, end_year, problems);
  if (spec.method == "class_areas") return class_area_demand(spec, study, end_year, problems);

  // Convertible land per zone: total and open by the end of each year (cumulative), m2.
  Eigen::MatrixXd open_m2 = Eigen::MatrixXd::Zero(years, Z);
  std::vector<double> convertible_m2(static_cast<std::size_t>(Z), 0.0);
  std::vector<double> built_m2(static_cast<std::size_t>(Z), 0.0);
  for (std::int64_t i = 0; i < study.initial.size(); ++i) {
    const auto k = study.initial[i];
    if (k == study::no_class) continue;
    const int z = study.zone.size() > 0 ? study.zone[i] : Z - 1;
    if (classes[k].built) built_m2[static_cast<std::size_t>(z)] += cell_m2;
    if (!classes[k].convertible() || study.exclusion[i] != 0) continue;
    convertible_m2[static_cast<std::size_t>(z)] += cell_m2;
    const int p = study.phase.size() > 0 ? study.phase[i] : 255;
    const int opens = p == 255 ? start_year : opening[static_cast<std::size_t>(p)];
    for (int t = 0; t < years; ++t) {
      if (opens <= start_year + 1 + t) open_m2(t, z) += cell_m2;
    }
  }

  DemandTable table;
  if (spec.method == "enterprise") {
    if (plan == nullptr) needs_plan(spec);
    const auto shares = zone_shares(spec, *plan, study, problems);
    std::vector<ZoneShare> zs;
    for (const auto& [z, v] : shares) zs.push_back({z, v});
    EnterpriseGrowth growth{start_year, spec.base_enterprises, spec.growth_rate};
    table = enterprise_demand(growth, zs, start_year + 1, end_year, spec.enterprise);
  } else if (spec.method == "plan_target") {
    if (plan == nullptr) needs_plan(spec);
    const auto shares = zone_shares(spec, *plan, study, problems);
    if (spec.target_year <= start_year) {
      throw Error(ErrorCode::config, fmt::format("must be after years.start ({})", start_year), spec.target_year_where);
    }
    std::vector<PlanTarget> targets;
    for (const auto& [z, v] : shares) {
      if (v <= 0.0) continue;
      const auto zi = static_cast<std::size_t>(study.find_zone(z));
      targets.push_back({z, built_m2[zi], built_m2[zi] + spec.buildout_share * convertible_m2[zi], spec.target_year});
    }
    table = plan_target_demand(targets, start_year, end_year, spec.path);
  } else if (spec.method == "table") {
    std::vector<std::string> cats;
    for (const auto& e : spec.table) {
      if (std::find(cats.begin(), cats.end(), e.key) == cats.end()) cats.push_back(e.key);
    }
    std::sort(cats.begin(), cats.end());
    if (cats.empty()) {
      throw Error(ErrorCode::config, "demand.method = \"table\" needs a [demand.table.<zone>] table", spec.table_where);
    }
    std::vector<int> ys;
    for (int y = start_year + 1; y <= end_year; ++y) ys.push_back(y);
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(years, static_cast<Eigen::Index>(cats.size()));
    for (const auto& e : spec.table) {
      if (study.find_zone(e.key) < 0) {
        throw Error(ErrorCode::config, fmt::format("no zone '{}'", e.key), e.where);
      }
      if (e.year <= start_year || e.year > end_year) {
        throw Error(ErrorCode::config,
                    fmt::format("year outside the simulated years {}..{}", start_year + 1, end_year), e.where);
      }
      const auto c = std::find(cats.begin(), cats.end(), e.key) - cats.begin();
      m(e.year - start_year - 1, static_cast<Eigen::Index>(c)) = e.value;
    }
    table = exogenous_demand(ys, cats, m);
  } else {
    throw Error(ErrorCode::config, fmt::format("unknown demand method \"{}\"", spec.method), spec.method_where);
  }

  // Land that cannot take the demand (phase not open, zone full) is reported and waits for the next year (or is
  // dropped).
  Eigen::MatrixXd developable(table.years.size(), table.categories.size());
  for (std::size_t c = 0; c < table.categories.size(); ++c) {
    const int z = study.find_zone(table.categories[c]);
    developable.col(static_cast<Eigen::Index>(c)) = open_m2.col(z);
  }
  const DemandTable capped = check_capacity(table, developable, problems, spec.capacity);

  StudyDemand out;
  out.by_zone = spec.by_zone;
  out.zones = table.categories;
  out.summary = fmt::format("{} demand for zones {}", spec.method, fmt::join(table.categories, ", "));
  out.capacity_cut_m2.assign(static_cast<std::size_t>(years), 0.0);
  for (int t = 0; t < years; ++t) {
    out.capacity_cut_m2[static_cast<std::size_t>(t)] = (table.new_area_m2.row(t) - capped.new_area_m2.row(t)).sum();
  }

  // Per (zone, class) area, rounded to cells on the cumulative sums.
  DemandTable split;
  split.years = capped.years;
  std::vector<std::pair<int, int>> bucket;  // (zone, class) of each column
  std::vector<Eigen::VectorXd> columns;
  for (std::size_t c = 0; c < capped.categories.size(); ++c) {
    const int z = study.find_zone(capped.categories[c]);
    const auto share = class_split(spec, plan, classes, capped.categories[c]);
    for (int k = 0; k < K; ++k) {
      if (share[static_cast<std::size_t>(k)] <= 0.0) continue;
      split.categories.push_back(fmt::format("{}/{}", capped.categories[c], k));
      bucket.emplace_back(z, k);
      columns.push_back(capped.new_area_m2.col(static_cast<Eigen::Index>(c)) * share[static_cast<std::size_t>(k)]);
    }
  }
  split.new_area_m2 = Eigen::MatrixXd::Zero(years, static_cast<Eigen::Index>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j) split.new_area_m2.col(static_cast<Eigen::Index>(j)) = columns[j];
  const auto cells = demand_cells(split, cell_m2);

  grid::Grid<std::uint8_t> zone_grid = study.zone;
  if (zone_grid.size() == 0) zone_grid = grid::Grid<std::uint8_t>(study.spec, static_cast<std::uint8_t>(Z - 1));
  const auto initial = bucket_counts(study.initial, zone_grid, Z, K);
  std::vector<std::int64_t> running(initial.size(), 0);
  for (int t = 0; t < years; ++t) {
    YearTargets yd;
    yd.year = start_year + 1 + t;
    for (std::size_t j = 0; j < bucket.size(); ++j) {
      running[static_cast<std::size_t>(bucket[j].first * K + bucket[j].second)] += cells(t, static_cast<Eigen::Index>(j));
    }
    if (out.by_zone) {
      yd.cells.assign(static_cast<std::size_t>(Z * K), no_target);
      for (const auto& [z, k] : bucket) {
        const auto b = static_cast<std::size_t>(z * K + k);
        yd.cells[b] = initial[b] + running[b];
      }
    } else {
      yd.cells.assign(static_cast<std::size_t>(K), no_target);
      for (const auto& [z, k] : bucket) {
        std::int64_t total = 0;
        for (int zz = 0; zz < Z; ++zz) {
          total += initial[static_cast<std::size_t>(zz * K + k)] + running[static_cast<std::size_t>(zz * K + k)];
        }
        yd.cells[static_cast<std::size_t>(k)] = total;
      }
    }
    out.years.push_back(std::move(yd));
  }
  return out;
}

}  // namespace parksim::model
