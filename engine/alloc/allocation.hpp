#pragma once
// Parcel-level land allocation: which zone and land use each vacant or planned parcel gets, as a mixed
// integer linear programme solved with COIN-OR CBC.
//
// Model (x_iu = 1 when parcel i gets option u; every free parcel gets AT MOST one option):
//   maximise  Σ_iu score_iu · w_i · x_iu  +  neighbour_bonus_per_m · Σ_(i,j),z len_ij · y_ijz
//   with w_i = area_ha(i) when Params::area_weighted_score (DEFAULT), else 1, and the neighbour bonus
//   linearised as y_ijz ≤ Σ_{u in zone z} x_iu, y_ijz ≤ Σ_{u in zone z} x_ju, 0 ≤ y_ijz ≤ 1.
//   subject to the enabled Targets (each a named row, see TargetKind), incompatible options never on two
//   adjacent parcels (x_iu + Σ_{v incompatible with u} x_jv ≤ 1), fixed and built parcels keeping their
//   current option. The objective's unit is "suitability-weighted hectares" (score × ha) plus bonus.
//
// Everything here is plain data: parcels and results are per-parcel tables, so the plan, the simulation
// and the scenario module can feed it without this module depending on them (DESIGN.md §3).
//
// Thread-safety: allocate() and allocate_by_year() are re-entrant (no shared state); the inputs are read
// only. Determinism: with Params::threads == 1 (DEFAULT) and a search that completes (status optimal),
// the same input gives the same assignment; a search cut short by the time limit may stop at a different
// node on a slower or busier machine.

#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/params.hpp"
#include "core/problem.hpp"

namespace parksim::alloc {

/// One zone / land-use combination a parcel may receive ("frontier_tech/0802").
struct Option {
  std::string id;              ///< unique, stable name
  std::string zone;            ///< zone id ("frontier_tech"); empty = belongs to no zone (no neighbour bonus)
  std::string landuse;         ///< land-use class code ("0802")
  bool health_industry = false;  ///< counts towards the health-industry land target
  bool manufacturing = false;    ///< industrial production (incompatible with sensitive neighbours)
  bool sensitive = false;        ///< housing, school or similar noise/emission sensitive use
};

/// One parcel as the allocation sees it.
struct ParcelIn {
  std::string id;              ///< the plan's parcel key ("P3-017"), used in messages
  double area_m2 = 0.0;        ///< > 0
  std::string phase;           ///< phase id ("3"); used by phase capacity targets
  bool built = false;          ///< built parcels keep current_option (Params::keep_built_parcels) ...
  bool freed = false;          ///< ... unless the scenario frees them (then they are allocated like vacant ones)
  bool fixed = false;          ///< pinned to current_option (Params::keep_fixed_parcels), built or not
  int current_option = -1;     ///< index into AllocationProblem::options, or -1 (none / not an option)
  double far = 1.0;            ///< floor-area ratio the parcel is planned for (floor area = area_m2 · far)
  /// Suitability per option, one value per option (size == options.size()), normally in [0, 1]: the
  /// parcel mean of the suitability surface, or the simulated development probability. NaN or -inf
  /// means the option is not allowed on this parcel.
  std::vector<double> score;
  /// Counts toward the health-industry target (TargetKind::min_health_industry_mu). The plan allocation: parcels of
  /// the expansion's phases; a site in no phase (Beauty & Health) is allocated but not counted (D7).
  bool counts_for_health = true;
};

/// Two parcels that share a boundary (i != j, each pair once; order does not matter).
struct Adjacency {
  int i = 0;
  int j = 0;
  double shared_length_m = 0.0;  ///< ≥ 0; weights the neighbour bonus
};

/// An option pair that must never sit on two adjacent parcels (in either order).
struct IncompatiblePair {
  int option_a = 0;
  int option_b = 0;
};

/// The kinds of switchable, named target. The unit of Target::value is in the name.
enum class TargetKind {
  min_health_industry_mu,   ///< Σ area of health-industry options ≥ value mu (the plan's 3,000 mu)
  zone_min_area_m2,         ///< Σ area of options in `zone` ≥ value m²
  zone_max_area_m2,         ///< Σ area of options in `zone` ≤ value m²
  zone_min_share,           ///< area of `zone` ≥ value × Σ area of all assigned parcels (value in [0, 1])
  zone_max_share,           ///< area of `zone` ≤ value × Σ area of all assigned parcels (value in [0, 1])
  phase_max_developed_m2,   ///< Σ area of assigned parcels (built included) of `phase` ≤ value m²
  zone_min_floor_area_m2,   ///< Σ area_m2 · far of parcels assigned to `zone` ≥ value m² of floor area
};

/// "min_health_industry_mu", ... (stable, for scenario files and reports).
std::string_view to_string(TargetKind kind) noexcept;
/// Unit of Target::value and of every figure reported for it: "mu", "m2", "share" or "m2 floor".
std::string_view target_unit(TargetKind kind) noexcept;
/// True for ≥ targets, false for ≤ targets.
bool is_lower_bound(TargetKind kind) noexcept;

/// One named, switchable constraint. Areas count every assigned parcel, built ones included.
struct Target {
  std::string name;            ///< unique; how reports and diagnoses refer to it ("health_industry_3000mu")
  TargetKind kind = TargetKind::min_health_industry_mu;
  std::string zone;            ///< for zone_* kinds: an Option::zone that exists
  std::string phase;           ///< for phase_max_developed_m2: a ParcelIn::phase that exists
  double value = 0.0;          ///< ≥ 0, in target_unit(kind)
  bool enabled = true;         ///< switched off targets are ignored (and reported as such nowhere)
  /// Price of relaxing this target in the infeasibility diagnosis, per unit of RELATIVE violation
  /// (violation / value). DEFAULT 1: every target equally firm. Larger = relaxed last.
  double relax_weight = 1.0;
};

/// The plan's health-industry target: ≥ `area_mu` mu (DEFAULT 3,000 mu, 14th Five-Year Plan).
Target health_industry_target(double area_mu = 3000.0);

/// Solver and model parameters. Each member's DEFAULT is the initialiser; param_table() lists them.
struct Params {
  double time_limit_s = 30.0;          ///< wall-clock limit of the LP relaxation and the search together, s (the
                                       ///< infeasibility diagnosis gives each of its searches this limit)
  double relative_gap = 0.01;          ///< stop once the proven gap ≤ this fraction (0.01 = 1 %)
  bool area_weighted_score = true;     ///< weight each parcel's score by its area in ha
  double neighbour_bonus_per_m = 0.001;  ///< objective per metre of boundary shared by two parcels of one zone
  bool forbid_manufacturing_next_to_sensitive = true;  ///< adds every (manufacturing, sensitive) pair
  bool enforce_incompatibility = true; ///< switch for all incompatible-neighbour constraints
  bool keep_built_parcels = true;      ///< built, not freed parcels keep current_option
  bool keep_fixed_parcels = true;      ///< fixed parcels keep current_option
  bool compute_shadow_prices = true;   ///< solve the LP relaxation for the targets' shadow prices
  bool mip_start = true;               ///< seed CBC with the rounded LP relaxation, repaired greedily
  bool diagnose_conflicts = true;      ///< on infeasibility, also find the targets the relaxed ones conflict with
  int threads = 1;                     ///< CBC threads; 1 = sequential and deterministic
  int random_seed = 1;                 ///< CBC/Clp random seed
};

/// Every Params member, in declaration order, declared as data (core/params.hpp) so the scenario module, the CLI
/// and the docs can list them. Booleans are ParamKind::boolean with default 0/1.
std::span<const ParamInfo> param_table() noexcept;

struct AllocationProblem {
  std::vector<ParcelIn> parcels;
  std::vector<Option> options;
  std::vector<Adjacency> adjacency;
  std::vector<Target> targets;
  std::vector<IncompatiblePair> incompatible;  ///< explicit pairs, in addition to the Params switch
  Params params;
};

enum class AllocationStatus {
  optimal,      ///< search completed: the assignment is optimal within Params::relative_gap
  feasible,     ///< time limit reached with an assignment; gap_pct says how far from proven optimal
  infeasible,   ///< the enabled targets cannot all be met; see AllocationResult::diagnosis
  no_solution,  ///< time limit reached before any assignment was found (targets may still be feasible)
};
std::string_view to_string(AllocationStatus status) noexcept;

/// How one enabled target fares in the assignment.
struct ConstraintReport {
  std::string name;
  TargetKind kind = TargetKind::min_health_industry_mu;
  std::string unit;          ///< target_unit(kind)
  double lhs = 0.0;          ///< achieved value in the assignment, in `unit` (a share for *_share kinds)
  double rhs = 0.0;          ///< Target::value
  double slack = 0.0;        ///< margin in `unit`: lhs − rhs for ≥ targets, rhs − lhs for ≤ targets (≥ 0 when met)
  /// The target restrains the optimum: its shadow price is > 1e-9, or its slack is within 1e-6 · max(1, rhs).
  bool binding = false;
  /// From the LP relaxation of the full model: how much the (relaxed) optimum DROPS when the target is
  /// tightened by one unit of `unit` (a ≥ target raised, a ≤ target lowered), in objective units per
  /// unit. ≥ 0 by this sign convention: positive for a binding target (a cost), 0 for a slack one.
  /// E.g. 0.12 for the health target = "one more mu of health-industry land costs 0.12 suitability·ha".
  /// 0 when shadow prices were not computed.
  double shadow_price = 0.0;
};

/// One target that must be relaxed for the targets to become feasible.
struct Relaxation {
  std::string target;        ///< Target::name
  TargetKind kind = TargetKind::min_health_industry_mu;
  std::string unit;
  double rhs = 0.0;          ///< the target's value
  double achieved = 0.0;     ///< best achievable value in the least-violation assignment
  double amount = 0.0;       ///< by how much to relax it, in `unit` (> 0)
  std::string message;       ///< "health-industry land >= 3000 mu short by 412.5 mu"
};

/// Why a target set is infeasible (from an elastic model: one slack per target, minimum total
/// relax_weight · slack / value).
struct Diagnosis {
  std::vector<Relaxation> relaxations;       ///< targets with positive slack, in target order
  /// Names of the targets in conflict: the relaxed ones, then the others whose removal lowers the total
  /// needed relaxation (found only with Params::diagnose_conflicts), in target order.
  std::vector<std::string> conflicting_targets;
  double total_weighted_slack = 0.0;         ///< the elastic model's optimum (0 would mean feasible)
  std::string summary;                       ///< one line for people
};

struct AllocationResult {
  AllocationStatus status = AllocationStatus::no_solution;
  /// Option index per parcel (-1 = none). For infeasible results: the least-violation assignment of the
  /// diagnosis (not optimised for suitability). Empty for no_solution.
  std::vector<int> option;
  double objective = 0.0;      ///< of `option` (maximised), objective units (see file comment)
  double best_bound = 0.0;     ///< proven upper bound on the optimum
  double gap_pct = 0.0;        ///< proven gap, 100 · |best_bound − objective| / |objective|
  double lp_relaxation_objective = 0.0;  ///< optimum of the LP relaxation (when shadow prices were computed)
  double solve_seconds = 0.0;  ///< wall-clock time of all solver calls
  std::vector<ConstraintReport> constraints;  ///< one per enabled target, in target order
  Diagnosis diagnosis;         ///< filled for infeasible results
  /// Data findings ("alloc.fixed_incompatible", "alloc.fixed_option_not_allowed",
  /// "alloc.infeasible_targets" - one per relaxation), for the caller's ProblemReporter.
  std::vector<Problem> problems;
};

/// Solves the allocation. Never throws because targets are infeasible (returns a diagnosis instead).
/// Throws Error(ErrorCode::config) for a malformed problem (score size, option index or adjacency out of
/// range, non-positive area, unknown zone/phase in a target, duplicate target name, share outside [0, 1],
/// negative value), with Context::feature_key = the parcel id or Context::key = the target name; throws
/// Error(ErrorCode::infeasible) only if even the elastic diagnosis model fails, which indicates a bug.
AllocationResult allocate(const AllocationProblem& problem);

/// Objective of an assignment (option index per parcel, -1 = none) under `problem`'s objective,
/// ignoring constraints. Throws Error(ErrorCode::config) when the sizes do not match.
double evaluate_objective(const AllocationProblem& problem, std::span<const int> option);

// ---- linking to a simulation ----------------------------------------------------------------------------

/// development_year value for a parcel the simulation never develops.
inline constexpr int kNeverDeveloped = std::numeric_limits<int>::max();

/// What is developed, and with what, by one year.
struct YearSlice {
  int year = 0;
  std::vector<int> parcels;            ///< indices of parcels with an option by `year`, ascending
  double developed_m2 = 0.0;           ///< their total area
  double health_industry_mu = 0.0;     ///< of which health-industry, mu
};

struct YearlyAllocation {
  AllocationResult allocation;         ///< one allocation over parcels developed by the last year
  std::vector<YearSlice> years;        ///< one per requested year, ascending
};

/// Links an allocation to a simulation result: a free parcel may only receive an option if the
/// simulation develops it by the last of `years` (development_year[i] ≤ max(years); kNeverDeveloped =
/// never); one allocation is solved (targets apply to the final horizon), then each year's slice lists the
/// parcels developed by then (kept built/fixed parcels count from the start). Throws Error(config) when
/// development_year.size() != parcels.size() or `years` is empty, and as allocate().
YearlyAllocation allocate_by_year(const AllocationProblem& problem, std::span<const int> development_year,
                                  std::span<const int> years);

}  // namespace parksim::alloc
