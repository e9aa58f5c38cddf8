#include "grid/distance.hpp"

#include <cmath>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace parksim::grid {
namespace {

constexpr std::int64_t kNone = no_source_squared_distance;

// Pass 1: vertical distance (in rows) from each cell to the nearest source in its column, squared;
// kNone when the column has no source. Two sweeps, each over whole rows so memory is read in order.
Grid<std::int64_t> column_pass(const Grid<std::uint8_t>& sources) {
  const int rows = sources.rows();
  const int cols = sources.cols();
  Grid<std::int64_t> g(sources.spec(), kNone);
  // Top-down: distance to the nearest source at or above (kept as a row count, squared at the end).
  std::vector<std::int64_t> last(static_cast<std::size_t>(cols), -1);  // row of the last source seen
  for (int r = 0; r < rows; ++r) {
    const std::uint8_t* s = sources.row_data(r);
    std::int64_t* out = g.row_data(r);
    for (int c = 0; c < cols; ++c) {
      if (s[c] != 0) last[static_cast<std::size_t>(c)] = r;
      out[c] = last[static_cast<std::size_t>(c)] < 0 ? kNone : r - last[static_cast<std::size_t>(c)];
    }
  }
  // Bottom-up: the nearest source at or below may be closer.
  std::fill(last.begin(), last.end(), -1);
  for (int r = rows - 1; r >= 0; --r) {
    const std::uint8_t* s = sources.row_data(r);
    std::int64_t* out = g.row_data(r);
    for (int c = 0; c < cols; ++c) {
      if (s[c] != 0) last[static_cast<std::size_t>(c)] = r;
      if (last[static_cast<std::size_t>(c)] >= 0) {
        const std::int64_t below = last[static_cast<std::size_t>(c)] - r;
        if (out[c] == kNone || below < out[c]) out[c] = below;
      }
      if (out[c] != kNone) out[c] *= out[c];
    }
  }
  return g;
}

// Pass 2 on one row: d(q) = min_p ( f(p) + (q - p)^2 ) over sites p with finite f, by the lower envelope
// of parabolas. Intersections are rationals num/den (den > 0) compared by cross-multiplication, so the
// envelope is exact. Buffers are provided by the caller (one set per task).
struct Envelope {
  std::vector<int> site;          // v: parabola apex positions
  std::vector<std::int64_t> num;  // z[k] = num[k] / den[k]: left boundary of parabola k
  std::vector<std::int64_t> den;
  std::vector<std::int64_t> f;    // copy of the input row
};

void row_pass(std::int64_t* row, int n, Envelope& env) {
  env.f.assign(row, row + n);
  env.site.resize(static_cast<std::size_t>(n));
  env.num.resize(static_cast<std::size_t>(n) + 1);
  env.den.resize(static_cast<std::size_t>(n) + 1);
  int k = -1;  // index of the rightmost parabola in the envelope
  for (int q = 0; q < n; ++q) {
    const std::int64_t fq = env.f[static_cast<std::size_t>(q)];
    if (fq == kNone) continue;
    const std::int64_t Fq = fq + static_cast<std::int64_t>(q) * q;
    while (k >= 0) {
      const int v = env.site[static_cast<std::size_t>(k)];
      const std::int64_t Fv = env.f[static_cast<std::size_t>(v)] + static_cast<std::int64_t>(v) * v;
      // s = (Fq - Fv) / (2 (q - v)), q > v.
      const std::int64_t s_num = Fq - Fv;
      const std::int64_t s_den = 2 * static_cast<std::int64_t>(q - v);
      // Drop parabola k when s <= z[k] (it is nowhere lowest). z[0] = -infinity never drops.
      if (k > 0 && s_num * env.den[static_cast<std::size_t>(k)] <= env.num[static_cast<std::size_t>(k)] * s_den) {
        --k;
        continue;
      }
      ++k;
      env.site[static_cast<std::size_t>(k)] = q;
      env.num[static_cast<std::size_t>(k)] = s_num;
      env.den[static_cast<std::size_t>(k)] = s_den;
      break;
    }
    if (k < 0) {
      k = 0;
      env.site[0] = q;
    }
  }
  if (k < 0) return;  // no source in any column's reach: row stays kNone
  const int last = k;
  k = 0;
  for (int q = 0; q < n; ++q) {
    // Advance while z[k+1] <= q, i.e. num <= q * den.
    while (k < last && env.num[static_cast<std::size_t>(k) + 1] <=
                           static_cast<std::int64_t>(q) * env.den[static_cast<std::size_t>(k) + 1]) {
      ++k;
    }
    const int v = env.site[static_cast<std::size_t>(k)];
    const std::int64_t d = q - v;
    row[q] = env.f[static_cast<std::size_t>(v)] + d * d;
  }
}

// Pass 2 for cells of width w and height h (w != h): d(q) = min_p ( f(p) + w^2 (q - p)^2 ) with f the squared
// vertical distance in m^2, in double precision (the envelope of parabolas of the same opening, as above).
struct EnvelopeM {
  std::vector<int> site;
  std::vector<double> z;
  std::vector<double> f;
};

void row_pass_m2(double* row, int n, double w2, EnvelopeM& env) {
  env.f.assign(row, row + n);
  env.site.resize(static_cast<std::size_t>(n));
  env.z.resize(static_cast<std::size_t>(n) + 1);
  int k = -1;
  for (int q = 0; q < n; ++q) {
    const double fq = env.f[static_cast<std::size_t>(q)];
    if (std::isinf(fq)) continue;
    while (k >= 0) {
      const int v = env.site[static_cast<std::size_t>(k)];
      const double fv = env.f[static_cast<std::size_t>(v)];
      const double s = ((fq + w2 * q * static_cast<double>(q)) - (fv + w2 * v * static_cast<double>(v))) /
                       (2.0 * w2 * (q - v));
      if (k > 0 && s <= env.z[static_cast<std::size_t>(k)]) {
        --k;
        continue;
      }
      ++k;
      env.site[static_cast<std::size_t>(k)] = q;
      env.z[static_cast<std::size_t>(k)] = s;
      break;
    }
    if (k < 0) {
      k = 0;
      env.site[0] = q;
    }
  }
  if (k < 0) return;
  const int last = k;
  k = 0;
  for (int q = 0; q < n; ++q) {
    while (k < last && env.z[static_cast<std::size_t>(k) + 1] <= q) ++k;
    const int v = env.site[static_cast<std::size_t>(k)];
    const double d = q - v;
    row[q] = env.f[static_cast<std::size_t>(v)] + w2 * d * d;
  }
}

// Distance in metres on a grid of non-square cells: the column pass in rows, scaled by the cell height, then the
// row pass with the cell width.
Grid<float> distance_m_rectangular(const Grid<std::uint8_t>& sources) {
  const Grid<std::int64_t> rows2 = column_pass(sources);
  const GridSpec& spec = sources.spec();
  const double h2 = spec.cell_height() * spec.cell_height();
  const double w2 = spec.cell_width() * spec.cell_width();
  Grid<float> out(spec, 0.0f);
  const int cols = spec.cols;
  tbb::parallel_for(tbb::blocked_range<int>(0, spec.rows, 16), [&](const tbb::blocked_range<int>& range) {
    EnvelopeM env;
    std::vector<double> row(static_cast<std::size_t>(cols));
    for (int r = range.begin(); r < range.end(); ++r) {
      const std::int64_t* in = rows2.row_data(r);
      for (int c = 0; c < cols; ++c) {
        row[static_cast<std::size_t>(c)] =
            in[c] == kNone ? std::numeric_limits<double>::infinity() : static_cast<double>(in[c]) * h2;
      }
      row_pass_m2(row.data(), cols, w2, env);
      float* o = out.row_data(r);
      for (int c = 0; c < cols; ++c) o[c] = static_cast<float>(std::sqrt(row[static_cast<std::size_t>(c)]));
    }
  });
  return out;
}

}  // namespace

Grid<std::int64_t> squared_distance_cells(const Grid<std::uint8_t>& sources) {
  Grid<std::int64_t> g = column_pass(sources);
  const int cols = g.cols();
  tbb::parallel_for(tbb::blocked_range<int>(0, g.rows(), 16), [&](const tbb::blocked_range<int>& range) {
    Envelope env;
    for (int r = range.begin(); r < range.end(); ++r) row_pass(g.row_data(r), cols, env);
  });
  return g;
}

Grid<float> distance_m(const Grid<std::uint8_t>& sources) {
  if (!sources.spec().square_cells()) return distance_m_rectangular(sources);
  const Grid<std::int64_t> d2 = squared_distance_cells(sources);
  Grid<float> out(sources.spec(), 0.0f);
  const double s = sources.spec().cell_size_m;
  const std::int64_t n = d2.size();
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 1 << 16), [&](const tbb::blocked_range<std::int64_t>& range) {
    for (std::int64_t i = range.begin(); i < range.end(); ++i) {
      const std::int64_t v = d2[i];
      out[i] = v == kNone ? std::numeric_limits<float>::infinity()
                          : static_cast<float>(std::sqrt(static_cast<double>(v)) * s);
    }
  });
  return out;
}

}  // namespace parksim::grid
