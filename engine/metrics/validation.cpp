#include "metrics/validation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace parksim::metrics {
namespace {

constexpr int kCodes = 256;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Products of two cell counts must fit in int64: n^2 < 9.2e18 holds up to ~3e9 cells (a 55,000^2 map).
constexpr std::int64_t kMaxCells = 3'000'000'000;

// A dense kCodes x kCodes contingency table of cell counts, row-major [row_class][col_class].
class Table {
 public:
  Table() : m_n(static_cast<std::size_t>(kCodes) * kCodes, 0) {}
  std::int64_t& at(int row, int col) noexcept { return m_n[static_cast<std::size_t>(row) * kCodes + col]; }
  std::int64_t at(int row, int col) const noexcept {
    return m_n[static_cast<std::size_t>(row) * kCodes + col];
  }

 private:
  std::vector<std::int64_t> m_n;
};

double ratio(std::int64_t numerator, std::int64_t denominator) noexcept {
  return denominator == 0 ? kNaN : static_cast<double>(numerator) / static_cast<double>(denominator);
}

void finish_fom(FigureOfMerit& f) noexcept {
  const std::int64_t a = f.misses, b = f.hits, c = f.wrong_hits, d = f.false_alarms;
  f.figure_of_merit = ratio(b, a + b + c + d);
  f.producers_accuracy = ratio(b, a + b + c);
  f.users_accuracy = ratio(b, b + c + d);
}

// The tables one candidate map is scored from: observed x candidate, initial x observed, initial x candidate.
struct Tables {
  const Table& observed_candidate;
  const Table& initial_observed;
  const Table& initial_candidate;
};

KappaScores kappa_scores(const Tables& t, const std::vector<std::uint8_t>& classes, std::int64_t n) {
  KappaScores k;
  // Cohen / Hagen: all terms scaled by n^2 so that the zero-denominator tests are exact integer tests.
  std::int64_t agree = 0, sum_products = 0, sum_min = 0;
  for (const int g : classes) {
    std::int64_t observed_g = 0, candidate_g = 0;
    for (const int h : classes) {
      observed_g += t.observed_candidate.at(g, h);
      candidate_g += t.observed_candidate.at(h, g);
    }
    agree += t.observed_candidate.at(g, g);
    sum_products += observed_g * candidate_g;
    sum_min += std::min(observed_g, candidate_g);
  }
  k.fraction_correct = ratio(agree, n);
  k.kappa = ratio(n * agree - sum_products, n * n - sum_products);
  k.kappa_location = ratio(n * agree - sum_products, n * sum_min - sum_products);
  k.kappa_histogram = ratio(n * sum_min - sum_products, n * n - sum_products);

  // van Vliet et al. (2011). Per initial class j (n_j cells), with o_ji and c_ji the cells that go from j to i
  // in the observed and candidate maps: p_e(T) = sum_j (sum_i o_ji c_ji) / n_j / n. Each of
  // n(1 - p_e(T)), n(p_max(T) - p_e(T)) is a sum over j of a NON-NEGATIVE integer divided by n_j, so it is
  // zero exactly when every integer numerator is - that is how undefined scores are detected without a
  // floating-point tolerance.
  double one_minus_pe = 0.0, pmax_minus_pe = 0.0, expected_agree = 0.0;
  bool one_minus_pe_zero = true, pmax_minus_pe_zero = true;
  for (const int j : classes) {
    std::int64_t n_j = 0, products = 0, minima = 0;
    for (const int i : classes) {
      const std::int64_t o = t.initial_observed.at(j, i);
      const std::int64_t c = t.initial_candidate.at(j, i);
      n_j += o;
      products += o * c;
      minima += std::min(o, c);
    }
    if (n_j == 0) continue;
    const double nj = static_cast<double>(n_j);
    one_minus_pe_zero = one_minus_pe_zero && (n_j * n_j - products == 0);
    pmax_minus_pe_zero = pmax_minus_pe_zero && (n_j * minima - products == 0);
    one_minus_pe += static_cast<double>(n_j * n_j - products) / nj;
    pmax_minus_pe += static_cast<double>(n_j * minima - products) / nj;
    expected_agree += static_cast<double>(products) / nj;
  }
  const double po_minus_pe = static_cast<double>(agree) - expected_agree;  // scaled by n like the others
  k.kappa_simulation = one_minus_pe_zero ? kNaN : po_minus_pe / one_minus_pe;
  k.kappa_transition = one_minus_pe_zero ? kNaN : pmax_minus_pe / one_minus_pe;
  k.kappa_transition_location = pmax_minus_pe_zero ? kNaN : po_minus_pe / pmax_minus_pe;
  return k;
}

Disagreement disagreement(const Table& observed_candidate, const std::vector<std::uint8_t>& classes,
                          std::int64_t n) {
  Disagreement d;
  std::int64_t quantity2 = 0, allocation2 = 0, agree = 0;  // sums of per-class cell counts, i.e. 2Q*n, 2A*n
  for (const std::uint8_t g : classes) {
    std::int64_t observed_g = 0, candidate_g = 0;
    for (const int h : classes) {
      observed_g += observed_candidate.at(g, h);
      candidate_g += observed_candidate.at(h, g);
    }
    const std::int64_t diagonal = observed_candidate.at(g, g);
    const std::int64_t q = observed_g > candidate_g ? observed_g - candidate_g : candidate_g - observed_g;
    const std::int64_t a = 2 * std::min(candidate_g - diagonal, observed_g - diagonal);
    quantity2 += q;
    allocation2 += a;
    agree += diagonal;
    d.per_class.push_back(ClassDisagreement{g, ratio(q, n), ratio(a, n)});
  }
  d.quantity = ratio(quantity2, 2 * n);
  d.allocation = ratio(allocation2, 2 * n);
  d.total = ratio(n - agree, n);
  return d;
}

void add(std::vector<MetricRow>& rows, std::string id, std::string scope, std::string label, std::string unit,
         double value, std::optional<std::uint8_t> class_code = std::nullopt) {
  rows.push_back(MetricRow{std::move(id), std::move(scope), class_code, std::move(label), std::move(unit), value});
}

}  // namespace

void append_rows(std::vector<MetricRow>& rows, const ValidationScores& s, const std::string& scope,
                 double cell_area_m2) {
  const auto area = [&](std::int64_t cells) { return static_cast<double>(cells) * cell_area_m2; };
  add(rows, "figure_of_merit", scope, "Figure of Merit", "fraction", s.fom.figure_of_merit);
  add(rows, "producers_accuracy", scope, "Producer's accuracy of change", "fraction", s.fom.producers_accuracy);
  add(rows, "users_accuracy", scope, "User's accuracy of change", "fraction", s.fom.users_accuracy);
  add(rows, "misses_area", scope, "Misses: observed change simulated as persistence", "m2", area(s.fom.misses));
  add(rows, "hits_area", scope, "Hits: observed change simulated to the observed class", "m2", area(s.fom.hits));
  add(rows, "wrong_hits_area", scope, "Wrong hits: observed change simulated to another class", "m2",
      area(s.fom.wrong_hits));
  add(rows, "false_alarms_area", scope, "False alarms: observed persistence simulated as change", "m2",
      area(s.fom.false_alarms));
  add(rows, "correct_rejections_area", scope, "Correct rejections: observed persistence simulated as persistence",
      "m2", area(s.fom.correct_rejections));
  add(rows, "fraction_correct", scope, "Fraction correct (overall agreement)", "fraction",
      s.kappa.fraction_correct);
  add(rows, "kappa", scope, "Cohen's Kappa", "fraction", s.kappa.kappa);
  add(rows, "kappa_location", scope, "Kappa location", "fraction", s.kappa.kappa_location);
  add(rows, "kappa_histogram", scope, "Kappa histogram", "fraction", s.kappa.kappa_histogram);
  add(rows, "kappa_simulation", scope, "Kappa simulation", "fraction", s.kappa.kappa_simulation);
  add(rows, "kappa_transition", scope, "Kappa transition", "fraction", s.kappa.kappa_transition);
  add(rows, "kappa_transition_location", scope, "Kappa transition location", "fraction",
      s.kappa.kappa_transition_location);
  add(rows, "quantity_disagreement", scope, "Quantity disagreement", "fraction", s.disagreement.quantity);
  add(rows, "allocation_disagreement", scope, "Allocation disagreement", "fraction", s.disagreement.allocation);
  add(rows, "total_disagreement", scope, "Total disagreement", "fraction", s.disagreement.total);
  for (const ClassDisagreement& c : s.disagreement.per_class) {
    add(rows, "class_quantity_disagreement", scope, "Quantity disagreement of the class", "fraction", c.quantity,
        c.class_code);
    add(rows, "class_allocation_disagreement", scope, "Allocation disagreement of the class", "fraction",
        c.allocation, c.class_code);
  }
}

bool ValidationResult::beats_persistence_on_total_disagreement() const noexcept {
  return model.disagreement.total < persistence.disagreement.total;  // false when either is NaN
}

bool ValidationResult::beats_persistence_on_kappa() const noexcept {
  return model.kappa.kappa > persistence.kappa.kappa;
}

bool ValidationResult::beats_persistence_on_kappa_simulation() const noexcept {
  return model.kappa.kappa_simulation > persistence.kappa.kappa_simulation;
}

std::vector<MetricRow> ValidationResult::to_rows() const {
  std::vector<MetricRow> rows;
  append_rows(rows, model, "model", cell_area_m2);
  append_rows(rows, persistence, "persistence", cell_area_m2);
  add(rows, "compared_area", "comparison", "Area with data in all three maps", "m2",
      static_cast<double>(cells_compared) * cell_area_m2);
  add(rows, "excluded_area", "comparison", "Area without data in at least one map", "m2",
      static_cast<double>(cells_excluded) * cell_area_m2);
  add(rows, "beats_persistence_total_disagreement", "comparison",
      "Model has less total disagreement than persistence", "boolean",
      beats_persistence_on_total_disagreement() ? 1.0 : 0.0);
  add(rows, "beats_persistence_kappa", "comparison", "Model has a higher Kappa than persistence", "boolean",
      beats_persistence_on_kappa() ? 1.0 : 0.0);
  add(rows, "beats_persistence_kappa_simulation", "comparison",
      "Model has a higher Kappa simulation than persistence", "boolean",
      beats_persistence_on_kappa_simulation() ? 1.0 : 0.0);
  return rows;
}

ValidationResult validate_simulation(const CategoricalMapView& initial, const CategoricalMapView& observed,
                                     const CategoricalMapView& simulated) {
  check_three_maps(initial, observed, simulated);
  if (initial.cell_count() > kMaxCells) {
    throw Error(ErrorCode::data, fmt::format("maps of {} cells are more than the {} cells validation supports",
                                             initial.cell_count(), kMaxCells),
                Context{.key = "initial"});
  }

  Table initial_observed, initial_simulated, observed_simulated;
  ValidationResult result;
  FigureOfMerit& fom = result.model.fom;
  const std::int64_t total = initial.cell_count();
  const std::uint8_t* ini = initial.cells.data();
  const std::uint8_t* obs = observed.cells.data();
  const std::uint8_t* sim = simulated.cells.data();
  for (std::int64_t k = 0; k < total; ++k) {
    const std::uint8_t a = ini[k], o = obs[k], s = sim[k];
    if (a == initial.nodata || o == observed.nodata || s == simulated.nodata) {
      ++result.cells_excluded;
      continue;
    }
    ++initial_observed.at(a, o);
    ++initial_simulated.at(a, s);
    ++observed_simulated.at(o, s);
    if (o != a) {
      if (s == a) {
        ++fom.misses;
      } else if (s == o) {
        ++fom.hits;
      } else {
        ++fom.wrong_hits;
      }
    } else if (s != a) {
      ++fom.false_alarms;
    } else {
      ++fom.correct_rejections;
    }
  }
  const std::int64_t n = total - result.cells_excluded;
  if (n == 0) {
    throw Error(ErrorCode::data, "no cell has data in all three maps (initial, observed, simulated)",
                Context{.key = "initial"});
  }
  result.cells_compared = n;
  result.cell_area_m2 = initial.cell_area_m2();

  for (int c = 0; c < kCodes; ++c) {
    bool present = false;
    for (int other = 0; other < kCodes && !present; ++other) {
      present = initial_observed.at(c, other) != 0 || initial_observed.at(other, c) != 0 ||
                initial_simulated.at(other, c) != 0;
    }
    if (present) result.classes.push_back(static_cast<std::uint8_t>(c));
  }

  // The persistence map: candidate = initial. Its tables follow from the initial x observed table.
  Table observed_initial, initial_initial;
  for (const int j : result.classes) {
    for (const int i : result.classes) {
      observed_initial.at(i, j) = initial_observed.at(j, i);
      initial_initial.at(j, j) += initial_observed.at(j, i);
    }
  }
  FigureOfMerit& null_fom = result.persistence.fom;
  null_fom.misses = fom.misses + fom.hits + fom.wrong_hits;  // every observed change is missed
  null_fom.correct_rejections = fom.correct_rejections + fom.false_alarms;

  finish_fom(fom);
  finish_fom(null_fom);
  result.model.kappa =
      kappa_scores(Tables{observed_simulated, initial_observed, initial_simulated}, result.classes, n);
  result.persistence.kappa =
      kappa_scores(Tables{observed_initial, initial_observed, initial_initial}, result.classes, n);
  result.model.disagreement = disagreement(observed_simulated, result.classes, n);
  result.persistence.disagreement = disagreement(observed_initial, result.classes, n);
  return result;
}

}  // namespace parksim::metrics
