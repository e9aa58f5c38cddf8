#include "study/plan_grids.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "core/budget.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace parksim::study {

namespace {

void extend(geom::Envelope& box, const geom::Envelope& e) {
  if (e.is_empty()) return;
  if (box.is_empty()) {
    box = e;
    return;
  }
  box.min_x = std::min(box.min_x, e.min_x);
  box.min_y = std::min(box.min_y, e.min_y);
  box.max_x = std::max(box.max_x, e.max_x);
  box.max_y = std::max(box.max_y, e.max_y);
}

// A minimal reader of the ISO/extended WKB that geom::Geometry::to_wkb writes, for the line parts only: geom
// exposes polygon coordinates but not line coordinates, and lines are all the rasteriser needs.
class WkbLines {
 public:
  explicit WkbLines(const std::vector<std::uint8_t>& bytes, std::vector<grid::Point>* points = nullptr)
      : m_bytes(bytes), m_points(points) {}
  void read(std::vector<grid::LineString>& out) {
    const bool little = byte() == 1;
    std::uint32_t type = u32(little);
    const bool ewkb_z = (type & 0x80000000u) != 0;
    const bool ewkb_m = (type & 0x40000000u) != 0;
    const bool ewkb_srid = (type & 0x20000000u) != 0;
    type &= 0x0fffffffu;
    if (ewkb_srid) u32(little);
    int dims = 2;
    if (type >= 3000) {
      dims = 4;
    } else if (type >= 1000) {
      dims = 3;
    }
    if (ewkb_z) ++dims;
    if (ewkb_m) ++dims;
    type %= 1000;
    switch (type) {
      case 1: {
        const double x = f64(little);
        const double y = f64(little);
        skip(static_cast<std::size_t>(dims - 2) * 8);
        // An empty point is written as NaN coordinates.
        if (m_points != nullptr && !std::isnan(x) && !std::isnan(y)) m_points->push_back({x, y});
        break;
      }
      case 2: out.push_back(points(little, dims)); break;
      case 3: {
        const std::uint32_t rings = u32(little);
        for (std::uint32_t r = 0; r < rings; ++r) points(little, dims);
        break;
      }
      case 4: case 5: case 6: case 7: {
        const std::uint32_t n = u32(little);
        for (std::uint32_t i = 0; i < n; ++i) read(out);
        break;
      }
      default: throw Error(ErrorCode::internal, fmt::format("WKB geometry type {} is not supported", type));
    }
  }

 private:
  void need(std::size_t n) const {
    if (m_at + n > m_bytes.size()) throw Error(ErrorCode::internal, "truncated WKB");
  }
  std::uint8_t byte() {
    need(1);
    return m_bytes[m_at++];
  }
  void skip(std::size_t n) {
    need(n);
    m_at += n;
  }
  std::uint32_t u32(bool little) {
    need(4);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t b = m_bytes[m_at + (little ? i : 3 - i)];
      v |= b << (8 * i);
    }
    m_at += 4;
    return v;
  }
  double f64(bool little) {
    need(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      const std::uint64_t b = m_bytes[m_at + (little ? i : 7 - i)];
      v |= b << (8 * i);
    }
    m_at += 8;
    double d = 0.0;
    std::memcpy(&d, &v, sizeof d);
    return d;
  }
  grid::LineString points(bool little, int dims) {
    const std::uint32_t n = u32(little);
    grid::LineString line;
    line.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      const double x = f64(little);
      const double y = f64(little);
      for (int d = 2; d < dims; ++d) f64(little);
      line.push_back({x, y});
    }
    return line;
  }
  const std::vector<std::uint8_t>& m_bytes;
  std::vector<grid::Point>* m_points;
  std::size_t m_at = 0;
};

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

grid::MultiPolygon to_grid_polygons(const geom::Geometry& geometry) {
  grid::MultiPolygon out;
  for (const geom::Polygon& p : geometry.polygons()) {
    grid::Polygon poly;
    auto ring = [](const geom::Ring& r) {
      grid::Ring g;
      g.reserve(r.size());
      for (const auto& c : r) g.push_back({c.x, c.y});
      return g;
    };
    poly.push_back(ring(p.exterior));
    for (const auto& h : p.holes) poly.push_back(ring(h));
    out.push_back(std::move(poly));
  }
  return out;
}

std::vector<grid::LineString> to_grid_lines(const geom::Geometry& geometry) {
  std::vector<grid::LineString> out;
  const auto wkb = geometry.to_wkb();
  WkbLines(wkb).read(out);
  return out;
}

std::vector<grid::Point> to_grid_points(const geom::Geometry& geometry) {
  std::vector<grid::Point> points;
  std::vector<grid::LineString> lines;
  const auto wkb = geometry.to_wkb();
  WkbLines(wkb, &points).read(lines);
  return points;
}

grid::GridSpec choose_grid(const plan::Plan& plan, const PlanGridChoice& choice) {
  geom::Envelope box;
  for (const auto& p : plan.phases) extend(box, p.geometry.envelope());
  if (plan.phases.empty()) {
    for (const auto& p : plan.parcels) extend(box, p.geometry.envelope());
  }
  if (box.is_empty()) throw Error(ErrorCode::data, "the plan has no phase or parcel geometry to place a grid on");
  double margin = choice.park_margin_m;
  if (choice.extent == "corridor") {
    for (const auto& z : plan.zones) extend(box, z.geometry.envelope());
    for (const auto& b : plan.bases) extend(box, b.geometry.envelope());
    margin = choice.corridor_margin_m;
  }
  grid::GridSpec spec = grid::GridSpec::covering(box.min_x - margin, box.min_y - margin, box.max_x + margin,
                                                 box.max_y + margin, choice.cell_size_m, plan.crs);
  if (spec.cell_count() > choice.max_cells) {
    throw Error(ErrorCode::config,
                fmt::format("a {} m grid over the {} extent has {} x {} = {} cells, more than grid.max_cells = {}; "
                            "choose a larger grid.cell_size_m",
                            choice.cell_size_m, choice.extent, spec.cols, spec.rows, spec.cell_count(),
                            choice.max_cells),
                Context{.key = "grid.cell_size_m"});
  }
  // Measured peak memory of runs of the baseline scenario at 30, 15 and 7.5 m cells (0.44 to 7.1 million cells):
  // about 110 bytes per cell for one run and 26 more for an ensemble (bench/RESULTS.md); 160 leaves a margin.
  constexpr std::uint64_t run_bytes_per_cell = 160;
  check_memory_budget(static_cast<std::uint64_t>(spec.cell_count()) * run_bytes_per_cell,
                      fmt::format("a run on the {} m grid of {} x {} cells", choice.cell_size_m, spec.cols, spec.rows),
                      "choose a larger grid.cell_size_m", Context{.key = "grid.cell_size_m"});
  return spec;
}

SpecialClasses special_classes(const plan::Plan& plan) {
  SpecialClasses out;
  for (const auto& c : plan.classes) {
    if (c.developable || c.sim_class < 0) continue;
    if (out.roads < 0 && (starts_with(c.code, "12") || starts_with(c.code, "13"))) out.roads = c.sim_class;
    if (out.green < 0 && (starts_with(c.code, "14") || starts_with(c.code, "17") || starts_with(c.code, "03"))) {
      out.green = c.sim_class;
    }
  }
  return out;
}

PlanGrids rasterize_plan(const plan::Plan& plan, const grid::GridSpec& spec, bool corridor_extent,
                         ProblemReporter& problems, const grid::Grid<std::uint8_t>* base, const ClassTable* classes) {
  if (plan.phases.size() > 254 || plan.zones.size() > 254) {
    throw Error(ErrorCode::data, "at most 254 phases and 254 zones can be simulated", Context{.layer = "zones"});
  }
  PlanGrids g;
  g.spec = spec;
  g.study = grid::Grid<std::uint8_t>(spec, 0);
  g.constraint = grid::Grid<std::uint8_t>(spec, 0);
  g.phase = grid::Grid<std::uint8_t>(spec, 255);
  g.zone = grid::Grid<std::uint8_t>(spec, static_cast<std::uint8_t>(plan.zones.size()));
  g.ftz = grid::Grid<std::uint8_t>(spec, 0);
  g.parcel = grid::Grid<std::int32_t>(spec, -1);

  // Study area: the park, the zones and (corridor extent) the corridor band inside the grid.
  if (corridor_extent) {
    for (const auto& f : plan.corridor_band) grid::rasterize_polygon<std::uint8_t>(g.study, to_grid_polygons(f.geometry), 1);
  }
  for (const auto& z : plan.zones) grid::rasterize_polygon<std::uint8_t>(g.study, to_grid_polygons(z.geometry), 1);
  for (const auto& p : plan.phases) grid::rasterize_polygon<std::uint8_t>(g.study, to_grid_polygons(p.geometry), 1);
  for (const auto& p : plan.parcels) grid::rasterize_polygon<std::uint8_t>(g.study, to_grid_polygons(p.geometry), 1);
  if (!corridor_extent) {
    // The park extent studies its whole box: the margin is the park's immediate surroundings.
    g.study.fill(1);
  }
  if (base != nullptr) {
    // A land-cover base says where there is land-use data.
    for (std::int64_t i = 0; i < g.study.size(); ++i) g.study[i] = (*base)[i] != no_class ? 1 : 0;
  }

  for (std::size_t i = 0; i < plan.phases.size(); ++i) {
    grid::rasterize_polygon<std::uint8_t>(g.phase, to_grid_polygons(plan.phases[i].geometry),
                                          static_cast<std::uint8_t>(i));
  }
  for (std::size_t i = 0; i < plan.zones.size(); ++i) {
    grid::rasterize_polygon<std::uint8_t>(g.zone, to_grid_polygons(plan.zones[i].geometry),
                                          static_cast<std::uint8_t>(i));
  }
  for (const auto& f : plan.ftz) grid::rasterize_polygon<std::uint8_t>(g.ftz, to_grid_polygons(f.geometry), 1);
  for (const auto& f : plan.constraints) {
    grid::rasterize_polygon<std::uint8_t>(g.constraint, to_grid_polygons(f.geometry), 1);
  }

  // Classes by rule where there is no parcel, then the parcels' land use.
  const SpecialClasses special = base != nullptr ? SpecialClasses{} : special_classes(plan);
  g.classes = base != nullptr ? *base : grid::Grid<std::uint8_t>(spec, 0);
  const auto code_index = classes != nullptr ? classes->code_to_index() : std::array<std::uint8_t, 256>{};
  if (special.green >= 0) {
    for (const auto& f : plan.constraints) {
      grid::rasterize_polygon<std::uint8_t>(g.classes, to_grid_polygons(f.geometry),
                                            static_cast<std::uint8_t>(special.green));
    }
  }
  if (special.roads >= 0) {
    grid::Grid<std::uint8_t> lines(spec, 0);
    std::vector<grid::LineString> all;
    for (const auto& f : plan.roads) {
      auto l = to_grid_lines(f.geometry);
      all.insert(all.end(), l.begin(), l.end());
    }
    for (const auto& f : plan.corridor) {
      auto l = to_grid_lines(f.geometry);
      all.insert(all.end(), l.begin(), l.end());
    }
    grid::rasterize_lines(lines, all, 1);
    for (std::int64_t i = 0; i < lines.size(); ++i) {
      if (lines[i] != 0) g.classes[i] = static_cast<std::uint8_t>(special.roads);
    }
  }
  for (std::size_t i = 0; i < plan.parcels.size(); ++i) {
    const auto& p = plan.parcels[i];
    const auto spans = grid::polygon_spans(spec, to_grid_polygons(p.geometry));
    grid::burn<std::int32_t>(g.parcel, spans, static_cast<std::int32_t>(i));
    const plan::LandUseClass* c = plan.find_class(p.landuse);
    int cls = c != nullptr ? c->sim_class : -1;
    if (classes != nullptr && cls >= 0 && cls <= 254) cls = code_index[static_cast<std::size_t>(cls)] == no_class ? -1 : code_index[static_cast<std::size_t>(cls)];
    if (cls < 0 || cls > 254) {
      problems.report(Severity::warning, "grid.class_unmapped",
                      fmt::format("land use '{}' has no simulation class; the parcel starts as {}", p.landuse,
                                  base != nullptr ? "the land-cover base says" : "class 0"),
                      Context{.layer = "parcels", .feature_id = p.fid, .feature_key = p.id});
      if (base != nullptr) continue;
      cls = 0;
    }
    grid::burn<std::uint8_t>(g.classes, spans, static_cast<std::uint8_t>(cls));
    if (grid::span_cell_count(spans) == 0) {
      problems.report(Severity::info, "grid.parcel_without_cells",
                      fmt::format("parcel of {:.0f} m2 holds no cell centre of the {} m grid", p.area_m2,
                                  spec.cell_size_m),
                      Context{.layer = "parcels", .feature_id = p.fid, .feature_key = p.id});
    }
  }
  for (std::int64_t i = 0; i < g.study.size(); ++i) {
    if (g.study[i] == 0) {
      g.classes[i] = 255;
      g.parcel[i] = -1;
    } else if (g.parcel[i] < 0) {
      ++g.cells_without_landuse;
    }
  }
  if (g.cells_without_landuse > 0 && base == nullptr) {
    problems.report(
        Severity::info, "grid.no_landuse_outside_parcels",
        fmt::format("{:.2f} km2 of the study area lie outside every parcel and have no land-use data: zones and "
                    "candidate land start as non-built land (green/water inside constraints, roads on road lines; "
                    "schematic), the rest is no data in a run (grid.no_landuse_data)",
                    units::m2_to_km2(static_cast<double>(g.cells_without_landuse) * spec.cell_area_m2())),
        Context{.layer = "parcels"});
  }
  return g;
}

}  // namespace parksim::study
