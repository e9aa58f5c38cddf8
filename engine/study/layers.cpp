#include "study/layers.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "geom/crs.hpp"
#include "grid/rasterize.hpp"
#include "io/raster.hpp"
#include "io/vector.hpp"
#include "study/filter.hpp"
#include "study/plan_grids.hpp"

namespace parksim::study {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> text_of(const io::Value& v) {
  if (const auto t = io::as_text(v)) return std::string(*t);
  if (const auto i = io::as_integer(v)) return std::to_string(*i);
  if (const auto r = io::as_real(v)) return fmt::format("{}", *r);
  return std::nullopt;
}

}  // namespace

std::optional<std::size_t> VectorLayer::field_index(std::string_view field) const noexcept {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i] == field) return i;
  }
  return std::nullopt;
}

std::optional<std::string> VectorLayer::value(const Item& item, std::string_view field) const {
  const auto i = field_index(field);
  if (!i || *i >= item.values.size()) return std::nullopt;
  return item.values[*i];
}

bool is_raster(const fs::path& path) {
  try {
    return io::read_raster(path).band_count > 0;
  } catch (const Error&) {
    return false;
  }
}

VectorLayer read_vector(const fs::path& path, const std::string& layer, const grid::GridSpec& spec,
                        const Context& where, ProblemReporter& problems) {
  Context at = where;
  at.path = path.string();
  std::string name = layer;
  if (name.empty()) {
    const auto layers = io::list_layers(path);
    if (layers.empty()) throw Error(ErrorCode::input, "the file has no vector layer", at);
    name = layers.front().name;
  }
  at.layer = name;
  const io::Layer source = io::read_layer(path, name);
  VectorLayer out;
  out.source = fmt::format("{}: {}", path.string(), name);
  for (const auto& f : source.fields) out.fields.push_back(f.name);
  std::optional<geom::Transformer> to_grid;
  if (source.crs.empty()) {
    problems.report(Severity::warning, "study.layer_without_crs",
                    "the layer has no CRS; it is taken to be in the grid's CRS",
                    Context{.path = path.string(), .layer = name, .key = where.key});
  } else if (!spec.crs.empty()) {
    const geom::Crs from = source.crs.epsg ? geom::Crs::from_epsg(*source.crs.epsg) : geom::Crs::from_wkt(source.crs.wkt, at);
    const geom::Crs to = geom::Crs::from_user_input(spec.crs, at);
    if (!from.is_equivalent_to(to)) to_grid.emplace(from, to);
  }
  for (const auto& f : source.features) {
    VectorLayer::Item item;
    item.fid = f.fid;
    if (!f.wkb.empty()) {
      Context feature = at;
      feature.feature_id = f.fid;
      item.geometry = geom::Geometry::from_wkb(f.wkb, feature);
      if (to_grid) item.geometry = to_grid->transform(item.geometry);
    }
    for (const auto& v : f.values) item.values.push_back(text_of(v));
    out.features.push_back(std::move(item));
  }
  return out;
}

VectorLayer plan_layer(const plan::Plan& plan, const std::string& name, const Context& where) {
  VectorLayer out;
  out.source = fmt::format("plan dataset: {}", name);
  out.fields = {"name", "name_zh", "kind", "line", "class", "tier", "opens"};
  auto add = [&](const plan::Feature& f) {
    VectorLayer::Item item;
    item.fid = f.fid;
    item.geometry = f.geometry;
    for (const auto& field : out.fields) item.values.push_back(plan_feature_value(f, field));
    out.features.push_back(std::move(item));
  };
  auto add_area = [&](const std::string& id, const std::string& name_zh, const geom::Geometry& g) {
    plan::Feature f;
    f.name = id;
    f.name_zh = name_zh;
    f.kind = id;
    f.geometry = g;
    add(f);
  };
  const std::vector<plan::Feature>* features = nullptr;
  if (name == "corridor") features = &plan.corridor;
  if (name == "corridor_band") features = &plan.corridor_band;
  if (name == "bases") features = &plan.bases;
  if (name == "stations") features = &plan.stations;
  if (name == "roads") features = &plan.roads;
  if (name == "constraints") features = &plan.constraints;
  if (name == "ftz") features = &plan.ftz;
  if (features != nullptr) {
    for (const auto& f : *features) add(f);
  } else if (name == "zones") {
    for (const auto& z : plan.zones) add_area(z.id, z.name_zh, z.geometry);
  } else if (name == "phases") {
    for (const auto& p : plan.phases) add_area(p.id, p.name_zh, p.geometry);
  } else {
    throw Error(ErrorCode::config,
                fmt::format("the plan dataset has no layer '{}' (layers: corridor, corridor_band, bases, stations, "
                            "roads, constraints, ftz, zones, phases); give a file as the source for other layers",
                            name),
                where);
  }
  return out;
}

grid::Grid<float> read_values(const fs::path& path, const grid::GridSpec& spec, const std::string& resampling,
                              const Context& where) {
  require_on_grid(path, spec, resampling, where);
  const io::RasterInfo info = io::read_raster(path, true);
  grid::Grid<float> out(spec, 0.0F);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const double v = info.values[static_cast<std::size_t>(i)];
    const bool nodata = std::isnan(v) || (info.nodata && v == *info.nodata);
    out[i] = nodata ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(v);
  }
  return out;
}

grid::Grid<std::uint8_t> read_mask(const MaskSource& source, const grid::GridSpec& spec, ProblemReporter& problems) {
  grid::Grid<std::uint8_t> out(spec, 0);
  if (is_raster(source.path)) {
    const grid::Grid<float> v = read_values(source.path, spec, "near", source.where);
    for (std::int64_t i = 0; i < out.size(); ++i) out[i] = !std::isnan(v[i]) && v[i] != 0.0F ? 1 : 0;
    return out;
  }
  const VectorLayer layer = read_vector(source.path, source.layer, spec, source.where, problems);
  for (const auto& f : layer.features) {
    if (f.geometry.is_null()) continue;
    grid::rasterize_polygon<std::uint8_t>(out, to_grid_polygons(f.geometry), 1);
  }
  return out;
}

}  // namespace parksim::study
