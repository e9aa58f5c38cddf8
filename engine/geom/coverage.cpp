// Coverage check, written against geom's own public API (no GEOS here).

#include "geom/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "geom/index.hpp"
#include "geom/validity.hpp"

namespace parksim::geom {
namespace {

std::string label(const CoverageItem& item) {
  if (item.feature_key.empty()) return fmt::format("feature {}", item.feature_id);
  return fmt::format("feature {} ({})", item.feature_id, item.feature_key);
}

bool is_polygonal(const Geometry& g) {
  const GeometryType t = g.type();
  return (t == GeometryType::polygon || t == GeometryType::multi_polygon) && !g.is_empty();
}

Context located(const Context& base, const CoverageItem& item, const Geometry& region) {
  Context where = base;
  where.feature_id = item.feature_id;
  where.feature_key = item.feature_key;
  where.coordinate = point_on_surface(region).as_point();
  return where;
}

// GEOS's coverage union works on a copy of its input, so one call on every parcel of a large plan held a second copy
// of all their geometries (about 460 MB for 10^6 parcels). Unions of spatially compact groups of at most this many
// polygons, then the union of those, bound the copy to one group. The groups' unions form a coverage again: a
// coverage union keeps every vertex of the edges it keeps, so neighbouring groups still share identical edges.
constexpr std::size_t kUnionGroup = 8192;

Geometry grouped_coverage_union(std::span<const Geometry* const> polygons) {
  if (polygons.size() <= kUnionGroup) return coverage_union(polygons);
  // Groups in the order of a sort-tile-recursive packing: vertical slices by the x of the envelope centres, each
  // slice by their y.
  struct Placed {
    double x = 0.0, y = 0.0;
    const Geometry* geometry = nullptr;
  };
  std::vector<Placed> placed;
  placed.reserve(polygons.size());
  for (const Geometry* g : polygons) {
    const Envelope e = g->envelope();
    placed.push_back(e.is_empty() ? Placed{0.0, 0.0, g} : Placed{(e.min_x + e.max_x) / 2, (e.min_y + e.max_y) / 2, g});
  }
  std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) { return a.x < b.x; });
  const std::size_t groups = (placed.size() + kUnionGroup - 1) / kUnionGroup;
  const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(groups))));
  const std::size_t per_slice = (placed.size() + slices - 1) / slices;
  for (std::size_t start = 0; start < placed.size(); start += per_slice) {
    const auto end = placed.begin() + static_cast<std::ptrdiff_t>(std::min(placed.size(), start + per_slice));
    std::stable_sort(placed.begin() + static_cast<std::ptrdiff_t>(start), end,
                     [](const Placed& a, const Placed& b) { return a.y < b.y; });
  }
  std::vector<Geometry> unions;
  unions.reserve(groups);
  std::vector<const Geometry*> group;
  group.reserve(kUnionGroup);
  for (std::size_t start = 0; start < placed.size(); start += kUnionGroup) {
    group.clear();
    for (std::size_t k = start; k < std::min(placed.size(), start + kUnionGroup); ++k) group.push_back(placed[k].geometry);
    unions.push_back(coverage_union(group));
  }
  std::vector<const Geometry*> parts;
  parts.reserve(unions.size());
  for (const Geometry& u : unions) parts.push_back(&u);
  return grouped_coverage_union(parts);
}

}  // namespace

Geometry dissolve(std::span<const Geometry> polygons) {
  std::vector<const Geometry*> pointers;
  pointers.reserve(polygons.size());
  for (const Geometry& g : polygons) pointers.push_back(&g);
  return dissolve(std::span<const Geometry* const>(pointers));
}

Geometry dissolve(std::span<const Geometry* const> polygons) {
  double input_m2 = 0.0;
  for (const Geometry* g : polygons) input_m2 += area(*g);
  try {
    Geometry fast = grouped_coverage_union(polygons);
    // Overlapping input loses area in a union; rounding of a sum of many areas stays far below this tolerance.
    const double tolerance_m2 = 1e-9 * input_m2 + 1e-6;
    if (std::abs(area(fast) - input_m2) <= tolerance_m2 && is_valid_detail(fast).valid) return fast;
  } catch (const Error&) {
    // Not a coverage GEOS can dissolve by its edges: the general union below.
  }
  return unary_union(polygons);
}

CoverageSummary check_coverage(std::span<const CoverageItem> items, const CoverageOptions& options,
                               ProblemReporter& problems, const Context& base) {
  CoverageSummary summary;
  std::vector<const CoverageItem*> used;
  used.reserve(items.size());
  for (const CoverageItem& item : items) {
    if (item.geometry == nullptr || item.geometry->is_null() || !is_polygonal(*item.geometry)) continue;
    used.push_back(&item);
  }

  // Gaps: the outline of the union with its holes filled, minus the union itself, is what features
  // enclose but none covers. (Measuring the union's hole rings alone would miss features lying as islands
  // inside a hole.) Measured before the tree is built, so that the union's working memory and the tree are never
  // held at once (the peak of a large plan's load); reported after the overlaps.
  Geometry enclosed;
  {
    std::vector<const Geometry*> geometries;
    geometries.reserve(used.size());
    for (const CoverageItem* item : used) geometries.push_back(item->geometry);
    const Geometry all = dissolve(std::span<const Geometry* const>(geometries));
    std::vector<Polygon> outlines;
    for (const Polygon& part : all.polygons()) outlines.push_back(Polygon{part.exterior, {}});
    const Geometry filled = unary_union(std::vector<Geometry>{Geometry::from_polygons(outlines)});
    enclosed = polygonal_parts(difference(filled, all));
  }

  // The tree keeps its own copy of the envelopes; ours goes once it is built (GEOS caches each geometry's envelope).
  const StrTree tree = [&] {
    std::vector<Envelope> envelopes;
    envelopes.reserve(used.size());
    for (const CoverageItem* item : used) envelopes.push_back(item->geometry->envelope());
    return StrTree(envelopes);
  }();

  // Overlaps: each pair once (k < m), candidates from the tree, exact test with a prepared geometry.
  for (std::size_t k = 0; k < used.size(); ++k) {
    const PreparedGeometry prepared(*used[k]->geometry);
    const Envelope a = used[k]->geometry->envelope();
    for (std::size_t m : tree.query(a)) {
      if (m <= k) continue;
      // The overlap lies inside the intersection of the two envelopes, so when that box is no larger than
      // the tolerance (e.g. neighbours that only share an edge) the pair cannot be reported: skip the
      // expensive overlay.
      const Envelope b = used[m]->geometry->envelope();
      const double box_m2 = (std::min(a.max_x, b.max_x) - std::max(a.min_x, b.min_x)) *
                            (std::min(a.max_y, b.max_y) - std::max(a.min_y, b.min_y));
      if (box_m2 <= options.overlap_tolerance_m2 || !prepared.intersects(*used[m]->geometry)) continue;
      const Geometry overlap = polygonal_parts(intersection(*used[k]->geometry, *used[m]->geometry));
      const double overlap_m2 = area(overlap);
      if (overlap_m2 <= options.overlap_tolerance_m2) continue;
      const bool k_first = used[k]->feature_id <= used[m]->feature_id;
      const CoverageItem& first = k_first ? *used[k] : *used[m];
      const CoverageItem& second = k_first ? *used[m] : *used[k];
      problems.report(options.severity, "coverage.overlap",
                      fmt::format("{} and {} overlap by {:.2f} m2", label(first), label(second), overlap_m2),
                      located(base, first, overlap));
      ++summary.overlaps;
      summary.overlap_area_m2 += overlap_m2;
    }
  }

  for (const Polygon& gap_rings : enclosed.polygons()) {
    const Geometry gap = Geometry::from_polygons(std::vector<Polygon>{gap_rings});
    const double gap_m2 = area(gap);
    if (gap_m2 <= options.gap_tolerance_m2) continue;
    const PreparedGeometry prepared_gap(gap);
    std::vector<const CoverageItem*> around;
    for (std::size_t m : tree.query(gap.envelope())) {
      if (prepared_gap.intersects(*used[m]->geometry)) around.push_back(used[m]);
    }
    std::sort(around.begin(), around.end(),
              [](const CoverageItem* a, const CoverageItem* b) { return a->feature_id < b->feature_id; });
    std::string ids;
    constexpr std::size_t max_listed = 10;
    for (std::size_t i = 0; i < around.size() && i < max_listed; ++i) {
      ids += fmt::format("{}{}", i == 0 ? "" : ", ", around[i]->feature_id);
    }
    if (around.size() > max_listed) ids += fmt::format(" and {} more", around.size() - max_listed);
    Context where = base;
    where.coordinate = point_on_surface(gap).as_point();
    if (!around.empty()) {
      where.feature_id = around.front()->feature_id;
      where.feature_key = around.front()->feature_key;
    }
    problems.report(options.severity, "coverage.gap",
                    fmt::format("gap of {:.2f} m2 enclosed by features {}", gap_m2, ids), std::move(where));
    ++summary.gaps;
    summary.gap_area_m2 += gap_m2;
  }
  return summary;
}

}  // namespace parksim::geom
