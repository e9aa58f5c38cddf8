#include "metrics/null_models.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "grid/distance.hpp"
#include "grid/grid.hpp"

namespace parksim::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Distance (m) from every cell to the nearest start cell of `code`, on the start map's cell shape.
grid::Grid<float> distance_to_class(const CategoricalMapView& start, std::uint8_t code) {
  grid::GridSpec spec;
  spec.cell_size_m = start.cell_size_m;
  spec.cell_height_m = start.cell_height_m;
  spec.rows = start.rows;
  spec.cols = start.cols;
  grid::Grid<std::uint8_t> sources(spec, 0);
  const auto n = static_cast<std::size_t>(start.cell_count());
  for (std::size_t k = 0; k < n; ++k) {
    if (start.cells[k] == code) sources[static_cast<std::int64_t>(k)] = 1;
  }
  return grid::distance_m(sources);
}

struct Candidate {
  float distance;
  std::int64_t cell;
};

}  // namespace

std::vector<ClassDemand> class_gains(const CategoricalMapView& start, const CategoricalMapView& target) {
  check_map(start, "start");
  check_map(target, "target");
  require_same_shape(start, "start", target, "target");
  std::array<std::int64_t, 256> gain{};
  const auto n = static_cast<std::size_t>(start.cell_count());
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint8_t a = start.cells[k], b = target.cells[k];
    if (a == start.nodata || b == target.nodata || a == b) continue;
    ++gain[b];
  }
  std::vector<ClassDemand> out;
  for (int c = 0; c < 256; ++c) {
    if (gain[static_cast<std::size_t>(c)] > 0) {
      out.push_back(ClassDemand{static_cast<std::uint8_t>(c), gain[static_cast<std::size_t>(c)]});
    }
  }
  return out;
}

std::vector<ProximityNull> proximity_null(const CategoricalMapView& start, std::span<const ClassDemand> demand,
                                          std::span<const std::uint8_t> allowed, const ProximityParams& params) {
  check_map(start, "start");
  const auto n = static_cast<std::size_t>(start.cell_count());
  if (!allowed.empty() && allowed.size() != n) {
    throw Error(ErrorCode::data,
                fmt::format("the mask of cells allowed to change holds {} cells but the start map has {} ({} x {})",
                            allowed.size(), n, start.rows, start.cols),
                Context{.key = "allowed"});
  }
  if (params.draws < 1 || params.first_draw < 0) {
    throw Error(ErrorCode::config,
                fmt::format("draws must be >= 1 and first_draw >= 0, got {} and {}", params.draws, params.first_draw),
                Context{.key = "draws"});
  }
  std::array<bool, 256> listed{};
  std::vector<ClassDemand> order;
  for (const ClassDemand& d : demand) {
    if (d.cells < 0) {
      throw Error(ErrorCode::config, fmt::format("demand of class {} is {} cells; it must be >= 0", d.class_code, d.cells),
                  Context{.key = "demand"});
    }
    if (d.class_code == start.nodata) {
      throw Error(ErrorCode::config,
                  fmt::format("demand names class {}, which is the start map's nodata code", d.class_code),
                  Context{.key = "demand"});
    }
    if (listed[d.class_code]) {
      throw Error(ErrorCode::config, fmt::format("demand lists class {} twice", d.class_code),
                  Context{.key = "demand"});
    }
    listed[d.class_code] = true;
    if (d.cells > 0) order.push_back(d);
  }
  std::stable_sort(order.begin(), order.end(), [](const ClassDemand& a, const ClassDemand& b) {
    return a.cells != b.cells ? a.cells > b.cells : a.class_code < b.class_code;
  });

  std::vector<grid::Grid<float>> distance;
  distance.reserve(order.size());
  for (const ClassDemand& d : order) distance.push_back(distance_to_class(start, d.class_code));

  std::vector<ProximityNull> out;
  std::vector<Candidate> candidates;
  std::vector<std::int64_t> ties;
  std::vector<std::uint8_t> taken(n);
  for (int draw = params.first_draw; draw < params.first_draw + params.draws; ++draw) {
    ProximityNull result;
    result.draw = draw;
    result.cells.assign(start.cells.begin(), start.cells.end());
    std::fill(taken.begin(), taken.end(), 0);
    for (std::size_t c = 0; c < order.size(); ++c) {
      const std::uint8_t code = order[c].class_code;
      const grid::Grid<float>& dist = distance[c];
      candidates.clear();
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint8_t v = start.cells[k];
        if (v == start.nodata || v == code || taken[k] != 0 || (!allowed.empty() && allowed[k] == 0)) continue;
        candidates.push_back(Candidate{dist[static_cast<std::int64_t>(k)], static_cast<std::int64_t>(k)});
      }
      ProximityClassAllocation a;
      a.class_code = code;
      a.demand_cells = order[c].cells;
      a.candidate_cells = static_cast<std::int64_t>(candidates.size());
      const auto give = [&](std::int64_t k) {
        result.cells[static_cast<std::size_t>(k)] = code;
        taken[static_cast<std::size_t>(k)] = 1;
      };
      if (candidates.empty()) {
        a.threshold_distance_m = kNaN;
      } else if (static_cast<std::int64_t>(candidates.size()) <= a.demand_cells) {
        float farthest = 0.0f;
        for (const Candidate& x : candidates) {
          give(x.cell);
          farthest = std::max(farthest, x.distance);
        }
        a.allocated_cells = a.candidate_cells;
        a.threshold_distance_m = farthest;
        for (const Candidate& x : candidates) a.tied_cells += x.distance == farthest ? 1 : 0;
      } else {
        // The demand-th smallest distance is the threshold: everything nearer is taken, the rest is drawn among
        // the candidates at exactly that distance (gathered in ascending cell order, so the draw is reproducible).
        const auto nth = candidates.begin() + (a.demand_cells - 1);
        std::nth_element(candidates.begin(), nth, candidates.end(),
                         [](const Candidate& x, const Candidate& y) { return x.distance < y.distance; });
        const float threshold = nth->distance;
        ties.clear();
        std::int64_t given = 0;
        for (const Candidate& x : candidates) {
          if (x.distance < threshold) {
            give(x.cell);
            ++given;
          } else if (x.distance == threshold) {
            ties.push_back(x.cell);
          }
        }
        std::sort(ties.begin(), ties.end());
        const auto need = static_cast<std::size_t>(a.demand_cells - given);
        RngStream rng(params.seed, "metrics.proximity_null", static_cast<std::uint64_t>(draw) * 256 + code);
        for (std::size_t t = 0; t < need; ++t) {
          const std::size_t j = t + static_cast<std::size_t>(rng.uniform_int(ties.size() - t));
          std::swap(ties[t], ties[j]);
          give(ties[t]);
        }
        a.allocated_cells = a.demand_cells;
        a.threshold_distance_m = threshold;
        a.tied_cells = static_cast<std::int64_t>(ties.size());
      }
      result.allocations.push_back(a);
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace parksim::metrics
