#include "study/drivers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "grid/distance.hpp"
#include "grid/neighbourhood.hpp"
#include "study/filter.hpp"
#include "study/layers.hpp"
#include "study/plan_grids.hpp"

namespace parksim::study {

namespace {

constexpr int kAlways = std::numeric_limits<int>::min();

// One feature of a vector source on the grid.
struct Shape {
  grid::MultiPolygon polygons;
  std::vector<grid::LineString> lines;
  std::vector<grid::Point> points;
  int opens = kAlways;  // counts from this year
  double value = 1.0;   // category value or density weight
};

// One version of a source, prepared.
struct Version {
  int from_year = kAlways;
  bool raster = false;        // values hold a raster (kind value: the values; distance: 1 = source)
  grid::Grid<float> values;
  std::vector<Shape> shapes;  // vector sources
};

struct Prepared {
  DriverSpec spec;
  std::vector<Version> versions;  // ascending from_year
  std::vector<std::uint8_t> class_ids;  // class distance: the classes measured
  bool by_class = false;
  double cap = std::numeric_limits<double>::quiet_NaN();
  double outside = 0.0;  // category

  const Version& version_in(int year) const {
    const Version* v = &versions.front();
    for (const auto& candidate : versions) {
      if (candidate.from_year <= year) v = &candidate;
    }
    return *v;
  }
};

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

Context with_key(Context where, const std::string& key) {
  where.key = key;
  return where;
}

// Drivers are float grids: a number beyond float's range would become an infinity.
constexpr double kLargestValue = std::numeric_limits<float>::max();
bool is_driver_value(double v) { return std::isfinite(v) && std::abs(v) <= kLargestValue; }

}  // namespace

std::string_view to_string(DriverKind kind) noexcept {
  switch (kind) {
    case DriverKind::distance: return "distance";
    case DriverKind::value: return "value";
    case DriverKind::category: return "category";
    case DriverKind::density: return "density";
    case DriverKind::share: return "share";
  }
  return "value";
}

DriverKind driver_kind_from(std::string_view text, const Context& where) {
  for (const DriverKind k :
       {DriverKind::distance, DriverKind::value, DriverKind::category, DriverKind::density, DriverKind::share}) {
    if (to_string(k) == text) return k;
  }
  throw Error(ErrorCode::config,
              fmt::format("unknown driver kind \"{}\" (kinds: distance, value, category, density, share)", text), where);
}

DriverTransform driver_transform_from(std::string_view text, const Context& where) {
  if (text == "none" || text.empty()) return DriverTransform::none;
  if (text == "log1p") return DriverTransform::log1p;
  if (text == "decay") return DriverTransform::decay;
  throw Error(ErrorCode::config, fmt::format("unknown transform \"{}\" (transforms: none, log1p, decay)", text), where);
}

grid::Grid<float> distance_driver_m(const grid::Grid<std::uint8_t>& sources, double max_distance_m) {
  grid::Grid<float> d = grid::distance_m(sources);
  const float cap = static_cast<float>(max_distance_m);
  d.values() = d.values().min(cap);  // +inf (no source) becomes the cap too
  return d;
}

grid::Grid<std::uint8_t> class_mask(const grid::Grid<std::uint8_t>& classes, std::uint8_t value) {
  grid::Grid<std::uint8_t> out(classes.spec(), 0);
  for (std::int64_t i = 0; i < classes.size(); ++i) out[i] = classes[i] == value ? 1 : 0;
  return out;
}

struct DriverBuilder::Impl {
  grid::GridSpec spec;
  grid::Grid<std::uint8_t> area;
  grid::Grid<std::uint8_t> initial;
  std::vector<Prepared> drivers;

  const Prepared& find(const std::string& name) const {
    for (const auto& d : drivers) {
      if (d.spec.name == name) return d;
    }
    std::vector<std::string> names;
    for (const auto& d : drivers) names.push_back(d.spec.name);
    throw Error(ErrorCode::config,
                fmt::format("no driver '{}'; declared drivers: {}", name,
                            names.empty() ? std::string("none (declare them under [drivers.<name>])")
                                          : fmt::format("{}", fmt::join(names, ", "))),
                Context{.key = name});
  }

  std::vector<const Prepared*> select(std::span<const std::string> names) const {
    std::vector<const Prepared*> out;
    if (names.empty()) {
      for (const auto& d : drivers) out.push_back(&d);
    } else {
      for (const auto& n : names) out.push_back(&find(n));
    }
    return out;
  }

  // Vector features -> shapes, filtered, with opening years and values.
  std::vector<Shape> shapes_of(const VectorLayer& layer, const Prepared& p, bool plan_source,
                               ProblemReporter& problems) const {
    const DriverSpec& s = p.spec;
    const FeatureFilter filter = FeatureFilter::parse(s.where, with_key(s.where_declared, s.name + ".where"));
    require_fields(filter, layer.fields, with_key(s.where_declared, s.name + ".where"));
    auto require_field = [&](const std::string& field, const char* key) {
      if (!field.empty() && !layer.field_index(field)) {
        throw Error(ErrorCode::config,
                    fmt::format("{} has no field '{}' (fields: {})", layer.source, field, fmt::join(layer.fields, ", ")),
                    with_key(s.where_declared, s.name + "." + key));
      }
    };
    require_field(s.field, "field");
    if (!plan_source) require_field(s.opens_field, "opens_field");
    std::vector<Shape> out;
    for (const auto& f : layer.features) {
      if (f.geometry.is_null()) continue;
      if (!filter.matches([&](std::string_view field) { return layer.value(f, field); })) continue;
      Shape shape;
      shape.polygons = to_grid_polygons(f.geometry);
      shape.lines = to_grid_lines(f.geometry);
      shape.points = to_grid_points(f.geometry);
      const std::string opens_field = plan_source ? std::string("opens") : s.opens_field;
      if (!opens_field.empty()) {
        if (const auto text = layer.value(f, opens_field)) {
          const auto year = number(*text);
          if (!year || *year != std::floor(*year)) {
            throw Error(ErrorCode::data, fmt::format("'{}' = '{}' is not a year", opens_field, *text),
                        Context{.path = layer.source, .feature_id = f.fid, .key = opens_field});
          }
          if (!plan_source || *year != 0) shape.opens = static_cast<int>(*year);
        }
      }
      if (!s.field.empty()) {
        const auto text = layer.value(f, s.field);
        const auto v = text ? number(*text) : std::nullopt;
        if (!v || !is_driver_value(*v)) {
          problems.report(Severity::warning, "drivers.not_a_number",
                          fmt::format("driver '{}': {} = '{}' is not a number{}; the feature is left out", s.name,
                                      s.field, text.value_or(""),
                                      v ? fmt::format(" of a driver's range (up to {:g} in size)", kLargestValue) : ""),
                          Context{.path = layer.source, .feature_id = f.fid, .key = s.field});
          continue;
        }
        shape.value = *v;
      }
      out.push_back(std::move(shape));
    }
    if (out.empty()) {
      problems.report(Severity::warning, "drivers.no_feature",
                      fmt::format("driver '{}': no feature of {} matches{}", s.name, layer.source,
                                  s.where.empty() ? std::string() : " '" + s.where + "'"),
                      Context{.key = s.where_declared.key});
    }
    return out;
  }

  // NaN cells inside the study area take the mean of the valid ones.
  void fill_nodata(grid::Grid<float>& values, const Prepared& p, const std::string& source,
                   ProblemReporter& problems) const {
    double sum = 0.0;
    std::int64_t valid = 0, missing = 0;
    for (std::int64_t i = 0; i < values.size(); ++i) {
      if (area[i] == 0) continue;
      if (std::isfinite(values[i])) {
        sum += values[i];
        ++valid;
      } else {
        ++missing;
      }
    }
    if (missing == 0) return;
    if (valid == 0) {
      throw Error(ErrorCode::data, fmt::format("driver '{}' has no value inside the study area", p.spec.name),
                  Context{.path = source, .key = p.spec.name});
    }
    const float mean = static_cast<float>(sum / static_cast<double>(valid));
    for (std::int64_t i = 0; i < values.size(); ++i) {
      if (area[i] != 0 && !std::isfinite(values[i])) values[i] = mean;
    }
    problems.report(Severity::warning, "drivers.nodata",
                    fmt::format("driver '{}': {} cells of the study area have no value and take the mean {}",
                                p.spec.name, missing, mean),
                    Context{.path = source, .key = p.spec.name});
  }

  Version prepare(DriverSource src, const Prepared& p, const plan::Plan* plan, ProblemReporter& problems) const {
    const DriverSpec& s = p.spec;
    Version v;
    v.from_year = src.from_year;
    const Context where = with_key(s.where_declared, s.name);
    if (src.values.size() > 0) {
      if (!(src.values.spec() == spec)) {
        throw Error(ErrorCode::data, fmt::format("driver '{}': the given grid is not on the study's grid", s.name), where);
      }
      v.raster = true;
      v.values = std::move(src.values);
    } else if (!src.path.empty() && is_raster(src.path)) {
      if (!s.where.empty()) {
        throw Error(ErrorCode::config, fmt::format("driver '{}': 'where' filters vector features, and {} is a raster",
                                                   s.name, src.path.string()),
                    with_key(s.where_declared, s.name + ".where"));
      }
      v.raster = true;
      v.values = read_values(src.path, spec, s.kind == DriverKind::value ? "bilinear" : "near", where);
    } else if (!src.path.empty()) {
      v.shapes = shapes_of(read_vector(src.path, s.layer, spec, where, problems), p, false, problems);
    } else {
      if (plan == nullptr) {
        throw Error(ErrorCode::config,
                    fmt::format("driver '{}' reads layer '{}' of the plan dataset, and the scenario has none; give "
                                "the file as source",
                                s.name, s.layer),
                    where);
      }
      v.shapes = shapes_of(plan_layer(*plan, s.layer, with_key(s.where_declared, s.name + ".layer")), p, true, problems);
    }
    if (v.raster) {
      if (s.kind == DriverKind::category || s.kind == DriverKind::density) {
        throw Error(ErrorCode::config,
                    fmt::format("driver '{}' of kind {} needs a vector source ({}), not a raster", s.name,
                                to_string(s.kind), s.kind == DriverKind::category ? "polygons" : "points"),
                    where);
      }
      if (s.kind == DriverKind::value) fill_nodata(v.values, p, src.path.string(), problems);
    } else if (s.kind == DriverKind::value) {
      throw Error(ErrorCode::config, fmt::format("driver '{}' of kind value needs a raster source", s.name), where);
    }
    return v;
  }

  grid::Grid<float> compute(const Prepared& p, int year, const grid::Grid<std::uint8_t>& map) const {
    const DriverSpec& s = p.spec;
    grid::Grid<float> out;
    if (s.kind == DriverKind::share) {
      const grid::Grid<std::uint8_t>& m = s.every_year ? map : initial;
      std::array<bool, 256> wanted{};
      for (auto k : p.class_ids) wanted[k] = true;
      grid::Grid<std::uint8_t> mask(spec, 0);
      for (std::int64_t i = 0; i < mask.size(); ++i) mask[i] = wanted[m[i]] ? 1 : 0;
      const int half = std::clamp(static_cast<int>(std::lround(s.radius_m / std::min(spec.cell_width(), spec.cell_height()))),
                                  0, grid::max_count_window / 2);
      const int window = 2 * half + 1;
      const grid::Grid<std::uint16_t> count = grid::window_count(mask, window);
      out = grid::Grid<float>(spec, 0.0F);
      for (int r = 0; r < spec.rows; ++r) {
        for (int c = 0; c < spec.cols; ++c) {
          out(r, c) = static_cast<float>(count(r, c)) /
                      static_cast<float>(grid::window_cell_count(spec.rows, spec.cols, r, c, window));
        }
      }
    } else if (s.kind == DriverKind::distance) {
      grid::Grid<std::uint8_t> mask(spec, 0);
      if (p.by_class) {
        const grid::Grid<std::uint8_t>& m = s.every_year ? map : initial;
        std::array<bool, 256> wanted{};
        for (auto k : p.class_ids) wanted[k] = true;
        for (std::int64_t i = 0; i < mask.size(); ++i) mask[i] = wanted[m[i]] ? 1 : 0;
      } else {
        const Version& v = p.version_in(year);
        if (v.raster) {
          for (std::int64_t i = 0; i < mask.size(); ++i) mask[i] = std::isfinite(v.values[i]) && v.values[i] != 0.0F ? 1 : 0;
        } else {
          std::vector<grid::LineString> lines;
          std::vector<grid::Point> points;
          for (const auto& shape : v.shapes) {
            if (shape.opens > year) continue;
            if (!shape.polygons.empty()) grid::rasterize_polygon<std::uint8_t>(mask, shape.polygons, 1);
            lines.insert(lines.end(), shape.lines.begin(), shape.lines.end());
            points.insert(points.end(), shape.points.begin(), shape.points.end());
          }
          if (!lines.empty()) grid::rasterize_lines(mask, lines, 1);
          if (!points.empty()) grid::rasterize_points(mask, points, 1);
        }
      }
      out = grid::distance_m(mask);
    } else if (s.kind == DriverKind::value) {
      out = p.version_in(year).values;
    } else if (s.kind == DriverKind::category) {
      out = grid::Grid<float>(spec, static_cast<float>(p.outside));
      std::vector<const Shape*> order;
      for (const auto& shape : p.version_in(year).shapes) {
        if (shape.opens <= year && !shape.polygons.empty()) order.push_back(&shape);
      }
      // Burnt last wins: the smallest value last (or the largest).
      std::stable_sort(order.begin(), order.end(), [&](const Shape* a, const Shape* b) {
        return s.smallest_wins ? a->value > b->value : a->value < b->value;
      });
      for (const Shape* shape : order) {
        grid::rasterize_polygon<float>(out, shape->polygons, static_cast<float>(shape->value));
      }
    } else {
      // Quartic kernel K(d) = 3 / (pi r^2) (1 - d^2 / r^2)^2 per m2, reported per km2.
      const double r = s.radius_m;
      grid::Grid<double> sum(spec, 0.0);
      const double norm = 3.0 / (M_PI * r * r) * 1.0e6;
      const int reach_c = static_cast<int>(std::ceil(r / spec.cell_width()));
      const int reach_r = static_cast<int>(std::ceil(r / spec.cell_height()));
      for (const auto& shape : p.version_in(year).shapes) {
        if (shape.opens > year) continue;
        for (const auto& pt : shape.points) {
          const double col = (pt.x - spec.origin_x) / spec.cell_width() - 0.5;
          const double row = (spec.origin_y - pt.y) / spec.cell_height() - 0.5;
          const int c0 = std::max(0, static_cast<int>(std::floor(col)) - reach_c);
          const int c1 = std::min(spec.cols - 1, static_cast<int>(std::ceil(col)) + reach_c);
          const int r0 = std::max(0, static_cast<int>(std::floor(row)) - reach_r);
          const int r1 = std::min(spec.rows - 1, static_cast<int>(std::ceil(row)) + reach_r);
          for (int rr = r0; rr <= r1; ++rr) {
            for (int cc = c0; cc <= c1; ++cc) {
              const double dx = spec.col_centre_x(cc) - pt.x;
              const double dy = spec.row_centre_y(rr) - pt.y;
              const double u = (dx * dx + dy * dy) / (r * r);
              if (u >= 1.0) continue;
              sum(rr, cc) += shape.value * norm * (1.0 - u) * (1.0 - u);
            }
          }
        }
      }
      out = grid::Grid<float>(spec, 0.0F);
      for (std::int64_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(sum[i]);
    }
    if (!std::isnan(p.cap)) {
      const float cap = static_cast<float>(p.cap);
      out.values() = out.values().min(cap);  // +inf (no source) becomes the cap too
    }
    if (s.transform == DriverTransform::log1p) {
      for (std::int64_t i = 0; i < out.size(); ++i) out[i] = std::log1p(std::max(out[i], 0.0F));
    } else if (s.transform == DriverTransform::decay) {
      const double length = s.length_m;
      for (std::int64_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(std::exp(-out[i] / length));
    }
    // Sums (densities of heavy weights in a small radius) and huge source values can leave float's range; an
    // infinity would reach the fit, so it is an error naming the driver and a cell.
    for (std::int64_t i = 0; i < out.size(); ++i) {
      if (area[i] != 0 && !std::isfinite(out[i])) {
        const grid::Cell c = spec.cell_of_index(i);
        Context at = with_key(s.where_declared, s.name);
        at.coordinate = Coordinate{spec.col_centre_x(c.col), spec.row_centre_y(c.row)};
        throw Error(ErrorCode::data,
                    fmt::format("driver '{}' is {} at row {}, column {} in {}: its values exceed a driver's range (up "
                                "to {:g} in size); scale its source values{}",
                                s.name, out[i], c.row, c.col, year, kLargestValue,
                                s.kind == DriverKind::density ? " or weights, or widen radius_m" : " or set a cap"),
                    at);
      }
    }
    return out;
  }
};

DriverBuilder::DriverBuilder(std::vector<DriverSpec> specs, const Study& study, const plan::Plan* plan,
                             double default_cap_m, ProblemReporter& problems)
    : m_impl(std::make_unique<Impl>()) {
  Impl& impl = *m_impl;
  impl.spec = study.spec;
  impl.area = study.area;
  impl.initial = study.initial;
  std::set<std::string> seen;
  for (auto& s : specs) {
    const Context where = with_key(s.where_declared, s.name);
    if (s.name.empty()) throw Error(ErrorCode::config, "a driver needs a name", where);
    if (!seen.insert(s.name).second) {
      throw Error(ErrorCode::config, fmt::format("driver '{}' is declared twice", s.name), where);
    }
    Prepared p;
    p.spec = std::move(s);
    const DriverSpec& d = p.spec;
    const bool by_class = !d.classes.empty() || d.built_classes;
    const int sources = (by_class ? 1 : 0) + (!d.sources.empty() ? 1 : 0) + (d.sources.empty() && !d.layer.empty() ? 1 : 0);
    if (sources != 1) {
      throw Error(ErrorCode::config,
                  fmt::format("driver '{}' needs exactly one source: a file (source), a layer of the plan dataset "
                              "(layer), or classes (kind distance)",
                              d.name),
                  where);
    }
    if (d.kind == DriverKind::share && !by_class) {
      throw Error(ErrorCode::config, fmt::format("driver '{}' of kind share needs classes (or built = true)", d.name),
                  where);
    }
    if (by_class) {
      if (d.kind != DriverKind::distance && d.kind != DriverKind::share) {
        throw Error(ErrorCode::config,
                    fmt::format("driver '{}': classes are a source of distance and share drivers only", d.name), where);
      }
      p.by_class = true;
      for (const auto& c : study.classes.classes()) {
        const bool listed = std::find(d.classes.begin(), d.classes.end(), c.key) != d.classes.end();
        if (listed || (d.built_classes && c.built)) p.class_ids.push_back(static_cast<std::uint8_t>(c.id));
      }
      for (const auto& key : d.classes) {
        if (study.classes.find(key) < 0) {
          throw Error(ErrorCode::config,
                      fmt::format("driver '{}': no class '{}' (classes: {})", d.name, key,
                                  fmt::join(study.classes.keys(), ", ")),
                      with_key(d.where_declared, d.name + ".classes"));
        }
      }
    }
    if ((d.kind == DriverKind::density || d.kind == DriverKind::share) && !(d.radius_m > 0.0)) {
      throw Error(ErrorCode::config, fmt::format("driver '{}': radius_m must be > 0", d.name), where);
    }
    if (d.transform == DriverTransform::decay && !(d.length_m > 0.0)) {
      throw Error(ErrorCode::config, fmt::format("driver '{}': length_m must be > 0", d.name), where);
    }
    for (const auto& [value, key] : {std::pair{d.cap, "cap"}, std::pair{d.outside, "outside"}}) {
      if (value && !is_driver_value(*value)) {
        throw Error(ErrorCode::config,
                    fmt::format("driver '{}': {} = {} is beyond a driver's range (up to {:g} in size)", d.name, key,
                                *value, kLargestValue),
                    with_key(d.where_declared, d.name + "." + key));
      }
    }
    p.cap = d.cap ? *d.cap : (d.kind == DriverKind::distance ? default_cap_m : std::numeric_limits<double>::quiet_NaN());
    if (!by_class) {
      // The sources move into their prepared versions, so a grid given in memory is not copied again.
      std::vector<DriverSource> sorted = std::move(p.spec.sources);
      p.spec.sources.clear();
      if (sorted.empty()) sorted.push_back(DriverSource{});  // the plan layer
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const DriverSource& a, const DriverSource& b) { return a.from_year < b.from_year; });
      for (auto& src : sorted) p.versions.push_back(impl.prepare(std::move(src), p, plan, problems));
    }
    if (d.kind == DriverKind::category) {
      double largest = -std::numeric_limits<double>::infinity();
      for (const auto& v : p.versions) {
        for (const auto& shape : v.shapes) largest = std::max(largest, shape.value);
      }
      p.outside = d.outside ? *d.outside : (std::isfinite(largest) ? largest + 1.0 : 0.0);
    }
    if (p.spec.unit.empty()) {
      p.spec.unit = d.kind == DriverKind::distance ? "m"
                    : d.kind == DriverKind::density ? "1/km2"
                    : d.kind == DriverKind::share   ? "1"
                                                    : "";
    }
    impl.drivers.push_back(std::move(p));
  }
}

DriverBuilder::DriverBuilder(DriverBuilder&&) noexcept = default;
DriverBuilder& DriverBuilder::operator=(DriverBuilder&&) noexcept = default;
DriverBuilder::~DriverBuilder() = default;

std::vector<std::string> DriverBuilder::names() const {
  std::vector<std::string> out;
  for (const auto& d : m_impl->drivers) out.push_back(d.spec.name);
  return out;
}

bool DriverBuilder::has(const std::string& name) const noexcept {
  return std::any_of(m_impl->drivers.begin(), m_impl->drivers.end(),
                     [&](const Prepared& p) { return p.spec.name == name; });
}

bool DriverBuilder::depends_on_map(std::span<const std::string> names) const {
  for (const Prepared* p : m_impl->select(names)) {
    if (p->by_class && p->spec.every_year) return true;
  }
  return false;
}

std::vector<DriverLayer> DriverBuilder::build(int year, const grid::Grid<std::uint8_t>& map,
                                              std::span<const std::string> names) const {
  std::vector<DriverLayer> out;
  for (const Prepared* p : m_impl->select(names)) {
    out.push_back({p->spec.name, p->spec.unit, m_impl->compute(*p, year, map)});
  }
  return out;
}

std::vector<std::uint8_t> DriverBuilder::state(int year, std::span<const std::string> names) const {
  std::vector<std::uint8_t> out;
  for (const Prepared* p : m_impl->select(names)) {
    if (p->by_class) continue;
    std::size_t version = 0;
    for (std::size_t v = 0; v < p->versions.size(); ++v) {
      if (p->versions[v].from_year <= year) version = v;
    }
    out.push_back(static_cast<std::uint8_t>(version & 0xFF));
    out.push_back(static_cast<std::uint8_t>((version >> 8) & 0xFF));
    for (const auto& shape : p->versions[version].shapes) out.push_back(shape.opens <= year ? 1 : 0);
  }
  return out;
}

}  // namespace parksim::study
