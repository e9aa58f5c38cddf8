#include "alloc/allocation.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "alloc/detail/milp.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace parksim::alloc {

std::string_view to_string(TargetKind kind) noexcept {
  switch (kind) {
    case TargetKind::min_health_industry_mu: return "min_health_industry_mu";
    case TargetKind::zone_min_area_m2: return "zone_min_area_m2";
    case TargetKind::zone_max_area_m2: return "zone_max_area_m2";
    case TargetKind::zone_min_share: return "zone_min_share";
    case TargetKind::zone_max_share: return "zone_max_share";
    case TargetKind::phase_max_developed_m2: return "phase_max_developed_m2";
    case TargetKind::zone_min_floor_area_m2: return "zone_min_floor_area_m2";
  }
  return "unknown";
}

std::string_view target_unit(TargetKind kind) noexcept {
  switch (kind) {
    case TargetKind::min_health_industry_mu: return "mu";
    case TargetKind::zone_min_share:
    case TargetKind::zone_max_share: return "share";
    case TargetKind::zone_min_floor_area_m2: return "m2 floor";
    default: return "m2";
  }
}

bool is_lower_bound(TargetKind kind) noexcept {
  return kind == TargetKind::min_health_industry_mu || kind == TargetKind::zone_min_area_m2 ||
         kind == TargetKind::zone_min_share || kind == TargetKind::zone_min_floor_area_m2;
}

std::string_view to_string(AllocationStatus status) noexcept {
  switch (status) {
    case AllocationStatus::optimal: return "optimal";
    case AllocationStatus::feasible: return "feasible";
    case AllocationStatus::infeasible: return "infeasible";
    case AllocationStatus::no_solution: return "no_solution";
  }
  return "unknown";
}

Target health_industry_target(double area_mu) {
  Target t;
  t.name = "health_industry_min_mu";
  t.kind = TargetKind::min_health_industry_mu;
  t.value = area_mu;
  return t;
}

std::span<const ParamInfo> param_table() noexcept {
  constexpr auto boolean = [](std::string_view name, bool value, std::string_view description) {
    return ParamInfo{name, "", value ? 1.0 : 0.0, description, 0.0, 1.0, ParamKind::boolean};
  };
  static constexpr std::array<ParamInfo, 13> table{{
      {"time_limit_s", "s", 30.0, "wall-clock limit of the allocation (LP relaxation and search together)", 0.1, 86400.0},
      {"relative_gap", "1", 0.01, "stop once the proven optimality gap is at most this (0.01 = 1 %)", 0.0, 1.0},
      boolean("area_weighted_score", true, "weight each parcel's suitability by its area in ha"),
      {"neighbour_bonus_per_m", "objective/m", 0.001,
       "bonus per metre of boundary shared by two parcels given options of the same zone", 0.0, 1e6},
      boolean("forbid_manufacturing_next_to_sensitive", true,
              "manufacturing options never adjacent to sensitive (housing, school) options"),
      boolean("enforce_incompatibility", true, "switch for all incompatible-neighbour constraints"),
      boolean("keep_built_parcels", true, "built parcels that are not freed keep their current option"),
      boolean("keep_fixed_parcels", true, "fixed parcels keep their current option"),
      boolean("compute_shadow_prices", true, "solve the LP relaxation to price every target"),
      boolean("mip_start", true, "seed CBC with the rounded LP relaxation, repaired greedily to meet the targets"),
      boolean("diagnose_conflicts", true,
              "on infeasible targets, also name the targets the relaxed ones conflict with (one solve per target)"),
      {"threads", "count", 1.0, "CBC threads; 1 is sequential and deterministic", 1.0, 64.0, ParamKind::integer},
      {"random_seed", "", 1.0, "CBC and Clp random seed", 0.0, 2147483647.0, ParamKind::integer},
  }};
  return table;
}

namespace {

constexpr double kM2PerHa = units::m2_per_ha;
constexpr double kSelectedThreshold = 0.5;      // a binary column counts as chosen above this
constexpr double kDualTolerance = 1e-9;         // shadow prices below this are reported as 0
constexpr double kSlackTolerance = 1e-6;        // relative, for "binding" and "relaxed"

bool is_allowed(double score) { return std::isfinite(score); }

bool is_zone_kind(TargetKind k) {
  return k != TargetKind::min_health_industry_mu && k != TargetKind::phase_max_developed_m2;
}
bool is_share_kind(TargetKind k) { return k == TargetKind::zone_min_share || k == TargetKind::zone_max_share; }

// Row units per target unit: area rows are built in ha (coefficients of order 1, which keeps CBC's
// tolerances meaningful), share rows in fractions of the total parcel area.
double unit_to_row(TargetKind k) {
  switch (k) {
    case TargetKind::min_health_industry_mu: return units::m2_per_mu / kM2PerHa;
    case TargetKind::zone_min_share:
    case TargetKind::zone_max_share: return 1.0;
    default: return 1.0 / kM2PerHa;
  }
}

std::string format_amount(double value, std::string_view unit) {
  if (unit == "m2" || unit == "m2 floor") {
    return fmt::format("{:.6g} {} ({:.4g} km2)", value, unit, units::m2_to_km2(value));
  }
  return fmt::format("{:.6g} {}", value, unit);
}

std::string describe(const Target& t) {
  const std::string_view op = is_lower_bound(t.kind) ? ">=" : "<=";
  const std::string value = format_amount(t.value, target_unit(t.kind));
  switch (t.kind) {
    case TargetKind::min_health_industry_mu: return fmt::format("health-industry land {} {}", op, value);
    case TargetKind::zone_min_area_m2:
    case TargetKind::zone_max_area_m2: return fmt::format("zone {} area {} {}", t.zone, op, value);
    case TargetKind::zone_min_share:
    case TargetKind::zone_max_share: return fmt::format("zone {} share {} {}", t.zone, op, value);
    case TargetKind::phase_max_developed_m2:
      return fmt::format("phase {} developed area {} {}", t.phase, op, value);
    case TargetKind::zone_min_floor_area_m2: return fmt::format("zone {} floor area {} {}", t.zone, op, value);
  }
  return t.name;
}

void validate(const AllocationProblem& p) {
  const auto n_options = static_cast<int>(p.options.size());
  std::set<std::string> option_ids, zones;
  for (const auto& o : p.options) {
    if (!option_ids.insert(o.id).second) {
      throw Error(ErrorCode::config, fmt::format("duplicate option id '{}'", o.id), Context{.key = o.id});
    }
    if (!o.zone.empty()) zones.insert(o.zone);
  }
  std::set<std::string> phases;
  for (std::size_t i = 0; i < p.parcels.size(); ++i) {
    const auto& pc = p.parcels[i];
    const Context where{.feature_id = static_cast<std::int64_t>(i), .feature_key = pc.id};
    if (!(std::isfinite(pc.area_m2) && pc.area_m2 > 0.0)) {
      throw Error(ErrorCode::config, fmt::format("parcel area must be > 0 m2, got {}", pc.area_m2), where);
    }
    if (!(std::isfinite(pc.far) && pc.far >= 0.0)) {
      throw Error(ErrorCode::config, fmt::format("parcel FAR must be >= 0, got {}", pc.far), where);
    }
    if (static_cast<int>(pc.score.size()) != n_options) {
      throw Error(ErrorCode::config,
                  fmt::format("parcel has {} scores for {} options", pc.score.size(), n_options), where);
    }
    for (double s : pc.score) {
      if (s == std::numeric_limits<double>::infinity()) {
        throw Error(ErrorCode::config, "parcel score is +infinity (use NaN or -inf for 'not allowed')", where);
      }
    }
    if (pc.current_option < -1 || pc.current_option >= n_options) {
      throw Error(ErrorCode::config, fmt::format("current option {} out of range", pc.current_option), where);
    }
    phases.insert(pc.phase);
  }
  const auto n_parcels = static_cast<int>(p.parcels.size());
  for (const auto& a : p.adjacency) {
    if (a.i < 0 || a.j < 0 || a.i >= n_parcels || a.j >= n_parcels || a.i == a.j ||
        !(std::isfinite(a.shared_length_m) && a.shared_length_m >= 0.0)) {
      throw Error(ErrorCode::config, fmt::format("invalid adjacency ({}, {}, {} m)", a.i, a.j, a.shared_length_m),
                  Context{.key = "adjacency"});
    }
  }
  for (const auto& pair : p.incompatible) {
    if (pair.option_a < 0 || pair.option_b < 0 || pair.option_a >= n_options || pair.option_b >= n_options) {
      throw Error(ErrorCode::config,
                  fmt::format("incompatible pair ({}, {}) out of range", pair.option_a, pair.option_b),
                  Context{.key = "incompatible"});
    }
  }
  std::set<std::string> names;
  for (const auto& t : p.targets) {
    const Context where{.key = t.name};
    if (!names.insert(t.name).second) throw Error(ErrorCode::config, "duplicate target name", where);
    if (!(std::isfinite(t.value) && t.value >= 0.0)) {
      throw Error(ErrorCode::config, fmt::format("target value must be >= 0, got {}", t.value), where);
    }
    if (is_share_kind(t.kind) && t.value > 1.0) {
      throw Error(ErrorCode::config, fmt::format("share must be in [0, 1], got {}", t.value), where);
    }
    if (!(std::isfinite(t.relax_weight) && t.relax_weight > 0.0)) {
      throw Error(ErrorCode::config, "relax_weight must be > 0", where);
    }
    if (is_zone_kind(t.kind) && !zones.contains(t.zone)) {
      throw Error(ErrorCode::config, fmt::format("target names unknown zone '{}'", t.zone), where);
    }
    if (t.kind == TargetKind::phase_max_developed_m2 && !phases.contains(t.phase)) {
      throw Error(ErrorCode::config, fmt::format("target names unknown phase '{}'", t.phase), where);
    }
  }
  const Params& q = p.params;
  if (!(q.time_limit_s > 0.0) || !(q.relative_gap >= 0.0) || !(q.neighbour_bonus_per_m >= 0.0) ||
      !std::isfinite(q.neighbour_bonus_per_m) || q.threads < 1) {
    throw Error(ErrorCode::config, "invalid alloc parameters (time_limit_s > 0, relative_gap >= 0, "
                                   "neighbour_bonus_per_m >= 0, threads >= 1)",
                Context{.key = "alloc"});
  }
}

bool is_pinned(const ParcelIn& pc, const Params& q) {
  return (pc.fixed && q.keep_fixed_parcels) || (pc.built && !pc.freed && q.keep_built_parcels);
}

double parcel_weight(const ParcelIn& pc, const Params& q) {
  return q.area_weighted_score ? pc.area_m2 / kM2PerHa : 1.0;
}

double score_of(const ParcelIn& pc, int option) {
  const double s = pc.score[static_cast<std::size_t>(option)];
  return is_allowed(s) ? s : 0.0;  // a pinned parcel may hold an option its scores do not allow
}

// The shared structure of the optimisation model and the elastic (diagnosis) model.
struct Model {
  detail::LinearModel lp;
  struct XCol {
    int parcel;
    int option;
  };
  std::vector<XCol> x;                     // columns 0 .. x.size()-1
  struct TargetRow {
    int target;
    int row;
    int slack_col = -1;                    // elastic model only
  };
  std::vector<TargetRow> target_rows;
  double total_area_m2 = 0.0;
  std::vector<std::vector<int>> cols_of;   // x columns per parcel
  std::vector<std::vector<char>> bad;      // bad[u][v]: incompatible options (empty when not enforced)
};

// Builds the model. `elastic`: targets get slack columns and the objective becomes their weighted sum;
// `skip_target`: a target index left out (for the conflict search); `excluded`: free parcels that may not
// receive an option (allocate_by_year).
Model build(const AllocationProblem& p, bool elastic, int skip_target, const std::vector<char>& excluded,
            std::vector<Problem>* problems) {
  const Params& q = p.params;
  const auto n_options = static_cast<int>(p.options.size());
  Model m;
  for (const auto& pc : p.parcels) m.total_area_m2 += pc.area_m2;

  m.cols_of.assign(p.parcels.size(), {});
  auto& cols_of = m.cols_of;
  for (std::size_t i = 0; i < p.parcels.size(); ++i) {
    const auto& pc = p.parcels[i];
    const double w = parcel_weight(pc, q);
    if (is_pinned(pc, q)) {
      if (pc.current_option < 0) continue;
      if (problems && !is_allowed(pc.score[static_cast<std::size_t>(pc.current_option)])) {
        problems->push_back(Problem{Severity::warning, "alloc.fixed_option_not_allowed",
                                    fmt::format("parcel keeps option '{}' although its score does not allow it",
                                                p.options[static_cast<std::size_t>(pc.current_option)].id),
                                    Context{.feature_id = static_cast<std::int64_t>(i), .feature_key = pc.id}});
      }
      const double obj = elastic ? 0.0 : -score_of(pc, pc.current_option) * w;
      cols_of[i].push_back(m.lp.add_col(1.0, 1.0, obj, true));
      m.x.push_back({static_cast<int>(i), pc.current_option});
      continue;
    }
    if (!excluded.empty() && excluded[i]) continue;
    for (int u = 0; u < n_options; ++u) {
      const double s = pc.score[static_cast<std::size_t>(u)];
      if (!is_allowed(s)) continue;
      cols_of[i].push_back(m.lp.add_col(0.0, 1.0, elastic ? 0.0 : -s * w, true));
      m.x.push_back({static_cast<int>(i), u});
    }
  }
  // At most one option per parcel (pinned parcels have one fixed column and need no row).
  for (std::size_t i = 0; i < p.parcels.size(); ++i) {
    if (cols_of[i].size() < 2) continue;
    const int r = m.lp.add_row(-detail::kInfinity, 1.0);
    for (int c : cols_of[i]) m.lp.add_coef(r, c, 1.0);
  }

  // Zones as dense indices, in name order.
  std::map<std::string, int> zone_index;
  for (const auto& o : p.options) {
    if (!o.zone.empty()) zone_index.emplace(o.zone, 0);
  }
  int next_zone = 0;
  for (auto& [name, idx] : zone_index) idx = next_zone++;
  std::vector<int> option_zone(p.options.size(), -1);
  for (std::size_t u = 0; u < p.options.size(); ++u) {
    if (!p.options[u].zone.empty()) option_zone[u] = zone_index.at(p.options[u].zone);
  }
  auto is_pinned_col = [&](int c) { return m.lp.m_col_lower[static_cast<std::size_t>(c)] == 1.0; };

  // Neighbour bonus: y_ijz ≤ Σ x_i[z], y_ijz ≤ Σ x_j[z].
  if (!elastic && q.neighbour_bonus_per_m > 0.0) {
    for (const auto& a : p.adjacency) {
      if (a.shared_length_m <= 0.0) continue;
      std::map<int, std::array<std::vector<int>, 2>> by_zone;
      for (int side = 0; side < 2; ++side) {
        for (int c : cols_of[static_cast<std::size_t>(side == 0 ? a.i : a.j)]) {
          const int z = option_zone[static_cast<std::size_t>(m.x[static_cast<std::size_t>(c)].option)];
          if (z >= 0) by_zone[z][static_cast<std::size_t>(side)].push_back(c);
        }
      }
      for (const auto& [z, sides] : by_zone) {
        if (sides[0].empty() || sides[1].empty()) continue;
        const int y = m.lp.add_col(0.0, 1.0, -q.neighbour_bonus_per_m * a.shared_length_m, false);
        for (const auto& side : sides) {
          const int r = m.lp.add_row(-detail::kInfinity, 0.0);
          m.lp.add_coef(r, y, 1.0);
          for (int c : side) m.lp.add_coef(r, c, -1.0);
        }
      }
    }
  }

  // Incompatible neighbours: x_iu + Σ_{v incompatible with u} x_jv ≤ 1 (one row per option at i covers
  // every (option at i, option at j) pair).
  if (q.enforce_incompatibility) {
    m.bad.assign(p.options.size(), std::vector<char>(p.options.size(), 0));
    auto& bad = m.bad;
    for (const auto& pair : p.incompatible) {
      bad[static_cast<std::size_t>(pair.option_a)][static_cast<std::size_t>(pair.option_b)] = 1;
      bad[static_cast<std::size_t>(pair.option_b)][static_cast<std::size_t>(pair.option_a)] = 1;
    }
    if (q.forbid_manufacturing_next_to_sensitive) {
      for (std::size_t u = 0; u < p.options.size(); ++u) {
        for (std::size_t v = 0; v < p.options.size(); ++v) {
          if (p.options[u].manufacturing && p.options[v].sensitive) bad[u][v] = bad[v][u] = 1;
        }
      }
    }
    for (const auto& a : p.adjacency) {
      for (int ci : cols_of[static_cast<std::size_t>(a.i)]) {
        const auto u = static_cast<std::size_t>(m.x[static_cast<std::size_t>(ci)].option);
        std::vector<int> partners;
        for (int cj : cols_of[static_cast<std::size_t>(a.j)]) {
          const auto v = static_cast<std::size_t>(m.x[static_cast<std::size_t>(cj)].option);
          if (!bad[u][v]) continue;
          if (is_pinned_col(ci) && is_pinned_col(cj)) {
            if (problems) {
              problems->push_back(Problem{
                  Severity::warning, "alloc.fixed_incompatible",
                  fmt::format("kept parcels {} ('{}') and {} ('{}') are adjacent but incompatible",
                              p.parcels[static_cast<std::size_t>(a.i)].id, p.options[u].id,
                              p.parcels[static_cast<std::size_t>(a.j)].id, p.options[v].id),
                  Context{.feature_id = a.i, .feature_key = p.parcels[static_cast<std::size_t>(a.i)].id}});
            }
            continue;
          }
          partners.push_back(cj);
        }
        if (partners.empty()) continue;
        const int r = m.lp.add_row(-detail::kInfinity, 1.0);
        m.lp.add_coef(r, ci, 1.0);
        for (int cj : partners) m.lp.add_coef(r, cj, 1.0);
      }
    }
  }

  // Targets.
  for (std::size_t t = 0; t < p.targets.size(); ++t) {
    const Target& tg = p.targets[t];
    if (!tg.enabled || static_cast<int>(t) == skip_target) continue;
    const bool lower = is_lower_bound(tg.kind);
    const double f = unit_to_row(tg.kind);
    const double rhs = is_share_kind(tg.kind) ? 0.0 : tg.value * f;
    const int r = lower ? m.lp.add_row(rhs, detail::kInfinity) : m.lp.add_row(-detail::kInfinity, rhs);
    for (std::size_t c = 0; c < m.x.size(); ++c) {
      const auto& pc = p.parcels[static_cast<std::size_t>(m.x[c].parcel)];
      const auto& o = p.options[static_cast<std::size_t>(m.x[c].option)];
      const double area_ha = pc.area_m2 / kM2PerHa;
      double coef = 0.0;
      switch (tg.kind) {
        case TargetKind::min_health_industry_mu: coef = o.health_industry && pc.counts_for_health ? area_ha : 0.0; break;
        case TargetKind::zone_min_area_m2:
        case TargetKind::zone_max_area_m2: coef = o.zone == tg.zone ? area_ha : 0.0; break;
        case TargetKind::zone_min_share:
        case TargetKind::zone_max_share:
          coef = ((o.zone == tg.zone ? 1.0 : 0.0) - tg.value) * pc.area_m2 / m.total_area_m2;
          break;
        case TargetKind::phase_max_developed_m2: coef = pc.phase == tg.phase ? area_ha : 0.0; break;
        case TargetKind::zone_min_floor_area_m2: coef = o.zone == tg.zone ? area_ha * pc.far : 0.0; break;
      }
      if (coef != 0.0) m.lp.add_coef(r, static_cast<int>(c), coef);
    }
    Model::TargetRow tr{static_cast<int>(t), r};
    if (elastic) {
      // Weighted by relative violation so that mu, m2 and shares are comparable.
      const double nominal = std::max(is_share_kind(tg.kind) ? tg.value : std::abs(rhs), 1e-6);
      tr.slack_col = m.lp.add_col(0.0, detail::kInfinity, tg.relax_weight / nominal, false);
      m.lp.add_coef(r, tr.slack_col, lower ? 1.0 : -1.0);
    }
    m.target_rows.push_back(tr);
  }
  return m;
}

std::vector<int> decode(const Model& m, std::size_t n_parcels, const std::vector<double>& x) {
  std::vector<int> option(n_parcels, -1);
  for (std::size_t c = 0; c < m.x.size(); ++c) {
    if (x[c] > kSelectedThreshold) option[static_cast<std::size_t>(m.x[c].parcel)] = m.x[c].option;
  }
  return option;
}

// Achieved value of a target under an assignment, in the target's unit.
double target_lhs(const AllocationProblem& p, const Target& tg, std::span<const int> option) {
  double sum_m2 = 0.0, total_m2 = 0.0;
  for (std::size_t i = 0; i < p.parcels.size(); ++i) {
    if (option[i] < 0) continue;
    const auto& pc = p.parcels[i];
    const auto& o = p.options[static_cast<std::size_t>(option[i])];
    total_m2 += pc.area_m2;
    switch (tg.kind) {
      case TargetKind::min_health_industry_mu:
        sum_m2 += o.health_industry && pc.counts_for_health ? pc.area_m2 : 0.0;
        break;
      case TargetKind::zone_min_area_m2:
      case TargetKind::zone_max_area_m2:
      case TargetKind::zone_min_share:
      case TargetKind::zone_max_share: sum_m2 += o.zone == tg.zone ? pc.area_m2 : 0.0; break;
      case TargetKind::phase_max_developed_m2: sum_m2 += pc.phase == tg.phase ? pc.area_m2 : 0.0; break;
      case TargetKind::zone_min_floor_area_m2: sum_m2 += o.zone == tg.zone ? pc.area_m2 * pc.far : 0.0; break;
    }
  }
  if (tg.kind == TargetKind::min_health_industry_mu) return units::m2_to_mu(sum_m2);
  if (is_share_kind(tg.kind)) return total_m2 > 0.0 ? sum_m2 / total_m2 : 0.0;
  return sum_m2;
}

double margin(const Target& tg, double lhs) { return is_lower_bound(tg.kind) ? lhs - tg.value : tg.value - lhs; }

// A starting assignment for CBC: round the LP relaxation (each parcel takes its largest fractional
// option), drop incompatible neighbours, then repair violated targets greedily - each step the single-
// parcel change that removes the most relative violation per unit of objective lost. CBC's own
// heuristics need seconds to find a first solution on thousands of parcels; the LP optimum is usually
// within a fraction of a percent of integral, so its rounding is a near-optimal start. Returns an empty
// vector when the repair does not reach feasibility (CBC then starts from scratch).
std::vector<double> heuristic_start(const AllocationProblem& p, const Model& m, const std::vector<double>& lp_x) {
  const std::size_t n_x = m.x.size();
  const std::size_t n_parcels = p.parcels.size();
  auto is_pinned_col = [&](int c) { return m.lp.m_col_lower[static_cast<std::size_t>(c)] == 1.0; };
  auto gain = [&](int c) { return c < 0 ? 0.0 : -m.lp.m_objective[static_cast<std::size_t>(c)]; };

  std::vector<int> choice(n_parcels, -1);
  std::vector<char> movable(n_parcels, 0);
  for (std::size_t i = 0; i < n_parcels; ++i) {
    const auto& cols = m.cols_of[i];
    if (cols.size() == 1 && is_pinned_col(cols[0])) {
      choice[i] = cols[0];
      continue;
    }
    movable[i] = !cols.empty();
    double sum = 0.0, best = -1.0;
    int best_col = -1;
    for (int c : cols) {
      const double v = lp_x[static_cast<std::size_t>(c)];
      sum += v;
      if (v > best) {
        best = v;
        best_col = c;
      }
    }
    if (sum >= kSelectedThreshold) choice[i] = best_col;
  }

  std::vector<std::vector<int>> neighbours(n_parcels);
  for (const auto& a : p.adjacency) {
    neighbours[static_cast<std::size_t>(a.i)].push_back(a.j);
    neighbours[static_cast<std::size_t>(a.j)].push_back(a.i);
  }
  auto option_of = [&](int c) { return static_cast<std::size_t>(m.x[static_cast<std::size_t>(c)].option); };
  auto conflicts = [&](std::size_t i, int c) {
    if (m.bad.empty() || c < 0) return false;
    for (int j : neighbours[i]) {
      const int cj = choice[static_cast<std::size_t>(j)];
      if (cj >= 0 && m.bad[option_of(c)][option_of(cj)] && !(is_pinned_col(c) && is_pinned_col(cj))) return true;
    }
    return false;
  };
  for (const auto& a : p.adjacency) {
    const auto i = static_cast<std::size_t>(a.i), j = static_cast<std::size_t>(a.j);
    if (choice[i] < 0 || choice[j] < 0 || m.bad.empty() || !m.bad[option_of(choice[i])][option_of(choice[j])]) {
      continue;
    }
    if (!movable[i] && !movable[j]) continue;
    const std::size_t drop = !movable[i] ? j : !movable[j] ? i : gain(choice[i]) < gain(choice[j]) ? i : j;
    choice[drop] = -1;
  }

  // Target rows as dense coefficient vectors over the x columns.
  struct Row {
    std::vector<double> coef;
    double lower, upper, scale, activity = 0.0;
    double violation(double act) const { return (std::max(0.0, lower - act) + std::max(0.0, act - upper)) / scale; }
  };
  std::vector<Row> rows;
  std::vector<int> row_slot(static_cast<std::size_t>(m.lp.num_rows()), -1);
  for (const auto& tr : m.target_rows) {
    const double lo = m.lp.m_row_lower[static_cast<std::size_t>(tr.row)];
    const double up = m.lp.m_row_upper[static_cast<std::size_t>(tr.row)];
    const double bound = std::isfinite(lo) ? lo : up;
    row_slot[static_cast<std::size_t>(tr.row)] = static_cast<int>(rows.size());
    rows.push_back(Row{std::vector<double>(n_x, 0.0), lo, up, std::max(std::abs(bound), 1e-3)});
  }
  for (std::size_t k = 0; k < m.lp.m_trip_value.size(); ++k) {
    const int slot = row_slot[static_cast<std::size_t>(m.lp.m_trip_row[k])];
    const auto c = static_cast<std::size_t>(m.lp.m_trip_col[k]);
    if (slot >= 0 && c < n_x) rows[static_cast<std::size_t>(slot)].coef[c] += m.lp.m_trip_value[k];
  }
  auto coef = [](const Row& r, int c) { return c < 0 ? 0.0 : r.coef[static_cast<std::size_t>(c)]; };
  double total_violation = 0.0;
  for (auto& r : rows) {
    for (std::size_t i = 0; i < n_parcels; ++i) r.activity += coef(r, choice[i]);
    total_violation += r.violation(r.activity);
  }
  constexpr double kFeasible = 1e-9;
  const std::size_t max_moves = 4 * n_parcels + 16;
  for (std::size_t move = 0; move < max_moves && total_violation > kFeasible; ++move) {
    double best_ratio = -std::numeric_limits<double>::infinity(), best_new = total_violation;
    std::size_t best_parcel = 0;
    int best_col = -2;
    for (std::size_t i = 0; i < n_parcels; ++i) {
      if (!movable[i]) continue;
      const int from = choice[i];
      for (std::size_t k = 0; k <= m.cols_of[i].size(); ++k) {
        const int to = k == 0 ? -1 : m.cols_of[i][k - 1];
        if (to == from || conflicts(i, to)) continue;
        double after = 0.0;
        for (const auto& r : rows) after += r.violation(r.activity + coef(r, to) - coef(r, from));
        const double reduced = total_violation - after;
        if (reduced <= kFeasible) continue;
        const double ratio = (gain(to) - gain(from)) / reduced;
        if (ratio > best_ratio) {
          best_ratio = ratio;
          best_new = after;
          best_parcel = i;
          best_col = to;
        }
      }
    }
    if (best_col == -2) break;
    for (auto& r : rows) r.activity += coef(r, best_col) - coef(r, choice[best_parcel]);
    choice[best_parcel] = best_col;
    total_violation = best_new;
  }
  if (total_violation > kFeasible) return {};
  std::vector<double> start(static_cast<std::size_t>(m.lp.num_cols()), 0.0);
  for (int c : choice) {
    if (c >= 0) start[static_cast<std::size_t>(c)] = 1.0;
  }
  return start;
}

detail::MilpOptions milp_options(const Params& q, double relative_gap) {
  detail::MilpOptions o;
  o.time_limit_s = q.time_limit_s;
  o.relative_gap = relative_gap;
  o.threads = q.threads;
  o.random_seed = q.random_seed;
  return o;
}

// Least total weighted slack; returns the solution or nullopt-like (status not optimal/feasible).
detail::MilpSolution solve_elastic(const AllocationProblem& p, int skip_target, const std::vector<char>& excluded,
                                   Model* model_out) {
  Model m = build(p, true, skip_target, excluded, nullptr);
  auto sol = detail::solve_milp(m.lp, milp_options(p.params, 0.0));
  if (model_out) *model_out = std::move(m);
  return sol;
}

void diagnose(const AllocationProblem& p, const std::vector<char>& excluded, AllocationResult& out) {
  Model m;
  const auto sol = solve_elastic(p, -1, excluded, &m);
  out.solve_seconds += sol.seconds;
  if (sol.status != detail::MilpStatus::optimal && sol.status != detail::MilpStatus::feasible) {
    throw Error(ErrorCode::infeasible,
                "the elastic allocation model (every target relaxable) found no solution; this is a bug");
  }
  Diagnosis& d = out.diagnosis;
  d.total_weighted_slack = sol.objective;
  out.option = decode(m, p.parcels.size(), sol.x);
  out.objective = evaluate_objective(p, out.option);
  std::vector<char> relaxed(p.targets.size(), 0);
  for (const auto& tr : m.target_rows) {
    const Target& tg = p.targets[static_cast<std::size_t>(tr.target)];
    const double achieved = target_lhs(p, tg, out.option);
    const double amount = -margin(tg, achieved);
    const double slack_row = sol.x[static_cast<std::size_t>(tr.slack_col)];
    if (slack_row <= kSlackTolerance || amount <= kSlackTolerance * std::max(1.0, tg.value)) continue;
    relaxed[static_cast<std::size_t>(tr.target)] = 1;
    const std::string_view unit = target_unit(tg.kind);
    Relaxation rx;
    rx.target = tg.name;
    rx.kind = tg.kind;
    rx.unit = std::string(unit);
    rx.rhs = tg.value;
    rx.achieved = achieved;
    rx.amount = amount;
    rx.message = fmt::format("{} {} by {} (achievable: {})", describe(tg),
                             is_lower_bound(tg.kind) ? "short" : "over", format_amount(amount, unit),
                             format_amount(achieved, unit));
    d.relaxations.push_back(rx);
  }
  std::vector<char> partner(p.targets.size(), 0);
  if (p.params.diagnose_conflicts && !d.relaxations.empty()) {
    for (const auto& tr : m.target_rows) {
      if (relaxed[static_cast<std::size_t>(tr.target)]) continue;
      const auto without = solve_elastic(p, tr.target, excluded, nullptr);
      out.solve_seconds += without.seconds;
      const bool has = without.status == detail::MilpStatus::optimal || without.status == detail::MilpStatus::feasible;
      if (has && without.objective < sol.objective - std::max(1e-7, kSlackTolerance * sol.objective)) {
        partner[static_cast<std::size_t>(tr.target)] = 1;
      }
    }
  }
  std::vector<std::string> partner_names;
  for (std::size_t t = 0; t < p.targets.size(); ++t) {
    if (relaxed[t]) d.conflicting_targets.push_back(p.targets[t].name);
  }
  for (std::size_t t = 0; t < p.targets.size(); ++t) {
    if (partner[t]) {
      d.conflicting_targets.push_back(p.targets[t].name);
      partner_names.push_back(p.targets[t].name);
    }
  }
  std::string parts;
  for (const auto& rx : d.relaxations) {
    if (!parts.empty()) parts += "; ";
    parts += rx.message;
    out.problems.push_back(Problem{Severity::error, "alloc.infeasible_targets", rx.message, Context{.key = rx.target}});
  }
  d.summary = fmt::format("targets cannot all be met: {}", parts);
  if (!partner_names.empty()) {
    d.summary += fmt::format(" - in conflict with {}", fmt::join(partner_names, ", "));
  } else if (p.params.diagnose_conflicts) {
    d.summary += " - in conflict with the land available";
  }
}

void report_constraints(const AllocationProblem& p, const Model& m, const detail::LpSolution* lp,
                        AllocationResult& out) {
  double lp_total_share_factor = 0.0;  // Σ area assigned in the LP / total area (for share prices)
  if (lp) {
    double assigned = 0.0;
    for (std::size_t c = 0; c < m.x.size(); ++c) {
      assigned += lp->x[c] * p.parcels[static_cast<std::size_t>(m.x[c].parcel)].area_m2;
    }
    lp_total_share_factor = m.total_area_m2 > 0.0 ? assigned / m.total_area_m2 : 0.0;
  }
  for (const auto& tr : m.target_rows) {
    const Target& tg = p.targets[static_cast<std::size_t>(tr.target)];
    ConstraintReport cr;
    cr.name = tg.name;
    cr.kind = tg.kind;
    cr.unit = std::string(target_unit(tg.kind));
    cr.rhs = tg.value;
    cr.lhs = target_lhs(p, tg, out.option);
    cr.slack = margin(tg, cr.lhs);
    if (lp) {
      // Clp: dual = ∂(minimised objective)/∂(row bound). We minimise −objective, so tightening a ≥ row
      // (raising its bound) lowers the maximum by dual, and tightening a ≤ row lowers it by −dual.
      const double dual = lp->row_dual[static_cast<std::size_t>(tr.row)];
      double price = is_lower_bound(tg.kind) ? dual : -dual;
      price *= is_share_kind(tg.kind) ? lp_total_share_factor : unit_to_row(tg.kind);
      cr.shadow_price = price > kDualTolerance ? price : 0.0;
    }
    cr.binding = cr.shadow_price > kDualTolerance || std::abs(cr.slack) <= kSlackTolerance * std::max(1.0, cr.rhs);
    out.constraints.push_back(cr);
  }
}

// True when `x` meets every row and column bound of the model (tolerance 1e-6 x max(1, |bound|)) and its integer
// columns are integral: a start CBC never got to look at may then stand as the answer.
bool satisfies(const detail::LinearModel& lp, const std::vector<double>& x) {
  if (x.size() != static_cast<std::size_t>(lp.num_cols())) return false;
  auto within = [](double v, double lo, double up) {
    return v >= lo - 1e-6 * std::max(1.0, std::abs(lo)) && v <= up + 1e-6 * std::max(1.0, std::abs(up));
  };
  for (std::size_t c = 0; c < x.size(); ++c) {
    if (!within(x[c], lp.m_col_lower[c], lp.m_col_upper[c])) return false;
    if (lp.m_integer[c] && x[c] != std::round(x[c])) return false;
  }
  std::vector<double> activity(static_cast<std::size_t>(lp.num_rows()), 0.0);
  for (std::size_t k = 0; k < lp.m_trip_value.size(); ++k) {
    activity[static_cast<std::size_t>(lp.m_trip_row[k])] += lp.m_trip_value[k] * x[static_cast<std::size_t>(lp.m_trip_col[k])];
  }
  for (std::size_t r = 0; r < activity.size(); ++r) {
    if (!within(activity[r], lp.m_row_lower[r], lp.m_row_upper[r])) return false;
  }
  return true;
}

// The "LP solution" of a parcel taking its best-scoring option: what heuristic_start rounds and repairs when the
// LP relaxation did not finish within the time limit (large models), so CBC still starts from an assignment that
// meets the targets instead of searching from nothing.
std::vector<double> best_score_indicator(const Model& m) {
  std::vector<double> x(static_cast<std::size_t>(m.lp.num_cols()), 0.0);
  for (const auto& cols : m.cols_of) {
    int best = -1;
    for (int c : cols) {
      if (best < 0 || m.lp.m_objective[static_cast<std::size_t>(c)] < m.lp.m_objective[static_cast<std::size_t>(best)]) {
        best = c;
      }
    }
    if (best >= 0) x[static_cast<std::size_t>(best)] = 1.0;
  }
  return x;
}

AllocationResult allocate_impl(const AllocationProblem& p, const std::vector<char>& excluded) {
  validate(p);
  AllocationResult out;
  const Params& q = p.params;
  const auto started = std::chrono::steady_clock::now();
  Model m = build(p, false, -1, excluded, &out.problems);

  // The LP relaxation gives the shadow prices and the rounding that seeds CBC.
  detail::LpSolution lp;
  if (q.compute_shadow_prices || q.mip_start) {
    const auto t0 = std::chrono::steady_clock::now();
    lp = detail::solve_lp(m.lp, q.time_limit_s);
    out.solve_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  auto options = milp_options(q, q.relative_gap);
  if (q.mip_start && (lp.optimal || lp.stopped)) {
    const auto t0 = std::chrono::steady_clock::now();
    options.start = heuristic_start(p, m, lp.optimal ? lp.x : best_score_indicator(m));
    out.solve_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (lp.stopped) {
      out.problems.push_back(Problem{Severity::info, "alloc.greedy_start",
                                     options.start.empty()
                                         ? std::string("the LP relaxation did not finish within the time limit and "
                                                       "the greedy start missed a target: CBC starts from nothing")
                                         : std::string("the LP relaxation did not finish within the time limit: CBC "
                                                       "starts from the best-score assignment, repaired to meet "
                                                       "the targets"),
                                     Context{.key = "time_limit_s"}});
    }
  }
  // One time limit for the LP and the search together: CBC gets what the LP and the start left. With less than a
  // second left and a start, CBC is not run (its root LP alone would overrun) and the start stands (no_solution
  // below turns a checked start into the answer).
  options.time_limit_s =
      q.time_limit_s - std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  detail::MilpSolution sol;
  if (options.time_limit_s < 1.0 && !options.start.empty()) {
    sol.status = detail::MilpStatus::no_solution;
    sol.best_bound = -std::numeric_limits<double>::infinity();
  } else {
    options.time_limit_s = std::max(options.time_limit_s, 1.0);
    sol = detail::solve_milp(m.lp, options);
  }
  out.solve_seconds += sol.seconds;
  // The result of an assignment (model columns `x`) and the bound on the optimum (+inf: none known).
  auto accept = [&](AllocationStatus status, const std::vector<double>& x, double bound) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    out.status = status;
    out.option = decode(m, p.parcels.size(), x);
    out.objective = evaluate_objective(p, out.option);
    out.best_bound = std::max(bound, out.objective);
    const double diff = std::abs(out.best_bound - out.objective);
    out.gap_pct = !std::isfinite(diff)     ? kInf
                  : diff <= 1e-9           ? 0.0
                  : out.objective != 0.0   ? 100.0 * diff / std::abs(out.objective)
                                           : kInf;
    const bool priced = q.compute_shadow_prices && lp.optimal;
    if (priced) out.lp_relaxation_objective = -lp.objective;
    report_constraints(p, m, priced ? &lp : nullptr, out);
  };
  switch (sol.status) {
    case detail::MilpStatus::optimal:
    case detail::MilpStatus::feasible: {
      accept(sol.status == detail::MilpStatus::optimal ? AllocationStatus::optimal : AllocationStatus::feasible, sol.x,
             -sol.best_bound);
      if (out.status == AllocationStatus::feasible) {
        out.problems.push_back(Problem{Severity::warning, "alloc.time_limit",
                                       fmt::format("time limit of {} s reached; proven gap {:.3g} %",
                                                   q.time_limit_s, out.gap_pct),
                                       Context{.key = "time_limit_s"}});
      }
      break;
    }
    case detail::MilpStatus::infeasible:
      out.status = AllocationStatus::infeasible;
      diagnose(p, excluded, out);
      report_constraints(p, m, nullptr, out);
      break;
    case detail::MilpStatus::no_solution:
      if (!options.start.empty() && satisfies(m.lp, options.start)) {
        // CBC ran out of time before its root LP and never used the start (large models): the start - the
        // repaired LP rounding or best-score assignment, checked against every row here - is the answer, with
        // the LP relaxation as the bound when it was solved.
        accept(AllocationStatus::feasible, options.start,
               lp.optimal ? -lp.objective : std::numeric_limits<double>::infinity());
        out.problems.push_back(Problem{
            Severity::warning, "alloc.time_limit",
            fmt::format("time limit of {} s reached before the branch and bound found an assignment: the result is "
                        "the heuristic start (LP rounding or best scores, repaired to meet the targets); gap to the "
                        "LP relaxation {:.3g} %",
                        q.time_limit_s, out.gap_pct),
            Context{.key = "time_limit_s"}});
        break;
      }
      out.status = AllocationStatus::no_solution;
      out.best_bound = -sol.best_bound;
      out.problems.push_back(Problem{Severity::error, "alloc.time_limit",
                                     fmt::format("no assignment found within the time limit of {} s",
                                                 q.time_limit_s),
                                     Context{.key = "time_limit_s"}});
      break;
    case detail::MilpStatus::failed:
      throw Error(ErrorCode::internal, "CBC abandoned the allocation model (unbounded or numerical trouble)");
  }
  return out;
}

}  // namespace

double evaluate_objective(const AllocationProblem& p, std::span<const int> option) {
  if (option.size() != p.parcels.size()) {
    throw Error(ErrorCode::config,
                fmt::format("assignment has {} entries for {} parcels", option.size(), p.parcels.size()));
  }
  const Params& q = p.params;
  double total = 0.0;
  for (std::size_t i = 0; i < p.parcels.size(); ++i) {
    if (option[i] < 0) continue;
    if (option[i] >= static_cast<int>(p.options.size())) {
      throw Error(ErrorCode::config, "assignment names an option out of range",
                  Context{.feature_key = p.parcels[i].id});
    }
    total += score_of(p.parcels[i], option[i]) * parcel_weight(p.parcels[i], q);
  }
  for (const auto& a : p.adjacency) {
    const int u = option[static_cast<std::size_t>(a.i)], v = option[static_cast<std::size_t>(a.j)];
    if (u < 0 || v < 0) continue;
    const auto& zu = p.options[static_cast<std::size_t>(u)].zone;
    if (!zu.empty() && zu == p.options[static_cast<std::size_t>(v)].zone) {
      total += q.neighbour_bonus_per_m * a.shared_length_m;
    }
  }
  return total;
}

AllocationResult allocate(const AllocationProblem& problem) { return allocate_impl(problem, {}); }

YearlyAllocation allocate_by_year(const AllocationProblem& problem, std::span<const int> development_year,
                                  std::span<const int> years) {
  if (development_year.size() != problem.parcels.size()) {
    throw Error(ErrorCode::config, fmt::format("{} development years for {} parcels", development_year.size(),
                                               problem.parcels.size()),
                Context{.key = "development_year"});
  }
  if (years.empty()) throw Error(ErrorCode::config, "no year horizons given", Context{.key = "years"});
  std::vector<int> sorted_years(years.begin(), years.end());
  std::sort(sorted_years.begin(), sorted_years.end());
  sorted_years.erase(std::unique(sorted_years.begin(), sorted_years.end()), sorted_years.end());
  const int last = sorted_years.back();

  std::vector<char> excluded(problem.parcels.size(), 0);
  for (std::size_t i = 0; i < problem.parcels.size(); ++i) {
    excluded[i] = development_year[i] > last ? 1 : 0;
  }
  YearlyAllocation out;
  out.allocation = allocate_impl(problem, excluded);
  const auto& option = out.allocation.option;
  if (option.empty()) {
    for (int y : sorted_years) out.years.push_back(YearSlice{.year = y});
    return out;
  }
  for (int y : sorted_years) {
    YearSlice s;
    s.year = y;
    for (std::size_t i = 0; i < problem.parcels.size(); ++i) {
      if (option[i] < 0) continue;
      const auto& pc = problem.parcels[i];
      if (!is_pinned(pc, problem.params) && development_year[i] > y) continue;
      s.parcels.push_back(static_cast<int>(i));
      s.developed_m2 += pc.area_m2;
      if (problem.options[static_cast<std::size_t>(option[i])].health_industry && pc.counts_for_health) {
        s.health_industry_mu += units::m2_to_mu(pc.area_m2);
      }
    }
    out.years.push_back(std::move(s));
  }
  return out;
}

}  // namespace parksim::alloc
