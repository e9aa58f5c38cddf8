#include "sim/simulation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <string_view>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/units.hpp"
#include "grid/neighbourhood.hpp"

namespace parksim::sim {

// ---------------------------------------------------------------------------------------------------------------
// Input validation
// ---------------------------------------------------------------------------------------------------------------

namespace {

[[noreturn]] void fail(ErrorCode code, const std::string& key, const std::string& message,
                       std::optional<Coordinate> where = std::nullopt) {
  throw Error(code, message, Context{.key = key, .coordinate = where});
}

void check_same_spec(const grid::Grid<std::uint8_t>& g, const grid::GridSpec& spec, const std::string& key) {
  if (g.size() == 0) return;
  if (!(g.spec() == spec)) {
    fail(ErrorCode::data, key,
         fmt::format("{} is a {} x {} grid at ({}, {}) with {} m cells, but the class map is {} x {} at ({}, {}) "
                     "with {} m cells",
                     key, g.rows(), g.cols(), g.spec().origin_x, g.spec().origin_y, g.spec().cell_size_m,
                     spec.rows, spec.cols, spec.origin_x, spec.origin_y, spec.cell_size_m));
  }
}

// The first cell whose value is >= limit and != allowed_extra, as an error.
void check_values(const grid::Grid<std::uint8_t>& g, int limit, int allowed_extra, const std::string& key,
                  const std::string& what) {
  const std::uint8_t* v = g.data();
  for (std::int64_t i = 0; i < g.size(); ++i) {
    if (v[i] >= limit && v[i] != allowed_extra) {
      const grid::Cell cell = g.spec().cell_of_index(i);
      fail(ErrorCode::data, key,
           fmt::format("{} has value {} at row {}, column {}; {}", key, v[i], cell.row, cell.col, what),
           Coordinate{g.spec().col_centre_x(cell.col), g.spec().row_centre_y(cell.row)});
    }
  }
}

}  // namespace

void SimulationInput::validate() const {
  if (initial_classes.size() == 0) fail(ErrorCode::config, "initial_classes", "the initial class map is empty");
  if (class_count < 1 || class_count > max_classes) {
    fail(ErrorCode::config, "class_count",
         fmt::format("class_count must be in [1, {}], got {}", max_classes, class_count));
  }
  const int k = class_count;
  const grid::GridSpec& spec = initial_classes.spec();
  check_values(initial_classes, k, nodata_class, "initial_classes",
               fmt::format("classes are 0..{} and {} = nodata", k - 1, nodata_class));
  if (!class_names.empty() && class_names.size() != static_cast<std::size_t>(k)) {
    fail(ErrorCode::config, "class_names", fmt::format("class_names must be empty or have {} names", k));
  }
  if (!built_classes.empty() && built_classes.size() != static_cast<std::size_t>(k)) {
    fail(ErrorCode::config, "built_classes", fmt::format("built_classes must be empty or have {} flags", k));
  }
  check_same_spec(constraint, spec, "constraint");
  check_same_spec(phase, spec, "phase");
  if (phase_opening_year.size() >= no_phase) {
    fail(ErrorCode::config, "phase_opening_year", fmt::format("at most {} phases", no_phase));
  }
  if (phase.size() > 0) {
    check_values(phase, static_cast<int>(phase_opening_year.size()), no_phase, "phase",
                 fmt::format("phase ids are 0..{} (one opening year each) and {} = no phase",
                             static_cast<int>(phase_opening_year.size()) - 1, no_phase));
  }
  if (zone_count < 1 || zone_count > 255) fail(ErrorCode::config, "zone_count", "zone_count must be in [1, 255]");
  if (zone.size() == 0 && zone_count != 1) {
    fail(ErrorCode::config, "zone_count", "zone_count must be 1 when there is no zone grid");
  }
  check_same_spec(zone, spec, "zone");
  if (zone.size() > 0) {
    check_values(zone, zone_count, 256, "zone", fmt::format("zone ids are 0..{}", zone_count - 1));
  }
  if (!suitability.empty() && suitability.size() != static_cast<std::size_t>(k)) {
    fail(ErrorCode::config, "suitability", fmt::format("suitability must be empty or have {} grids", k));
  }
  for (std::size_t c = 0; c < suitability.size(); ++c) {
    check_same_spec(suitability[c], spec, fmt::format("suitability[{}]", c));
  }
  if (!conversion.empty() && conversion.size() != static_cast<std::size_t>(k * k)) {
    fail(ErrorCode::config, "conversion", fmt::format("conversion must be empty or have {} x {} rules", k, k));
  }
  for (std::size_t r = 0; r < conversion.size(); ++r) {
    const double w = conversion[r].weight;
    if (conversion[r].allowed && !(std::isfinite(w) && w > 0.0 && w <= 1000.0)) {
      fail(ErrorCode::config, "conversion",
           fmt::format("conversion weight from class {} to class {} must be in (0, 1000], got {}", r / k, r % k, w));
    }
  }
  const std::size_t bucket_count = static_cast<std::size_t>(k) * (demand_by_zone ? zone_count : 1);
  for (std::size_t y = 0; y < demand.size(); ++y) {
    const YearDemand& d = demand[y];
    const std::string key = fmt::format("demand[{}]", y);
    if (d.year != start_year + 1 + static_cast<int>(y)) {
      fail(ErrorCode::config, key,
           fmt::format("demand years must follow the start year {} one by one; entry {} is year {}, expected {}",
                       start_year, y, d.year, start_year + 1 + static_cast<int>(y)));
    }
    if (d.cells.size() != bucket_count) {
      fail(ErrorCode::config, key,
           fmt::format("demand of year {} has {} values, expected {} ({} classes{})", d.year, d.cells.size(),
                       bucket_count, k, demand_by_zone ? fmt::format(" x {} zones", zone_count) : ""));
    }
    for (std::size_t b = 0; b < d.cells.size(); ++b) {
      const std::int64_t v = d.cells[b];
      if (v >= no_target) continue;
      const auto cls = b % static_cast<std::size_t>(k);
      fail(ErrorCode::config, key,
           fmt::format("the demand of year {} for class '{}' falls below zero ({} cells): shrinking demand (e.g. a "
                       "negative growth rate) cannot take built land back; give a growth rate or demand that keeps "
                       "each class at or above its land of the start year",
                       d.year, cls < class_names.size() ? class_names[cls] : std::to_string(cls), v));
    }
  }
  for (std::size_t e = 0; e < suitability_events.size(); ++e) {
    const SuitabilityEvent& ev = suitability_events[e];
    const std::string key = fmt::format("suitability_events[{}]", e);
    if (ev.class_id < 0 || ev.class_id >= k) {
      fail(ErrorCode::config, key, fmt::format("suitability event for unknown class {}", ev.class_id));
    }
    if (ev.suitability.size() == 0) fail(ErrorCode::config, key, "suitability event without a grid");
    check_same_spec(ev.suitability, spec, key);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------------------------

namespace {

constexpr int kTileRows = 64;  // rows per parallel tile; results do not depend on it (per-cell random numbers,
                               // per-tile sums reduced in tile order)
constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max() / 4;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNoTargets = 0xFFFFFFFFu;  // pass_from of a target list with no target
constexpr float kOmegaFloor = 1e-4f;  // Params::neighbourhood_weight: cells stay reachable at w = 1

std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Stream tag of a purpose for (run, year, round): every (run, year, round) has its own independent stream family.
std::uint64_t derive_tag(std::string_view purpose, std::uint64_t run, int year, int round) noexcept {
  std::uint64_t h = stream_tag(purpose);
  h = splitmix64(h ^ run);
  h = splitmix64(h ^ static_cast<std::uint64_t>(static_cast<std::int64_t>(year)));
  h = splitmix64(h ^ static_cast<std::uint64_t>(round));
  return h;
}

struct Candidate {
  double key;
  std::int64_t cell;
  std::int32_t bucket;
};

struct KeyLess {  // (key, cell index): a total order, so selections never depend on the input order
  bool operator()(const Candidate& a, const Candidate& b) const noexcept {
    return a.key < b.key || (a.key == b.key && a.cell < b.cell);
  }
};

// Short classes a cell of one (demand zone, class) may turn into this round.
struct TargetList {
  int n = 0;
  std::array<std::uint8_t, max_classes> cls{};
  std::array<std::int32_t, max_classes> bucket{};
  std::array<float, max_classes> conv{};         // conversion weight
  std::array<const float*, max_classes> lut{};   // interior cells: neighbourhood factor x multiplier / 255, by count
  std::array<float, max_classes> nweight{};      // neighbourhood weight w (edge cells)
  std::array<float, max_classes> scale{};        // multiplier / 255 (edge cells)
  double weight_bound = 0.0;                     // >= the sum of the weights of any cell (suitability 255, share 1)
};

struct TileOut {
  std::vector<Candidate> candidates;
  std::vector<double> weight_sum;        // per bucket (exact or estimated, see Simulator::scan)
  std::vector<std::uint8_t> list_seen;   // per target list: some eligible cell uses it
};

// One cell in 64 (or, in measuring passes, one row in 16), chosen by a hash of its index (no spatial aliasing),
// estimates the weight sums of a round.
constexpr int kSampleShift = 6;
constexpr int kRowSampleShift = 4;
inline bool sampled_cell(std::int64_t i) noexcept {
  return ((static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL) >> (64 - kSampleShift)) == 0;
}
inline bool sampled_row(int r) noexcept {
  return ((static_cast<std::uint64_t>(r) * 0x9E3779B97F4A7C15ULL) >> (64 - kRowSampleShift)) == 0;
}

template <int W>
struct Packed {
  std::array<std::uint64_t, W> v{};
  void add(const Packed& o) noexcept {
    for (int w = 0; w < W; ++w) v[w] += o.v[w];
  }
  void sub(const Packed& o) noexcept {
    for (int w = 0; w < W; ++w) v[w] -= o.v[w];
  }
  unsigned count(int cls) const noexcept {
    return static_cast<unsigned>((v[cls >> 3] >> ((cls & 7) * 8)) & 0xFFu);
  }
};

class Simulator {
 public:
  Simulator(const SimulationInput& in, const Params& p, std::uint64_t seed, std::uint64_t run)
      : m_in(in), m_p(p), m_seed(seed), m_run(run), m_k(in.class_count),
        m_zb_count(in.demand_by_zone ? in.zone_count : 1), m_buckets(m_k * m_zb_count),
        m_rows(in.initial_classes.rows()), m_cols(in.initial_classes.cols()), m_cells(in.initial_classes.size()),
        m_h(p.neighbourhood_window / 2), m_state(in.initial_classes) {
    m_constraint = in.constraint.size() > 0 ? in.constraint.data() : nullptr;
    m_phase = in.phase.size() > 0 ? in.phase.data() : nullptr;
    m_zone = in.zone.size() > 0 ? in.zone.data() : nullptr;
    m_suit.assign(static_cast<std::size_t>(m_k), nullptr);
    // suitability^selection_exponent on the 0..255 scale (exactly the byte when the exponent is 1).
    for (int q = 0; q < 256; ++q) {
      m_suit_lut[static_cast<std::size_t>(q)] =
          p.selection_exponent == 1.0
              ? static_cast<float>(q)
              : static_cast<float>(255.0 * std::pow(static_cast<double>(q) / 255.0, p.selection_exponent));
    }
    for (std::size_t c = 0; c < in.suitability.size(); ++c) {
      if (in.suitability[c].size() > 0) m_suit[c] = in.suitability[c].data();
    }
    m_conv.assign(static_cast<std::size_t>(m_k * m_k), 1.0f);
    for (int a = 0; a < m_k; ++a) {
      for (int b = 0; b < m_k; ++b) {
        const std::size_t r = static_cast<std::size_t>(a * m_k + b);
        float w = 1.0f;
        if (!in.conversion.empty()) w = in.conversion[r].allowed ? static_cast<float>(in.conversion[r].weight) : 0.0f;
        m_conv[r] = a == b ? 0.0f : w;
      }
    }
    m_nweight.assign(static_cast<std::size_t>(m_k), static_cast<float>(p.neighbourhood_weight));
    for (std::size_t c = 0; c < p.class_neighbourhood_weight.size(); ++c) {
      m_nweight[c] = static_cast<float>(p.class_neighbourhood_weight[c]);
    }
    m_open.fill(0);
    m_open[no_phase] = 1;
    m_multiplier.assign(static_cast<std::size_t>(m_buckets), 1.0);
    m_last_weight.assign(static_cast<std::size_t>(m_buckets), 0.0);
    m_phase_full_year.assign(in.phase_opening_year.size(), not_filled);
    m_phase_developable.assign(in.phase_opening_year.size(), 0);
    m_phase_built.assign(in.phase_opening_year.size(), 0);
    m_built.assign(static_cast<std::size_t>(m_k), 0);
    for (std::size_t c = 0; c < in.built_classes.size(); ++c) m_built[c] = in.built_classes[c] ? 1 : 0;
    count_initial();
    m_event_order.resize(in.suitability_events.size());
    std::iota(m_event_order.begin(), m_event_order.end(), std::size_t{0});
    std::stable_sort(m_event_order.begin(), m_event_order.end(), [&](std::size_t a, std::size_t b) {
      return in.suitability_events[a].year < in.suitability_events[b].year;
    });
    m_tiles.resize(static_cast<std::size_t>((m_rows + kTileRows - 1) / kTileRows));
  }

  SimulationResult run(const Progress& progress) {
    SimulationResult result;
    check_phases_full(m_in.start_year);
    const int years = static_cast<int>(m_in.demand.size());
    for (int y = 0; y < years; ++y) {
      progress.check(static_cast<double>(y) / years, fmt::format("simulating year {}", m_in.demand[y].year));
      simulate_year(m_in.demand[static_cast<std::size_t>(y)], result);
    }
    progress.check(1.0, "simulation done");
    result.phase_full_year = m_phase_full_year;
    result.final_classes = std::move(m_state);
    return result;
  }

 private:
  // ----- bookkeeping ------------------------------------------------------------------------------------------
  int zone_of(std::int64_t i) const noexcept { return m_zone ? m_zone[i] : 0; }
  int demand_zone_of(std::int64_t i) const noexcept { return m_in.demand_by_zone ? zone_of(i) : 0; }

  void count_initial() {
    m_counts.assign(static_cast<std::size_t>(m_in.zone_count * m_k), 0);
    const std::uint8_t* cls = m_state.data();
    for (std::int64_t i = 0; i < m_cells; ++i) {
      const int c = cls[i];
      if (c >= m_k) continue;
      ++m_counts[static_cast<std::size_t>(zone_of(i) * m_k + c)];
      if (m_phase && m_phase[i] != no_phase && !(m_constraint && m_constraint[i])) {
        ++m_phase_developable[m_phase[i]];
        if (m_built[static_cast<std::size_t>(c)]) ++m_phase_built[m_phase[i]];
      }
    }
  }

  std::int64_t bucket_count(int b) const {
    if (m_in.demand_by_zone) return m_counts[static_cast<std::size_t>(b)];
    std::int64_t s = 0;
    for (int z = 0; z < m_in.zone_count; ++z) s += m_counts[static_cast<std::size_t>(z * m_k + b)];
    return s;
  }

  void convert(std::int64_t i, int from, int to) {
    m_state.data()[i] = static_cast<std::uint8_t>(to);
    const int zb = demand_zone_of(i);
    --m_donor_cap[static_cast<std::size_t>(zb * m_k + from)];
    --m_deficit[static_cast<std::size_t>(zb * m_k + to)];
    const int z = zone_of(i);
    --m_counts[static_cast<std::size_t>(z * m_k + from)];
    ++m_counts[static_cast<std::size_t>(z * m_k + to)];
    if (m_phase && m_phase[i] != no_phase) {
      m_phase_built[m_phase[i]] += m_built[static_cast<std::size_t>(to)] - m_built[static_cast<std::size_t>(from)];
    }
    ++m_converted;
  }

  void check_phases_full(int year) {
    if (m_in.built_classes.empty()) return;
    for (std::size_t p = 0; p < m_phase_full_year.size(); ++p) {
      if (m_phase_full_year[p] != not_filled || m_phase_developable[p] == 0) continue;
      if (static_cast<double>(m_phase_built[p]) >= m_p.phase_full_share * static_cast<double>(m_phase_developable[p])) {
        m_phase_full_year[p] = year;
      }
    }
  }

  float suit(int cls, std::int64_t i) const noexcept {
    const std::uint8_t* s = m_suit[static_cast<std::size_t>(cls)];
    return s ? m_suit_lut[s[i]] : 255.0f;
  }
  // Suitability as given (0..255), without Params::selection_exponent: new patches follow it (the exponent sharpens
  // the automaton's competition for cells, not where new settlements start).
  float raw_suit(int cls, std::int64_t i) const noexcept {
    const std::uint8_t* s = m_suit[static_cast<std::size_t>(cls)];
    return s ? static_cast<float>(s[i]) : 255.0f;
  }

  // Can cell i turn into the class of bucket b now (patch placement)?
  bool eligible(std::int64_t i, int b) const noexcept {
    const int k = b % m_k;
    const int c = m_state.data()[i];
    if (c >= m_k || c == k) return false;
    if (m_constraint && m_constraint[i]) return false;
    if (m_phase && !m_open[m_phase[i]]) return false;
    const int zb = demand_zone_of(i);
    if (zb != b / m_k) return false;
    if (m_conv[static_cast<std::size_t>(c * m_k + k)] <= 0.0f) return false;
    if (m_donor_cap[static_cast<std::size_t>(zb * m_k + c)] <= 0) return false;
    return suit(k, i) > 0.0f;
  }

  // ----- one year -------------------------------------------------------------------------------------------------
  void simulate_year(const YearDemand& demand, SimulationResult& result) {
    const int year = demand.year;
    m_converted = 0;
    // infrastructure timeline and phase opening
    while (m_next_event < m_event_order.size() &&
           m_in.suitability_events[m_event_order[m_next_event]].year <= year) {
      const SuitabilityEvent& ev = m_in.suitability_events[m_event_order[m_next_event]];
      m_suit[static_cast<std::size_t>(ev.class_id)] = ev.suitability.data();
      m_need_measure = true;
      ++m_next_event;
    }
    if (m_in.suitability_update) {
      std::vector<grid::Grid<std::uint8_t>> updated = m_in.suitability_update(year, m_state);
      if (updated.size() != static_cast<std::size_t>(m_k)) {
        throw Error(ErrorCode::internal, fmt::format("suitability update of {} gave {} grids for {} classes", year,
                                                     updated.size(), m_k));
      }
      m_updated.resize(static_cast<std::size_t>(m_k));
      for (std::size_t c = 0; c < updated.size(); ++c) {
        if (updated[c].size() == 0) continue;
        grid::require_same_spec(updated[c].spec(), m_state.spec(), "suitability update");
        m_updated[c] = std::move(updated[c]);
        m_suit[c] = m_updated[c].data();
      }
      m_need_measure = true;
    }
    for (std::size_t p = 0; p < m_in.phase_opening_year.size(); ++p) {
      const std::uint8_t open = year >= m_in.phase_opening_year[p] ? 1 : 0;
      if (open != m_open[p]) m_need_measure = true;
      m_open[p] = open;
    }
    // shortfalls and donor capacities
    m_deficit.assign(static_cast<std::size_t>(m_buckets), 0);
    m_donor_cap.assign(static_cast<std::size_t>(m_buckets), 0);
    for (int b = 0; b < m_buckets; ++b) {
      const std::int64_t target = demand.cells[static_cast<std::size_t>(b)];
      const std::int64_t now = bucket_count(b);
      if (target == no_target) {
        m_donor_cap[static_cast<std::size_t>(b)] = kUnlimited;
      } else if (target > now) {
        m_deficit[static_cast<std::size_t>(b)] = target - now;
      } else {
        m_donor_cap[static_cast<std::size_t>(b)] = now - target;
      }
    }
    const std::vector<std::int64_t> yearly_deficit = m_deficit;

    YearRecord record;
    record.year = year;
    place_patches(year);
    record.patch_cells = m_converted;
    record.rounds = allocate_rounds(year, yearly_deficit);

    // inertia relaxes for buckets that met their demand
    for (int b = 0; b < m_buckets; ++b) {
      if (yearly_deficit[static_cast<std::size_t>(b)] > 0 && m_deficit[static_cast<std::size_t>(b)] == 0) {
        double& m = m_multiplier[static_cast<std::size_t>(b)];
        m = 1.0 + (m - 1.0) * 0.5;
      }
    }
    record.converted_cells = m_converted;
    record.unmet_cells = m_deficit;
    record.cells = m_counts;
    report_unmet(year, result);
    check_phases_full(year);
    if (std::find(m_in.output_years.begin(), m_in.output_years.end(), year) != m_in.output_years.end()) {
      result.year_maps.emplace_back(year, m_state);
    }
    result.years.push_back(std::move(record));
  }

  void report_unmet(int year, SimulationResult& result) const {
    const double cell_km2 = units::m2_to_km2(m_state.spec().cell_area_m2());
    for (int b = 0; b < m_buckets; ++b) {
      const std::int64_t short_cells = m_deficit[static_cast<std::size_t>(b)];
      if (short_cells <= 0) continue;
      const int k = b % m_k;
      const std::string name =
          m_in.class_names.empty() ? fmt::format("class {}", k) : fmt::format("class {} ({})", k, m_in.class_names[static_cast<std::size_t>(k)]);
      const std::string zone = m_in.demand_by_zone ? fmt::format(" in zone {}", b / m_k) : std::string();
      result.problems.push_back(Problem{
          .severity = Severity::warning,
          .code = "demand.unmet",
          .message = fmt::format("year {}: demand of {}{} not met by {} cells ({:.6f} km2): no more land can "
                                 "change to it (constraints, phases, conversion rules, donors exhausted)",
                                 year, name, zone, short_cells, static_cast<double>(short_cells) * cell_km2),
          .where = Context{.layer = m_in.layer, .feature_id = b, .key = fmt::format("demand.{}", year)}});
    }
  }

  // ----- new patches ----------------------------------------------------------------------------------------------
  void place_patches(int year) {
    if (m_p.patch_share <= 0.0) return;
    const std::vector<int>& observed = m_p.patch_sizes_cells;
    const double sigma2 = std::log(1.0 + (m_p.patch_size_sd_cells * m_p.patch_size_sd_cells) /
                                             (m_p.patch_size_mean_cells * m_p.patch_size_mean_cells));
    const double mu = std::log(m_p.patch_size_mean_cells) - 0.5 * sigma2;
    const double sigma = std::sqrt(sigma2);
    const double mean_size =
        observed.empty() ? m_p.patch_size_mean_cells
                         : static_cast<double>(std::accumulate(observed.begin(), observed.end(), std::int64_t{0})) /
                               static_cast<double>(observed.size());
    const std::uint64_t tag = derive_tag("sim.patch", m_run, year, 0);
    m_patch_carry.resize(static_cast<std::size_t>(m_buckets), 0.0);
    for (int b = 0; b < m_buckets; ++b) {
      // This year's share plus what earlier years left over (a fraction) or overran (negative).
      double& carry = m_patch_carry[static_cast<std::size_t>(b)];
      const double exact = m_p.patch_share * static_cast<double>(m_deficit[static_cast<std::size_t>(b)]) + carry;
      const auto budget = static_cast<std::int64_t>(std::floor(exact));
      carry = exact;
      if (budget <= 0 || m_deficit[static_cast<std::size_t>(b)] <= 0) continue;
      const int k = b % m_k;
      float max_conv = 0.0f;
      for (int c = 0; c < m_k; ++c) max_conv = std::max(max_conv, m_conv[static_cast<std::size_t>(c * m_k + k)]);
      if (max_conv <= 0.0f) continue;
      RngStream rng(m_seed, tag, static_cast<std::uint64_t>(b));
      // Seeds are drawn by rejection with probability proportional to suitability x conversion weight among the
      // cells away from the class. The acceptance scale is the largest such weight among kScaleSamples random cells,
      // so a landscape whose far cells all have a low potential still gets its patches (cells above the scale are
      // accepted at probability 1).
      constexpr int kScaleSamples = 4096;
      auto seed_weight = [&](std::int64_t i) {
        if (!eligible(i, b) || class_in_window(i, k)) return 0.0;
        return raw_suit(k, i) / 255.0 * m_conv[static_cast<std::size_t>(m_state.data()[i] * m_k + k)] / max_conv;
      };
      double scale = 0.0;
      for (int t = 0; t < kScaleSamples; ++t) {
        scale = std::max(scale, seed_weight(static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(m_cells)))));
      }
      if (!(scale > 0.0)) continue;
      const double wanted_patches = std::ceil(static_cast<double>(budget) / mean_size);
      const auto max_tries = static_cast<std::int64_t>(wanted_patches * m_p.patch_seed_tries);
      std::int64_t placed = 0;
      for (std::int64_t t = 0; t < max_tries && placed < budget; ++t) {
        const auto i = static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(m_cells)));
        const double accept = rng.uniform();
        const double size_draw =
            observed.empty() ? std::exp(mu + sigma * rng.normal())
                             : static_cast<double>(observed[rng.uniform_int(observed.size())]);
        const double w = seed_weight(i);
        if (!(w > 0.0) || accept * scale >= w) continue;
        // the drawn size whole (never cut to the budget: that would bias sizes small); grow_patch stops at the demand
        placed += grow_patch(i, b, std::max<std::int64_t>(1, std::llround(size_draw)), rng);
      }
      // an overrun is taken off next year's budget; seeds not found leave only the fraction (the automaton grows
      // the rest)
      carry = placed >= budget ? exact - static_cast<double>(placed) : exact - static_cast<double>(budget);
    }
  }

  bool class_in_window(std::int64_t i, int k) const noexcept {
    const int h = std::max(m_h, 1);
    const int r = static_cast<int>(i / m_cols);
    const int c = static_cast<int>(i % m_cols);
    for (int rr = std::max(0, r - h); rr <= std::min(m_rows - 1, r + h); ++rr) {
      const std::uint8_t* row = m_state.row_data(rr);
      for (int cc = std::max(0, c - h); cc <= std::min(m_cols - 1, c + h); ++cc) {
        if (row[cc] == k) return true;
      }
    }
    return false;
  }

  // Grows a patch of class b % K from seed cell i over 4-connected eligible cells, picking each next cell from the
  // frontier by roulette on suitability. Returns the cells converted.
  std::int64_t grow_patch(std::int64_t seed_cell, int b, std::int64_t size, RngStream& rng) {
    const int k = b % m_k;
    std::vector<std::int64_t> frontier;
    std::int64_t grown = 0;
    auto push_neighbours = [&](std::int64_t i) {
      const int r = static_cast<int>(i / m_cols);
      const int c = static_cast<int>(i % m_cols);
      const std::int64_t nb[4] = {r > 0 ? i - m_cols : -1, r + 1 < m_rows ? i + m_cols : -1, c > 0 ? i - 1 : -1,
                                  c + 1 < m_cols ? i + 1 : -1};
      for (std::int64_t j : nb) {
        if (j >= 0 && eligible(j, b) && std::find(frontier.begin(), frontier.end(), j) == frontier.end()) {
          frontier.push_back(j);
        }
      }
    };
    auto take = [&](std::int64_t i) {
      convert(i, m_state.data()[i], k);
      ++grown;
      push_neighbours(i);
    };
    take(seed_cell);
    while (grown < size && m_deficit[static_cast<std::size_t>(b)] > 0) {
      // drop cells that stopped being eligible (donor capacity used up)
      std::erase_if(frontier, [&](std::int64_t j) { return !eligible(j, b); });
      if (frontier.empty()) break;
      double total = 0.0;
      for (std::int64_t j : frontier) total += raw_suit(k, j);
      const double r = rng.uniform() * total;
      std::size_t pick = 0;
      double acc = raw_suit(k, frontier[0]);
      while (pick + 1 < frontier.size() && acc <= r) acc += raw_suit(k, frontier[++pick]);
      const std::int64_t cell = frontier[pick];
      frontier.erase(frontier.begin() + static_cast<std::ptrdiff_t>(pick));
      take(cell);
    }
    return grown;
  }

  // ----- automaton rounds -----------------------------------------------------------------------------------------
  // The automaton: steps_per_year steps; each step may convert its share of the year's demand (m_allow); the last
  // step runs rounds until the demand is met or no candidate is left.
  int allocate_rounds(int year, const std::vector<std::int64_t>& yearly_deficit) {
    std::vector<std::uint8_t> exhausted(static_cast<std::size_t>(m_buckets), 0);
    std::vector<double> threshold(static_cast<std::size_t>(m_buckets), 0.0);
    m_allow.assign(static_cast<std::size_t>(m_buckets), 0);
    const int steps = m_p.steps_per_year;
    int passes = 0;
    for (int step = 0; step < steps; ++step) {
      const bool last_step = step == steps - 1;
      for (int b = 0; b < m_buckets; ++b) {
        const std::int64_t left = m_deficit[static_cast<std::size_t>(b)];
        const std::int64_t year_total = yearly_deficit[static_cast<std::size_t>(b)];
        const std::int64_t due = (year_total * (step + 1) + steps - 1) / steps;  // ceil
        m_allow[static_cast<std::size_t>(b)] = last_step ? left : std::max<std::int64_t>(0, std::min(left, due - (year_total - left)));
      }
      const int rounds = last_step ? m_p.max_rounds : 1;
      for (int round = 0; round < rounds; ++round) {
        bool any = false;
        for (int b = 0; b < m_buckets; ++b) {
          any |= m_allow[static_cast<std::size_t>(b)] > 0 && !exhausted[static_cast<std::size_t>(b)];
        }
        if (!any) break;
        const bool fallback = last_step && round >= m_p.max_rounds - 2;
        const int stream_round = step * m_p.max_rounds + round;
        build_targets(exhausted);
        if (m_need_measure && !fallback) {
          std::fill(threshold.begin(), threshold.end(), 0.0);
          scan(year, stream_round, threshold, /*measure_only=*/true);
          m_need_measure = false;
          ++passes;
        }
        for (int b = 0; b < m_buckets; ++b) {
          const auto d = static_cast<double>(m_allow[static_cast<std::size_t>(b)]);
          double& t = threshold[static_cast<std::size_t>(b)];
          const double w = m_last_weight[static_cast<std::size_t>(b)];
          if (d <= 0.0) {
            t = 0.0;
          } else if (fallback || w <= 0.0) {  // (an estimated sum of 0 means few cells: taking all is cheap)
            t = kInf;
          } else {
            const double estimate = (m_p.candidate_margin * d + 3.0 * std::sqrt(d) + 4.0) / w;
            t = round == 0 ? estimate : std::max(estimate, 4.0 * t);
          }
        }
        scan(year, stream_round, threshold, /*measure_only=*/false);
        ++passes;
        for (int b = 0; b < m_buckets; ++b) {
          if (m_allow[static_cast<std::size_t>(b)] > 0 && bucket_exhausted(b)) exhausted[static_cast<std::size_t>(b)] = 1;
        }
        select_and_apply();
        for (int b = 0; b < m_buckets; ++b) {
          const std::int64_t left = m_allow[static_cast<std::size_t>(b)];
          if (left > 0 && !exhausted[static_cast<std::size_t>(b)]) {
            double& m = m_multiplier[static_cast<std::size_t>(b)];
            m = std::min(m_p.inertia_max,
                         m * (1.0 + m_p.inertia_adaptation * static_cast<double>(left) /
                                        static_cast<double>(yearly_deficit[static_cast<std::size_t>(b)])));
          }
        }
      }
    }
    return passes;
  }

  void build_targets(const std::vector<std::uint8_t>& exhausted) {
    const int window = m_p.neighbourhood_window;
    const int lut_size = window * window + 1;
    const float denom = static_cast<float>(window * window - 1);
    m_lut.assign(static_cast<std::size_t>(m_buckets * lut_size), 0.0f);
    for (int b = 0; b < m_buckets; ++b) {
      const float w = m_nweight[static_cast<std::size_t>(b % m_k)];
      const float scale = static_cast<float>(m_multiplier[static_cast<std::size_t>(b)] / 255.0);
      for (int n = 0; n < lut_size; ++n) {
        const float omega = window == 1 ? 1.0f : std::max(kOmegaFloor, (1.0f - w) + w * (static_cast<float>(n) / denom));
        m_lut[static_cast<std::size_t>(b * lut_size + n)] = scale * omega;
      }
    }
    m_targets.assign(static_cast<std::size_t>(m_zb_count * m_k), TargetList{});
    for (int zb = 0; zb < m_zb_count; ++zb) {
      for (int c = 0; c < m_k; ++c) {
        TargetList& t = m_targets[static_cast<std::size_t>(zb * m_k + c)];
        if (m_donor_cap[static_cast<std::size_t>(zb * m_k + c)] <= 0) continue;
        for (int k = 0; k < m_k; ++k) {
          const int b = zb * m_k + k;
          const float conv = m_conv[static_cast<std::size_t>(c * m_k + k)];
          if (conv <= 0.0f || m_allow[static_cast<std::size_t>(b)] <= 0 || exhausted[static_cast<std::size_t>(b)]) continue;
          t.cls[static_cast<std::size_t>(t.n)] = static_cast<std::uint8_t>(k);
          t.bucket[static_cast<std::size_t>(t.n)] = b;
          t.conv[static_cast<std::size_t>(t.n)] = conv;
          t.lut[static_cast<std::size_t>(t.n)] = &m_lut[static_cast<std::size_t>(b * lut_size)];
          t.nweight[static_cast<std::size_t>(t.n)] = m_nweight[static_cast<std::size_t>(k)];
          t.scale[static_cast<std::size_t>(t.n)] = static_cast<float>(m_multiplier[static_cast<std::size_t>(b)] / 255.0);
          ++t.n;
        }
        // Bound of a cell's weight sum: suitability <= 255 and the shares of the classes in one window sum to <= 1,
        // so sum_t sc_t ((1 - w_t) + w_t share_t) <= sum_t sc_t (1 - w_t) + max_t sc_t w_t (+ the floor).
        double fixed = 0.0;
        double shared = 0.0;
        double floor = 0.0;
        for (int i = 0; i < t.n; ++i) {
          const double sc = static_cast<double>(t.scale[static_cast<std::size_t>(i)]) * t.conv[static_cast<std::size_t>(i)];
          const double w = p_window_one() ? 0.0 : static_cast<double>(t.nweight[static_cast<std::size_t>(i)]);
          fixed += sc * (1.0 - w);
          shared = std::max(shared, sc * w);
          floor += sc * static_cast<double>(kOmegaFloor);
        }
        t.weight_bound = 255.0 * (fixed + shared + floor) * (1.0 + 1e-4);
      }
    }
  }

  // One pass over the grid. Exact weight sums when every threshold is infinite (fallback rounds); otherwise the sums are estimated from the sampled cells (x 16) - they only steer the thresholds - and
  // cells whose race cannot beat the largest threshold of their list are rejected before their weights are computed.
  void scan(int year, int round, const std::vector<double>& threshold, bool measure_only) {
    const std::uint64_t tag = derive_tag("sim.race", m_run, year, round);
    // (a measuring pass only steers thresholds: the sums over one row in 16 suffice)
    bool exact = !measure_only;
    for (int b = 0; b < m_buckets && exact; ++b) {
      exact = threshold[static_cast<std::size_t>(b)] == kInf || m_allow[static_cast<std::size_t>(b)] <= 0;
    }
    m_pass_from.assign(m_targets.size(), 0);
    m_max_threshold.assign(m_targets.size(), kInf);
    for (std::size_t l = 0; l < m_targets.size(); ++l) {
      const TargetList& tl = m_targets[l];
      double t_max = 0.0;
      for (int t = 0; t < tl.n; ++t) t_max = std::max(t_max, threshold[static_cast<std::size_t>(tl.bucket[static_cast<std::size_t>(t)])]);
      m_max_threshold[l] = t_max;
      // reject when 1 - (top16 + 1) / 2^16 >= bound, i.e. top16 + 1 <= 2^16 (1 - bound)
      const double bound = t_max * tl.weight_bound;
      m_pass_from[l] = tl.n == 0 ? kNoTargets
                       : bound >= 1.0 || !(bound == bound) ? 0u
                                                           : static_cast<std::uint32_t>(std::floor(65536.0 * (1.0 - bound)));
    }
    const auto tile_count = static_cast<int>(m_tiles.size());
    tbb::parallel_for(tbb::blocked_range<int>(0, tile_count, 1), [&](const tbb::blocked_range<int>& range) {
      for (int t = range.begin(); t < range.end(); ++t) {
        TileOut& out = m_tiles[static_cast<std::size_t>(t)];
        out.candidates.clear();
        out.weight_sum.assign(static_cast<std::size_t>(m_buckets), 0.0);
        out.list_seen.assign(m_targets.size(), 0);
        const int r0 = t * kTileRows;
        const int r1 = std::min(m_rows, r0 + kTileRows);
        if (m_k <= 8) {
          scan_tile<1>(r0, r1, tag, threshold, measure_only, exact, out);
        } else {
          scan_tile<2>(r0, r1, tag, threshold, measure_only, exact, out);
        }
      }
    });
    std::fill(m_last_weight.begin(), m_last_weight.end(), 0.0);
    std::vector<std::uint8_t> seen(m_targets.size(), 0);
    for (const TileOut& out : m_tiles) {  // tile order: the same sums whatever the thread count
      for (int b = 0; b < m_buckets; ++b) m_last_weight[static_cast<std::size_t>(b)] += out.weight_sum[static_cast<std::size_t>(b)];
      for (std::size_t l = 0; l < seen.size(); ++l) seen[l] |= out.list_seen[l];
    }
    // A bucket is exhausted for the year when no eligible cell can take it: known exactly from an exact pass
    // (weight sum 0), and from any pass when no eligible cell even lists it.
    m_bucket_listed.assign(static_cast<std::size_t>(m_buckets), 0);
    for (std::size_t l = 0; l < seen.size(); ++l) {
      if (!seen[l]) continue;
      const TargetList& tl = m_targets[l];
      for (int t = 0; t < tl.n; ++t) m_bucket_listed[static_cast<std::size_t>(tl.bucket[static_cast<std::size_t>(t)])] = 1;
    }
    m_last_scan_exact = exact;
  }

  bool p_window_one() const noexcept { return m_p.neighbourhood_window == 1; }

  bool bucket_exhausted(int b) const {
    if (!m_bucket_listed[static_cast<std::size_t>(b)]) return true;
    return m_last_scan_exact && m_last_weight[static_cast<std::size_t>(b)] <= 0.0;
  }

  template <int W>
  void scan_tile(int r0, int r1, std::uint64_t tag, const std::vector<double>& threshold, bool measure_only,
                 bool exact, TileOut& out) const {
    std::array<Packed<W>, 256> onehot{};
    for (int c = 0; c < m_k; ++c) onehot[static_cast<std::size_t>(c)].v[static_cast<std::size_t>(c >> 3)] = std::uint64_t{1} << ((c & 7) * 8);
    const int h = m_h;
    const int window = 2 * h + 1;
    const std::uint8_t* cls = m_state.data();
    const std::uint8_t* constraint = m_constraint;
    const std::uint8_t* phase = m_phase;
    const std::uint8_t* zone = m_in.demand_by_zone ? m_zone : nullptr;
    const std::uint8_t* open = m_open.data();
    const TargetList* lists = m_targets.data();
    const std::uint32_t* pass_from = m_pass_from.data();
    const int k_count = m_k;
    const int cols = m_cols;
    std::array<float, max_classes> wt{};
    std::uint64_t cached_group = std::numeric_limits<std::uint64_t>::max();
    std::array<std::uint64_t, 4> block{};
    const double* max_threshold = m_max_threshold.data();

    for (int r = r0; r < r1; ++r) {
      if (measure_only && !sampled_row(r)) continue;  // measuring: whole rows, one in 16 (hashed)
      const bool row_interior = r >= h && r < m_rows - h;
      const std::int64_t row_base = static_cast<std::int64_t>(r) * cols;
      for (int j = 0; j < cols; ++j) {
        const std::int64_t i = row_base + j;
        const int c = cls[i];
        if (c >= k_count) continue;
        const auto list = static_cast<std::size_t>((zone ? zone[i] : 0) * k_count + c);
        const std::uint32_t list_pass_from = pass_from[list];  // kNoTargets: nothing to turn into
        if (list_pass_from == kNoTargets) continue;
        if (constraint && constraint[i]) continue;
        if (phase && !open[phase[i]]) continue;
        const TargetList& tl = lists[list];
        out.list_seen[list] = 1;
        const bool sample = measure_only || (!exact && sampled_cell(i));
        // The race uniform u of a cell: its top 16 bits come from a block shared by 16 cells, the next 32 bits (and
        // the roulette) from the cell's own block, drawn only for cells that pass the tests on the top bits.
        std::uint64_t top16 = 0;
        double u_high = 1.0;  // u <= u_high
        if (!measure_only) {
          const auto group = static_cast<std::uint64_t>(i) >> 4;
          if (group != cached_group) {
            block = philox4x64_block(m_seed, tag, group, 0);
            cached_group = group;
          }
          top16 = (block[static_cast<std::size_t>((i >> 2) & 3)] >> (16 * (i & 3))) & 0xFFFFu;
          // -ln(u) >= 1 - u and the weight sum <= weight_bound: no threshold of the list can be beaten
          if (top16 < list_pass_from && !sample) continue;
          u_high = static_cast<double>(top16 + 1) * 0x1.0p-16;
        }
        // class counts of the window (packed bytes), only for the few cells that get this far
        Packed<W> win{};
        {
          const int c0 = std::max(0, j - h);
          const int c1 = std::min(cols - 1, j + h);
          for (int rr = std::max(0, r - h); rr <= std::min(m_rows - 1, r + h); ++rr) {
            const std::uint8_t* row = cls + static_cast<std::int64_t>(rr) * cols;
            for (int cc = c0; cc <= c1; ++cc) win.add(onehot[row[cc]]);
          }
        }
        const bool interior = row_interior && j >= h && j < m_cols - h;
        float edge_share_denom = 0.0f;
        if (!interior) edge_share_denom = static_cast<float>(grid::window_cell_count(m_rows, m_cols, r, j, window) - 1);
        float total = 0.0f;
        for (int t = 0; t < tl.n; ++t) {
          const int k = tl.cls[static_cast<std::size_t>(t)];
          const unsigned n = win.count(k);
          float factor;
          if (interior) {
            factor = tl.lut[static_cast<std::size_t>(t)][n];
          } else {
            const float w = tl.nweight[static_cast<std::size_t>(t)];
            const float omega = edge_share_denom > 0.0f && window > 1
                                    ? std::max(kOmegaFloor, (1.0f - w) + w * (static_cast<float>(n) / edge_share_denom))
                                    : 1.0f;
            factor = tl.scale[static_cast<std::size_t>(t)] * omega;
          }
          const float weight = suit(k, i) * factor * tl.conv[static_cast<std::size_t>(t)];
          wt[static_cast<std::size_t>(t)] = weight;
          total += weight;
        }
        if (!(total > 0.0f)) continue;
        if (exact || sample) {
          const double scale = exact ? 1.0 : static_cast<double>(1 << (measure_only ? kRowSampleShift : kSampleShift));
          for (int t = 0; t < tl.n; ++t) {
            out.weight_sum[static_cast<std::size_t>(tl.bucket[static_cast<std::size_t>(t)])] += scale * wt[static_cast<std::size_t>(t)];
          }
        }
        if (measure_only) continue;
        const double total_d = static_cast<double>(total);
        if (1.0 - u_high >= max_threshold[list] * total_d) continue;
        const std::array<std::uint64_t, 4> own = philox4x64_block(m_seed, tag, static_cast<std::uint64_t>(i), 1);
        const double u_race =
            (static_cast<double>((top16 << 32) | (own[0] & 0xFFFFFFFFu)) + 1.0) * 0x1.0p-48;  // (0, 1]
        const float r_pick = static_cast<float>(static_cast<double>(own[1] >> 11) * 0x1.0p-53) * total;
        int pick = 0;
        float acc = wt[0];
        while (pick + 1 < tl.n && acc <= r_pick) acc += wt[static_cast<std::size_t>(++pick)];
        while (pick > 0 && wt[static_cast<std::size_t>(pick)] <= 0.0f) --pick;
        const int b = tl.bucket[static_cast<std::size_t>(pick)];
        const double t_b = threshold[static_cast<std::size_t>(b)];
        // -ln(u) >= 1 - u: most cells are rejected without a logarithm
        if (t_b != kInf && 1.0 - u_race >= t_b * total_d) continue;
        const double key = -std::log(u_race) / total_d;
        if (!(key < t_b)) continue;
        out.candidates.push_back(Candidate{key, i, b});
      }
    }
  }

  void select_and_apply() {
    m_by_bucket.resize(static_cast<std::size_t>(m_buckets));
    for (auto& v : m_by_bucket) v.clear();
    for (TileOut& out : m_tiles) {
      for (const Candidate& cand : out.candidates) m_by_bucket[static_cast<std::size_t>(cand.bucket)].push_back(cand);
      out.candidates.clear();
    }
    m_selected.clear();
    for (int b = 0; b < m_buckets; ++b) {
      std::vector<Candidate>& v = m_by_bucket[static_cast<std::size_t>(b)];
      const std::int64_t need = m_allow[static_cast<std::size_t>(b)];
      if (need <= 0 || v.empty()) continue;
      if (static_cast<std::int64_t>(v.size()) > need) {
        std::nth_element(v.begin(), v.begin() + need, v.end(), KeyLess{});
        v.resize(static_cast<std::size_t>(need));
      }
      m_selected.insert(m_selected.end(), v.begin(), v.end());
    }
    std::sort(m_selected.begin(), m_selected.end(), KeyLess{});
    for (const Candidate& cand : m_selected) {
      const int from = m_state.data()[cand.cell];
      const int zb = demand_zone_of(cand.cell);
      if (m_donor_cap[static_cast<std::size_t>(zb * m_k + from)] <= 0) continue;
      if (m_allow[static_cast<std::size_t>(cand.bucket)] <= 0) continue;
      --m_allow[static_cast<std::size_t>(cand.bucket)];
      convert(cand.cell, from, cand.bucket % m_k);
    }
  }

  const SimulationInput& m_in;
  const Params& m_p;
  std::uint64_t m_seed;
  std::uint64_t m_run;
  int m_k;
  int m_zb_count;
  int m_buckets;
  int m_rows;
  int m_cols;
  std::int64_t m_cells;
  int m_h;
  grid::Grid<std::uint8_t> m_state;
  const std::uint8_t* m_constraint = nullptr;
  const std::uint8_t* m_phase = nullptr;
  const std::uint8_t* m_zone = nullptr;
  std::vector<const std::uint8_t*> m_suit;
  std::array<float, 256> m_suit_lut{};  // weight of each suitability byte (selection_exponent)
  std::vector<grid::Grid<std::uint8_t>> m_updated;  // suitability measured on this run's map (suitability_update)
  std::vector<float> m_conv;
  std::vector<float> m_nweight;
  std::array<std::uint8_t, 256> m_open{};
  std::vector<std::int64_t> m_counts;
  std::vector<std::int64_t> m_deficit;
  std::vector<std::int64_t> m_donor_cap;
  std::vector<std::int64_t> m_allow;  // cells each bucket may still take in the current step
  std::vector<double> m_multiplier;
  std::vector<double> m_last_weight;
  std::vector<double> m_patch_carry;  // per bucket: patch budget carried to the next year (Params::patch_share)
  bool m_need_measure = true;
  std::vector<int> m_phase_full_year;
  std::vector<std::int64_t> m_phase_developable;
  std::vector<std::int64_t> m_phase_built;
  std::vector<int> m_built;
  std::vector<std::size_t> m_event_order;
  std::size_t m_next_event = 0;
  std::int64_t m_converted = 0;
  std::vector<float> m_lut;
  std::vector<TargetList> m_targets;
  std::vector<TileOut> m_tiles;
  std::vector<std::uint32_t> m_pass_from;     // per target list, this pass: top 16 bits below it are rejected
  std::vector<double> m_max_threshold;        // per target list, this pass
  std::vector<std::uint8_t> m_bucket_listed;  // per bucket, last pass
  bool m_last_scan_exact = false;
  std::vector<std::vector<Candidate>> m_by_bucket;
  std::vector<Candidate> m_selected;
};

}  // namespace

grid::Grid<std::uint8_t> quantise_suitability(const grid::Grid<float>& probability) {
  grid::Grid<std::uint8_t> out(probability.spec(), 0);
  for (std::int64_t i = 0; i < probability.size(); ++i) {
    const float p = probability[i];
    if (!(p > 0.0f)) continue;  // also NaN
    out[i] = p >= 1.0f ? std::uint8_t{255} : static_cast<std::uint8_t>(std::lround(static_cast<double>(p) * 255.0));
  }
  return out;
}

SimulationResult simulate(const SimulationInput& input, const Params& params, std::uint64_t seed, std::uint64_t run,
                          const Progress& progress) {
  input.validate();
  params.validate(input.class_count);
  Simulator simulator(input, params, seed, run);
  return simulator.run(progress);
}

}  // namespace parksim::sim
