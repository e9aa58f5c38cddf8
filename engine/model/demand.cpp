#include "model/demand.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <unsupported/Eigen/MatrixFunctions>

#include "core/units.hpp"

namespace parksim::model {
namespace {

constexpr ParamInfo kPlanInfo[] = {
    {"shape", "enum", 0, "path to the target: 0 = linear, 1 = logistic", 0, 1},
    {"logistic_steepness", "1", 8.0, "steepness of the logistic path over the time to the target year", 0.1, 50.0},
};
constexpr ParamInfo kEnterpriseInfo[] = {
    {"floor_area_per_enterprise_m2", "m2", 2000.0, "gross floor area occupied per enterprise", 1.0, 1e7},
    {"floor_area_ratio", "1", 1.5, "floor area ratio (plot ratio) of new industrial plots", 0.05, 20.0},
    {"net_site_share", "1", 0.6,
     "share of zone land that becomes building plots (site coverage); land = floor / FAR / share", 0.05, 1.0},
};
constexpr ParamInfo kCapacityInfo[] = {
    {"tolerance_m2", "m2", 1.0, "shortfalls of demand up to this area are not reported", 0.0, 1e9},
    {"carry_forward", "", 1.0, "demand without room in a year is carried to the next year (0: dropped)", 0.0, 1.0,
     ParamKind::boolean},
};

double logistic(double v) noexcept { return 1.0 / (1.0 + std::exp(-v)); }

std::vector<int> year_range(int first, int last) {
  std::vector<int> years;
  for (int y = first; y <= last; ++y) years.push_back(y);
  return years;
}

std::string format_area(double area_m2) {
  const double km2 = units::m2_to_km2(area_m2);
  if (km2 >= 0.005) return fmt::format("{:.2f} km²", km2);
  return fmt::format("{:.0f} m²", area_m2);
}

}  // namespace

std::span<const ParamInfo> PlanTargetParams::info() { return kPlanInfo; }
std::span<const ParamInfo> EnterpriseParams::info() { return kEnterpriseInfo; }
std::span<const ParamInfo> CapacityParams::info() { return kCapacityInfo; }

// ---- DemandTable ----

void DemandTable::validate() const {
  const Context where{.key = "demand"};
  if (new_area_m2.rows() != static_cast<Eigen::Index>(years.size()) ||
      new_area_m2.cols() != static_cast<Eigen::Index>(categories.size())) {
    throw Error(ErrorCode::config,
                fmt::format("demand table is {} x {} but has {} years and {} categories", new_area_m2.rows(),
                            new_area_m2.cols(), years.size(), categories.size()),
                where);
  }
  for (std::size_t i = 1; i < years.size(); ++i) {
    if (years[i] != years[i - 1] + 1) {
      throw Error(ErrorCode::config, fmt::format("demand years must be consecutive: {} follows {}", years[i], years[i - 1]),
                  where);
    }
  }
  std::set<std::string> seen;
  for (const std::string& c : categories) {
    if (!seen.insert(c).second) throw Error(ErrorCode::config, "demand category '" + c + "' appears twice", where);
  }
  if (!new_area_m2.allFinite()) throw Error(ErrorCode::config, "demand table holds a non-finite area", where);
}

Eigen::Index DemandTable::year_index(int year) const {
  if (years.empty() || year < years.front() || year > years.back()) {
    throw Error(ErrorCode::config, fmt::format("no demand for year {}", year), Context{.key = "demand"});
  }
  return year - years.front();
}

Eigen::Index DemandTable::category_index(const std::string& category) const {
  const auto it = std::find(categories.begin(), categories.end(), category);
  if (it == categories.end()) {
    throw Error(ErrorCode::config, "no demand for category '" + category + "'", Context{.key = category});
  }
  return it - categories.begin();
}

Eigen::MatrixXd DemandTable::cumulative_m2() const {
  Eigen::MatrixXd c = new_area_m2;
  for (Eigen::Index r = 1; r < c.rows(); ++r) c.row(r) += c.row(r - 1);
  return c;
}

Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> demand_cells(const DemandTable& demand,
                                                                         double cell_area_m2) {
  if (!(cell_area_m2 > 0.0)) throw Error(ErrorCode::config, "cell area must be positive", Context{.key = "grid"});
  const Eigen::MatrixXd cum = demand.cumulative_m2();
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> cells(cum.rows(), cum.cols());
  for (Eigen::Index c = 0; c < cum.cols(); ++c) {
    std::int64_t previous = 0;
    for (Eigen::Index r = 0; r < cum.rows(); ++r) {
      const auto total = static_cast<std::int64_t>(std::llround(cum(r, c) / cell_area_m2));
      cells(r, c) = total - previous;
      previous = total;
    }
  }
  return cells;
}

// ---- plan target ----

double plan_target_area_m2(const PlanTarget& target, int base_year, int year, const PlanTargetParams& params) {
  if (year <= base_year) return target.current_area_m2;
  if (year >= target.target_year) return target.target_area_m2;
  const double u = static_cast<double>(year - base_year) / static_cast<double>(target.target_year - base_year);
  double s = u;
  if (params.shape == PathShape::logistic) {
    const double k = params.logistic_steepness;
    const double low = logistic(-k / 2.0);
    const double high = logistic(k / 2.0);
    s = (logistic(k * (u - 0.5)) - low) / (high - low);
  }
  return target.current_area_m2 + (target.target_area_m2 - target.current_area_m2) * s;
}

DemandTable plan_target_demand(std::span<const PlanTarget> targets, int base_year, int end_year,
                               const PlanTargetParams& params) {
  if (end_year <= base_year) {
    throw Error(ErrorCode::config, fmt::format("demand end year {} is not after the base year {}", end_year, base_year),
                Context{.key = "demand.end_year"});
  }
  if (!(params.logistic_steepness > 0.0)) {
    throw Error(ErrorCode::config, "logistic steepness must be positive", Context{.key = "logistic_steepness"});
  }
  DemandTable t;
  t.years = year_range(base_year + 1, end_year);
  t.new_area_m2.resize(static_cast<Eigen::Index>(t.years.size()), static_cast<Eigen::Index>(targets.size()));
  for (std::size_t c = 0; c < targets.size(); ++c) {
    const PlanTarget& target = targets[c];
    if (target.target_year <= base_year) {
      throw Error(ErrorCode::config,
                  fmt::format("target year {} of '{}' is not after the base year {}", target.target_year,
                              target.category, base_year),
                  Context{.key = target.category});
    }
    t.categories.push_back(target.category);
    for (std::size_t r = 0; r < t.years.size(); ++r) {
      const int year = t.years[r];
      t.new_area_m2(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
          plan_target_area_m2(target, base_year, year, params) - plan_target_area_m2(target, base_year, year - 1, params);
    }
  }
  t.validate();
  return t;
}

// ---- Markov ----

TransitionMatrix estimate_transitions(const grid::Grid<std::uint8_t>& before, const grid::Grid<std::uint8_t>& after,
                                      int class_count, double years, const grid::Grid<std::uint8_t>* mask) {
  grid::require_same_spec(before.spec(), after.spec(), "transition maps");
  if (mask) grid::require_same_spec(before.spec(), mask->spec(), "transition mask");
  if (!(years > 0.0)) throw Error(ErrorCode::config, "years between the maps must be positive", Context{.key = "years"});
  if (class_count < 1 || class_count > 256) {
    throw Error(ErrorCode::config, "class count must be in 1..256", Context{.key = "classes"});
  }
  TransitionMatrix t;
  t.years = years;
  t.counts = Eigen::MatrixXd::Zero(class_count, class_count);
  std::vector<std::int64_t> counts(static_cast<std::size_t>(class_count) * static_cast<std::size_t>(class_count), 0);
  for (std::int64_t i = 0; i < before.size(); ++i) {
    if (mask && (*mask)[i] == 0) continue;
    const int a = before[i];
    const int b = after[i];
    if (a >= class_count || b >= class_count) continue;
    ++counts[static_cast<std::size_t>(a * class_count + b)];
  }
  for (int a = 0; a < class_count; ++a)
    for (int b = 0; b < class_count; ++b)
      t.counts(a, b) = static_cast<double>(counts[static_cast<std::size_t>(a * class_count + b)]);
  t.probability = t.counts;
  for (int a = 0; a < class_count; ++a) {
    const double row = t.counts.row(a).sum();
    if (row > 0.0) {
      t.probability.row(a) /= row;
    } else {
      t.probability.row(a).setZero();
      t.probability(a, a) = 1.0;
    }
  }
  return t;
}

Eigen::MatrixXd annualise(const Eigen::MatrixXd& probability, double years) {
  if (probability.rows() != probability.cols()) {
    throw Error(ErrorCode::internal, "annualise: transition matrix is not square");
  }
  if (!(years > 0.0)) throw Error(ErrorCode::config, "years must be positive", Context{.key = "years"});
  const Eigen::Index n = probability.rows();
  Eigen::MatrixXd root = probability.pow(1.0 / years);
  if (!root.allFinite()) {
    root = Eigen::MatrixXd::Identity(n, n) + (probability - Eigen::MatrixXd::Identity(n, n)) / years;
  }
  root = root.cwiseMax(0.0);
  for (Eigen::Index r = 0; r < n; ++r) {
    const double s = root.row(r).sum();
    if (s > 0.0) {
      root.row(r) /= s;
    } else {
      root.row(r).setZero();
      root(r, r) = 1.0;
    }
  }
  return root;
}

DemandTable markov_demand(const Eigen::VectorXd& area_m2, const Eigen::MatrixXd& annual_probability,
                          std::vector<std::string> class_names, int base_year, int end_year) {
  const Eigen::Index n = area_m2.size();
  if (annual_probability.rows() != n || annual_probability.cols() != n ||
      static_cast<Eigen::Index>(class_names.size()) != n) {
    throw Error(ErrorCode::config, "Markov demand: areas, matrix and class names differ in size",
                Context{.key = "demand.markov"});
  }
  if (end_year <= base_year) {
    throw Error(ErrorCode::config, fmt::format("demand end year {} is not after the base year {}", end_year, base_year),
                Context{.key = "demand.end_year"});
  }
  DemandTable t;
  t.years = year_range(base_year + 1, end_year);
  t.categories = std::move(class_names);
  t.new_area_m2.resize(static_cast<Eigen::Index>(t.years.size()), n);
  Eigen::RowVectorXd area = area_m2.transpose();
  for (Eigen::Index r = 0; r < static_cast<Eigen::Index>(t.years.size()); ++r) {
    const Eigen::RowVectorXd next = area * annual_probability;
    t.new_area_m2.row(r) = next - area;
    area = next;
  }
  t.validate();
  return t;
}

// ---- enterprise-driven ----

double land_per_enterprise_m2(const EnterpriseParams& p) {
  if (!(p.floor_area_per_enterprise_m2 > 0.0) || !(p.floor_area_ratio > 0.0) || !(p.net_site_share > 0.0) ||
      p.net_site_share > 1.0) {
    throw Error(ErrorCode::config,
                "enterprise parameters need a positive floor area and FAR and a net site share in (0, 1]",
                Context{.key = "demand.enterprise"});
  }
  return p.floor_area_per_enterprise_m2 / p.floor_area_ratio / p.net_site_share;
}

double EnterpriseGrowth::enterprises(int year) const {
  return base_enterprises * std::pow(1.0 + growth_rate_per_year, static_cast<double>(year - base_year));
}

EnterpriseGrowth fit_enterprise_growth(std::span<const EnterpriseAnchor> anchors) {
  const Context where{.key = "enterprise.anchors"};
  std::set<int> years;
  for (const EnterpriseAnchor& a : anchors) {
    if (!(a.enterprises > 0.0)) throw Error(ErrorCode::config, "enterprise counts must be positive", where);
    years.insert(a.year);
  }
  if (years.size() < 2) throw Error(ErrorCode::config, "growth needs anchors in at least two years", where);
  double mean_t = 0.0, mean_l = 0.0;
  for (const EnterpriseAnchor& a : anchors) {
    mean_t += a.year;
    mean_l += std::log(a.enterprises);
  }
  const auto n = static_cast<double>(anchors.size());
  mean_t /= n;
  mean_l /= n;
  double sxy = 0.0, sxx = 0.0;
  for (const EnterpriseAnchor& a : anchors) {
    const double dt = a.year - mean_t;
    sxy += dt * (std::log(a.enterprises) - mean_l);
    sxx += dt * dt;
  }
  const double slope = sxy / sxx;
  EnterpriseGrowth g;
  g.base_year = *years.rbegin();
  g.base_enterprises = std::exp(mean_l + slope * (g.base_year - mean_t));
  g.growth_rate_per_year = std::exp(slope) - 1.0;
  return g;
}

DemandTable enterprise_demand(const EnterpriseGrowth& growth, std::span<const ZoneShare> zones, int first_year,
                              int end_year, const EnterpriseParams& params) {
  const Context where{.key = "demand.enterprise.zones"};
  if (end_year < first_year) {
    throw Error(ErrorCode::config, fmt::format("demand end year {} is before the first year {}", end_year, first_year),
                Context{.key = "demand.end_year"});
  }
  double total = 0.0;
  for (const ZoneShare& z : zones) {
    if (!(z.share >= 0.0)) throw Error(ErrorCode::config, "zone share of '" + z.zone + "' is negative", where);
    total += z.share;
  }
  if (std::abs(total - 1.0) > 1e-9) {
    throw Error(ErrorCode::config, fmt::format("zone shares sum to {}, not 1", total), where);
  }
  const double land = land_per_enterprise_m2(params);
  DemandTable t;
  t.years = year_range(first_year, end_year);
  for (const ZoneShare& z : zones) t.categories.push_back(z.zone);
  t.new_area_m2.resize(static_cast<Eigen::Index>(t.years.size()), static_cast<Eigen::Index>(zones.size()));
  for (std::size_t r = 0; r < t.years.size(); ++r) {
    const double new_enterprises = growth.enterprises(t.years[r]) - growth.enterprises(t.years[r] - 1);
    for (std::size_t c = 0; c < zones.size(); ++c) {
      t.new_area_m2(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = new_enterprises * zones[c].share * land;
    }
  }
  t.validate();
  return t;
}

// ---- exogenous ----

DemandTable exogenous_demand(std::vector<int> years, std::vector<std::string> categories, Eigen::MatrixXd new_area_m2) {
  DemandTable t{std::move(years), std::move(categories), std::move(new_area_m2)};
  t.validate();
  return t;
}

// ---- capacity ----

DemandTable check_capacity(const DemandTable& demand, const Eigen::MatrixXd& developable_m2, ProblemReporter& problems,
                           const CapacityParams& params) {
  if (developable_m2.rows() != demand.new_area_m2.rows() || developable_m2.cols() != demand.new_area_m2.cols()) {
    throw Error(ErrorCode::internal, "check_capacity: developable land and demand differ in shape");
  }
  DemandTable capped = demand;
  for (Eigen::Index c = 0; c < capped.new_area_m2.cols(); ++c) {
    double given = 0.0;
    double carried = 0.0;
    const Eigen::Index last = capped.new_area_m2.rows() - 1;
    for (Eigen::Index r = 0; r <= last; ++r) {
      const double want = demand.new_area_m2(r, c) + carried;
      carried = 0.0;
      double get = want;
      if (want > 0.0) {
        const double room = std::max(0.0, developable_m2(r, c) - given);
        get = std::min(want, room);
        const double unmet = want - get;
        if (params.carry_forward && r < last) carried = unmet;
        if (unmet > params.tolerance_m2) {
          const std::string& name = demand.categories[static_cast<std::size_t>(c)];
          const int year = demand.years[static_cast<std::size_t>(r)];
          problems.report(Severity::warning, "demand.unmet",
                          fmt::format("unmet demand: {} of {} in {}{}", format_area(unmet), name, year,
                                      params.carry_forward && r < last ? fmt::format(" (carried to {})", year + 1)
                                                                       : std::string()),
                          Context{.key = name});
        }
      }
      capped.new_area_m2(r, c) = get;
      given += get;
    }
  }
  return capped;
}

}  // namespace parksim::model
