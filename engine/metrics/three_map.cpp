#include "metrics/three_map.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"

namespace parksim::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) noexcept {
  return denominator == 0.0 ? kNaN : numerator / denominator;
}

// The classes of the compared cells, numbered 0..C-1 in ascending code order.
struct ClassIndex {
  std::vector<std::uint8_t> codes;
  std::array<int, 256> index{};  // code -> 0..C-1, or -1
};

// The three-map table T[i][j][k] in cells, over compact class indices.
class Table {
 public:
  explicit Table(int classes)
      : m_c(classes), m_t(static_cast<std::size_t>(classes) * classes * classes, 0.0) {}
  double& at(int i, int j, int k) noexcept { return m_t[index(i, j, k)]; }
  double at(int i, int j, int k) const noexcept { return m_t[index(i, j, k)]; }
  int classes() const noexcept { return m_c; }

 private:
  std::size_t index(int i, int j, int k) const noexcept {
    return (static_cast<std::size_t>(i) * m_c + static_cast<std::size_t>(j)) * m_c + static_cast<std::size_t>(k);
  }
  int m_c;
  std::vector<double> m_t;
};

struct Compared {
  ClassIndex classes;
  std::int64_t cells = 0;
  std::int64_t excluded = 0;
};

Compared compared_cells(const CategoricalMapView& initial, const CategoricalMapView& observed,
                        const CategoricalMapView& simulated) {
  check_three_maps(initial, observed, simulated);
  std::array<bool, 256> present{};
  Compared out;
  const auto n = static_cast<std::size_t>(initial.cell_count());
  for (std::size_t k = 0; k < n; ++k) {
    if (!compared(initial, observed, simulated, k)) {
      ++out.excluded;
      continue;
    }
    present[initial.cells[k]] = true;
    present[observed.cells[k]] = true;
    present[simulated.cells[k]] = true;
  }
  out.cells = initial.cell_count() - out.excluded;
  if (out.cells == 0) {
    throw Error(ErrorCode::data, "no cell has data in all three maps (initial, observed, simulated)",
                Context{.key = "initial"});
  }
  out.classes.index.fill(-1);
  for (int c = 0; c < 256; ++c) {
    if (!present[static_cast<std::size_t>(c)]) continue;
    out.classes.index[static_cast<std::size_t>(c)] = static_cast<int>(out.classes.codes.size());
    out.classes.codes.push_back(static_cast<std::uint8_t>(c));
  }
  return out;
}

// Factor 1: the cross-tabulation (what Eq. 1-7 give for coarse cells of one cell each).
Table native_table(const CategoricalMapView& initial, const CategoricalMapView& observed,
                   const CategoricalMapView& simulated, const ClassIndex& ci) {
  Table t(static_cast<int>(ci.codes.size()));
  const auto n = static_cast<std::size_t>(initial.cell_count());
  for (std::size_t k = 0; k < n; ++k) {
    if (!compared(initial, observed, simulated, k)) continue;
    t.at(ci.index[initial.cells[k]], ci.index[observed.cells[k]], ci.index[simulated.cells[k]]) += 1.0;
  }
  return t;
}

// Adds one coarse cell's share of the table. q, r, s: cells per class (compact index) in the initial, observed
// and simulated maps; w: compared cells.
//
// The published equations are evaluated in a closed form that is algebraically identical and keeps every term a
// ratio of integers (so a term that must be 0 is exactly 0, and rounding happens once per term):
//  - with u_i = q_i - e2_i (time-1 land not persisting correctly) and g_j = e1_j - e2_j (correct change into j):
//    g_j > 0 means q_j < min(r_j, s_j), so e2_j = q_j and u_j = 0; the denominator of Eq. 3 is then
//    sum_{h != j} u_h = U, the sum of all u. Hence T_ijj = g_j u_i / U.
//  - Eq. 4: qq_i = u_i - sum_j g_j u_i / U = u_i (U - G) / U with G = sum_j g_j; and U - G = W - sum_j e1_j = L,
//    the land left unmatched (so sum_i qq_i = L).
//  - Eq. 7: rr_j ss_j = 0 for every j (one of r_j, s_j is their minimum), so sum_{l != m} rr_l ss_m =
//    (sum rr)(sum ss) = L^2 and the denominator is L^3; T_ijk = L qq_i rr_j ss_k / L^3 = u_i rr_j ss_k / (U L).
void add_coarse_cell(const std::int64_t* q, const std::int64_t* r, const std::int64_t* s, std::int64_t w,
                     std::vector<int>& present, Table& t) {
  const int classes = t.classes();
  present.clear();
  std::int64_t agree = 0, unmatched_initial = 0;  // sum_j e1_j, U
  for (int c = 0; c < classes; ++c) {
    if (q[c] == 0 && r[c] == 0 && s[c] == 0) continue;
    present.push_back(c);
    const std::int64_t e1 = std::min(r[c], s[c]);
    const std::int64_t e2 = std::min(q[c], e1);
    agree += e1;
    unmatched_initial += q[c] - e2;
    if (e2 > 0) t.at(c, c, c) += static_cast<double>(e2);  // Eq. 2
  }
  const std::int64_t left = w - agree;  // L
  if (unmatched_initial == 0) return;   // then every g_j and L are 0
  const double u_total = static_cast<double>(unmatched_initial);
  for (const int i : present) {
    const std::int64_t u = q[i] - std::min({q[i], r[i], s[i]});
    if (u == 0) continue;
    for (const int j : present) {
      const std::int64_t g = std::min(r[j], s[j]) - std::min({q[j], r[j], s[j]});
      if (g > 0) {
        assert(j != i);
        t.at(i, j, j) += static_cast<double>(g * u) / u_total;  // Eq. 3
      }
    }
    if (left == 0) continue;
    const double denominator = u_total * static_cast<double>(left);
    for (const int j : present) {
      const std::int64_t rr = r[j] - std::min(r[j], s[j]);
      if (rr == 0) continue;
      for (const int k : present) {
        const std::int64_t ss = s[k] - std::min(r[k], s[k]);
        if (ss == 0) continue;  // includes k == j, where rr_j ss_j = 0
        t.at(i, j, k) += static_cast<double>(u) * static_cast<double>(rr) * static_cast<double>(ss) / denominator;
      }
    }
  }
}

// Factor f > 1: one band of f rows at a time, the counts of every coarse cell of the band side by side.
Table coarse_table(const CategoricalMapView& initial, const CategoricalMapView& observed,
                   const CategoricalMapView& simulated, const ClassIndex& ci, int factor,
                   std::int64_t& coarse_cells) {
  const int classes = static_cast<int>(ci.codes.size());
  Table t(classes);
  const int rows = initial.rows, cols = initial.cols;
  const int blocks = cols / factor + (cols % factor != 0 ? 1 : 0);
  const std::size_t stride = static_cast<std::size_t>(classes);
  std::vector<std::int64_t> q(blocks * stride), r(blocks * stride), s(blocks * stride), w(blocks);
  std::vector<int> present;
  present.reserve(stride);
  coarse_cells = 0;
  for (int top = 0; top < rows; top += factor) {
    std::fill(q.begin(), q.end(), 0);
    std::fill(r.begin(), r.end(), 0);
    std::fill(s.begin(), s.end(), 0);
    std::fill(w.begin(), w.end(), 0);
    const int bottom = std::min(rows, top + factor);
    for (int row = top; row < bottom; ++row) {
      const std::size_t base = static_cast<std::size_t>(row) * static_cast<std::size_t>(cols);
      for (int b = 0; b < blocks; ++b) {
        const int right = std::min(cols, (b + 1) * factor);
        const std::size_t off = static_cast<std::size_t>(b) * stride;
        for (int col = b * factor; col < right; ++col) {
          const std::size_t k = base + static_cast<std::size_t>(col);
          if (!compared(initial, observed, simulated, k)) continue;
          ++q[off + static_cast<std::size_t>(ci.index[initial.cells[k]])];
          ++r[off + static_cast<std::size_t>(ci.index[observed.cells[k]])];
          ++s[off + static_cast<std::size_t>(ci.index[simulated.cells[k]])];
          ++w[static_cast<std::size_t>(b)];
        }
      }
    }
    for (int b = 0; b < blocks; ++b) {
      if (w[static_cast<std::size_t>(b)] == 0) continue;
      ++coarse_cells;
      const std::size_t off = static_cast<std::size_t>(b) * stride;
      add_coarse_cell(&q[off], &r[off], &s[off], w[static_cast<std::size_t>(b)], present, t);
    }
  }
  return t;
}

std::vector<TransitionFigureOfMerit> transitions_of(const Table& t, const ClassIndex& ci) {
  std::vector<TransitionFigureOfMerit> out;
  const int classes = t.classes();
  for (int g = 0; g < classes; ++g) {
    for (int h = 0; h < classes; ++h) {
      if (g == h) continue;
      TransitionFigureOfMerit x;
      x.from_class = ci.codes[static_cast<std::size_t>(g)];
      x.to_class = ci.codes[static_cast<std::size_t>(h)];
      x.hits = t.at(g, h, h);
      x.misses = t.at(g, h, g);
      x.false_alarms = t.at(g, g, h);
      for (int o = 0; o < classes; ++o) {
        if (o == g || o == h) continue;
        x.wrong_hits_observed += t.at(g, h, o);
        x.wrong_hits_simulated += t.at(g, o, h);
      }
      x.observed = x.hits + x.misses + x.wrong_hits_observed;
      x.simulated = x.hits + x.false_alarms + x.wrong_hits_simulated;
      if (x.observed == 0.0 && x.simulated == 0.0) continue;
      x.figure_of_merit = ratio(x.hits, x.observed + x.simulated - x.hits);
      x.producers_accuracy = ratio(x.hits, x.observed);
      x.users_accuracy = ratio(x.hits, x.simulated);
      out.push_back(x);
    }
  }
  return out;
}

ResolutionFigureOfMerit budget_of(const Table& t, const ClassIndex& ci) {
  ResolutionFigureOfMerit r;
  const int classes = t.classes();
  for (int i = 0; i < classes; ++i) {
    for (int j = 0; j < classes; ++j) {
      for (int k = 0; k < classes; ++k) {
        const double v = t.at(i, j, k);
        if (i == j) {
          (i == k ? r.correct_rejections : r.false_alarms) += v;
        } else if (k == i) {
          r.misses += v;
        } else if (k == j) {
          r.hits += v;
        } else {
          r.wrong_hits += v;
        }
      }
    }
  }
  r.figure_of_merit = ratio(r.hits, r.misses + r.hits + r.wrong_hits + r.false_alarms);
  r.producers_accuracy = ratio(r.hits, r.misses + r.hits + r.wrong_hits);
  r.users_accuracy = ratio(r.hits, r.hits + r.wrong_hits + r.false_alarms);
  r.transitions = transitions_of(t, ci);
  return r;
}

}  // namespace

const TransitionFigureOfMerit* ResolutionFigureOfMerit::find(std::uint8_t from_class,
                                                             std::uint8_t to_class) const noexcept {
  for (const TransitionFigureOfMerit& x : transitions) {
    if (x.from_class == from_class && x.to_class == to_class) return &x;
  }
  return nullptr;
}

const ResolutionFigureOfMerit* MultiResolutionFigureOfMerit::find(int factor) const noexcept {
  for (const ResolutionFigureOfMerit& r : resolutions) {
    if (r.factor == factor) return &r;
  }
  return nullptr;
}

std::vector<int> default_factors() { return {1, 2, 4, 8, 16}; }

std::vector<TransitionFigureOfMerit> transition_figures_of_merit(const CategoricalMapView& initial,
                                                                 const CategoricalMapView& observed,
                                                                 const CategoricalMapView& simulated) {
  const Compared c = compared_cells(initial, observed, simulated);
  return transitions_of(native_table(initial, observed, simulated, c.classes), c.classes);
}

MultiResolutionFigureOfMerit multi_resolution_figure_of_merit(const CategoricalMapView& initial,
                                                              const CategoricalMapView& observed,
                                                              const CategoricalMapView& simulated,
                                                              std::span<const int> factors) {
  if (factors.empty()) {
    throw Error(ErrorCode::config, "no aggregation factor given; use for example 1, 2, 4, 8, 16",
                Context{.key = "factors"});
  }
  for (const int f : factors) {
    if (f < 1) {
      throw Error(ErrorCode::config, fmt::format("aggregation factor {} is not a whole number >= 1", f),
                  Context{.key = "factors"});
    }
  }
  const Compared c = compared_cells(initial, observed, simulated);
  MultiResolutionFigureOfMerit out;
  out.cells_compared = c.cells;
  out.cells_excluded = c.excluded;
  out.classes = c.classes.codes;
  for (const int f : factors) {
    std::int64_t coarse_cells = c.cells;
    const Table t = f == 1 ? native_table(initial, observed, simulated, c.classes)
                           : coarse_table(initial, observed, simulated, c.classes, f, coarse_cells);
    ResolutionFigureOfMerit r = budget_of(t, c.classes);
    r.factor = f;
    r.coarse_cell_width_m = f * initial.cell_size_m;
    r.coarse_cell_height_m = f * initial.cell_height();
    r.coarse_cells = coarse_cells;
    out.resolutions.push_back(std::move(r));
  }
  return out;
}

}  // namespace parksim::metrics
