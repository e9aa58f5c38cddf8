#include "report/layers.hpp"

#include <charconv>
#include <map>

#include <fmt/format.h>

#include "core/units.hpp"

namespace parksim::report {

namespace {

using io::FieldDef;
using io::FieldType;
using io::Value;

Value text(const std::string& s) { return Value{s}; }
Value real(double v) { return std::isfinite(v) ? Value{v} : Value{}; }
Value integer(std::int64_t v) { return Value{v}; }
// -1 years and classes mean "none": null in the tables.
Value optional_integer(int v) { return v < 0 ? Value{} : Value{static_cast<std::int64_t>(v)}; }

std::vector<std::uint8_t> wkb_of(const geom::Geometry& geometry) {
  return geometry.is_null() ? std::vector<std::uint8_t>{} : geometry.to_wkb();
}

// Every field of every layer, by name: one type, one meaning and one label per name in all layers and formats
// (GeoPackage, Shapefile, FlatGeobuf, GeoJSON, PostGIS). Names hold at most 10 bytes where they can, so the
// Shapefile's DBF names are the same names; the longer ones keep the bundled dataset's name (data_status) or the
// indicators.csv column (indicator_id) and are cut to names no other field has.
const std::map<std::string, FieldDef>& catalogue() {
  static const std::map<std::string, FieldDef> fields = [] {
    std::map<std::string, FieldDef> out;
    auto add = [&out](const char* name, FieldType type, const char* zh, const char* en, const char* unit) {
      out.emplace(name, FieldDef{name, type, zh, en, unit});
    };
    const auto S = FieldType::string, R = FieldType::real, I = FieldType::integer;
    add("parcel_id", S, "地块编号", "parcel id", "");
    add("phase", S, "期别", "phase id", "");
    add("zone", S, "分区", "zone id (empty: outside every zone)", "");
    add("zone_id", S, "分区编号", "zone id", "");
    add("landuse", S, "用地性质代码", "land-use code (plan)", "");
    add("landuse_en", S, "用地性质(英文)", "land use (plan), English", "");
    add("status", S, "开发状态", "development status", "");
    add("area_m2", R, "面积", "area", "m2");
    add("area_mu", R, "面积(亩)", "area", "mu");
    add("area_km2", R, "面积(平方公里)", "area", "km2");
    add("far", R, "容积率", "floor area ratio", "");
    add("name_zh", S, "名称", "name (Chinese)", "");
    add("name_en", S, "英文名称", "name (English)", "");
    add("focus", S, "产业方向", "industry focus", "");
    add("data_status", S, "数据状态", "data status (surveyed-osm, derived, schematic)", "");
    add("accuracy_m", R, "位置精度", "positional accuracy", "m");
    add("source", S, "来源", "source", "");
    add("licence", S, "许可", "licence", "");
    add("dev_year", I, "开发年份", "year developed (simulated, run 0)", "year");
    add("dev_share", R, "末年开发比例", "share developed at the end", "0-1");
    add("dev_prob", R, "开发概率", "probability developed at the end", "0-1");
    add("sim_class", I, "模拟类别", "simulation class (value in the land-use rasters)", "");
    add("class_key", S, "类别名", "simulation class key", "");
    add("alloc_zone", S, "配置分区", "allocated zone id", "");
    add("alloc_lu", S, "配置用地性质", "allocated land-use code", "");
    add("alloc_kept", I, "保持现状", "kept as built", "0/1");
    add("alloc_year", I, "配置开发年份", "year the allocated use is developed", "year");
    add("alloc_fit", R, "适宜性得分", "suitability of the allocated use", "0-1");
    add("gfa_m2", R, "末年建筑面积",
        "floor area (GFA) at the end: area x dev_share x far (gross; without far the scenario's net site share x "
        "plot ratio); planned capacity = area_m2 x far",
        "m2");
    add("fill_year", I, "填满年份", "year filled up (simulated, run 0)", "year");
    add("axis", S, "轴线", "corridor axis", "");
    add("tier", S, "圈层", "corridor tier", "");
    add("base_tier", S, "基地类型", "base tier", "");
    add("line", S, "线路", "line", "");
    add("opens_year", I, "开通年份", "year it opens", "year");
    add("scenario", S, "情景", "scenario", "");
    add("year", I, "年份", "year", "year");
    add("indicator_id", S, "指标编号", "indicator id", "");
    add("metric_id", S, "指标编号", "metric id", "");
    add("label_zh", S, "中文标签", "label (Chinese)", "");
    add("label_en", S, "英文标签", "label (English)", "");
    add("unit", S, "单位", "unit", "");
    add("value", R, "数值", "value", "");
    add("constraint", S, "约束", "constraint", "");
    add("kind", S, "类型", "kind of constraint", "");
    add("achieved", R, "实现值", "achieved", "");
    add("target", R, "目标值", "target", "");
    add("slack", R, "松弛量", "slack", "");
    add("shadow_price", R, "影子价格", "shadow price", "");
    add("binding", I, "是否紧约束", "binding", "0/1");
    add("model", R, "模型", "model", "");
    add("persistence", R, "持续性基准", "persistence (null model)", "");
    add("colour", S, "颜色", "colour", "#RRGGBB");
    add("built", I, "建设用地", "counts as developed land", "0/1");
    add("lu_codes", S, "用地性质代码", "land-use codes of the class", "");
    return out;
  }();
  return fields;
}

std::vector<FieldDef> fields_of(std::initializer_list<const char*> names) {
  std::vector<FieldDef> out;
  for (const char* name : names) {
    const auto it = catalogue().find(name);
    if (it == catalogue().end()) throw Error(ErrorCode::internal, fmt::format("no field '{}' in the catalogue", name));
    out.push_back(it->second);
  }
  return out;
}

const std::vector<FieldDef>& provenance_fields() {
  static const std::vector<FieldDef> fields = fields_of({"data_status", "accuracy_m", "source", "licence"});
  return fields;
}

void append_provenance(std::vector<Value>& values, const plan::Provenance& p) {
  values.push_back(text(std::string(plan::to_string(p.status))));
  values.push_back(p.accuracy_m > 0.0 ? real(p.accuracy_m) : Value{});
  values.push_back(text(p.source));
  values.push_back(text(p.licence));
}

io::Layer make_layer(const std::string& name, const io::CrsRef& crs, io::GeometryType type) {
  io::Layer layer;
  layer.name = name;
  layer.crs = crs;
  layer.geometry_type = type;
  return layer;
}

io::Layer parcels_layer(const RunResult& result, const io::CrsRef& crs) {
  io::Layer layer = make_layer("parcels", crs, io::GeometryType::multi_polygon);
  layer.fields = fields_of({"parcel_id", "phase", "zone", "landuse", "landuse_en", "status", "area_m2", "area_mu", "far",
                            "name_zh", "data_status", "accuracy_m", "source", "dev_year", "dev_share", "dev_prob",
                            "sim_class", "class_key", "alloc_zone", "alloc_lu", "alloc_kept", "alloc_year",
                            "alloc_fit", "gfa_m2"});
  const bool with_results = !result.parcels.empty();
  for (std::size_t i = 0; i < result.plan.parcels.size(); ++i) {
    const plan::Parcel& parcel = result.plan.parcels[i];
    io::Feature feature;
    feature.fid = parcel.fid;
    feature.wkb = wkb_of(parcel.geometry);
    const plan::LandUseClass* cls = result.plan.find_class(parcel.landuse);
    auto& v = feature.values;
    v = {text(parcel.id), text(parcel.phase), text(parcel.zone), text(parcel.landuse),
         text(cls != nullptr ? cls->name_en : std::string()), text(std::string(plan::to_string(parcel.status))),
         real(parcel.area_m2), real(units::m2_to_mu(parcel.area_m2)), parcel.far > 0.0 ? real(parcel.far) : Value{},
         text(parcel.name_zh), text(std::string(plan::to_string(parcel.provenance.status))),
         parcel.provenance.accuracy_m > 0.0 ? real(parcel.provenance.accuracy_m) : Value{},
         text(parcel.provenance.source)};
    if (with_results) {
      const ParcelResult& r = result.parcels[i];
      const SimClass* end_class = nullptr;
      for (const auto& sim_class : result.classes) {
        if (sim_class.id == r.sim_class_end) end_class = &sim_class;
      }
      v.push_back(optional_integer(r.developed_year));
      v.push_back(real(r.developed_share_end));
      v.push_back(real(r.development_probability));
      v.push_back(end_class != nullptr ? integer(end_class->raster_value()) : Value{});
      v.push_back(end_class != nullptr ? text(end_class->key) : Value{});
      v.push_back(r.alloc_zone.empty() ? Value{} : text(r.alloc_zone));
      v.push_back(r.alloc_landuse.empty() ? Value{} : text(r.alloc_landuse));
      v.push_back(integer(r.alloc_kept ? 1 : 0));
      v.push_back(optional_integer(r.alloc_year));
      v.push_back(r.alloc_landuse.empty() ? Value{} : real(r.alloc_score));
      v.push_back(real(r.gfa_m2));
    } else {
      v.resize(layer.fields.size());
    }
    layer.features.push_back(std::move(feature));
  }
  return layer;
}

io::Layer zones_layer(const RunResult& result, const io::CrsRef& crs) {
  io::Layer layer = make_layer("zones", crs, io::GeometryType::multi_polygon);
  layer.fields = fields_of({"zone_id", "name_zh", "name_en", "focus", "area_m2", "area_mu"});
  for (const auto& f : provenance_fields()) layer.fields.push_back(f);
  std::int64_t fid = 1;
  for (const auto& zone : result.plan.zones) {
    io::Feature feature{fid++, wkb_of(zone.geometry), {}};
    feature.values = {text(zone.id), text(zone.name_zh), text(zone.name_en), text(zone.focus), real(zone.area_m2),
                      real(units::m2_to_mu(zone.area_m2))};
    append_provenance(feature.values, zone.provenance);
    layer.features.push_back(std::move(feature));
  }
  return layer;
}

io::Layer phases_layer(const RunResult& result, const io::CrsRef& crs) {
  io::Layer layer = make_layer("phases", crs, io::GeometryType::multi_polygon);
  layer.fields = fields_of({"phase", "name_zh", "name_en", "area_m2", "area_km2", "fill_year"});
  for (const auto& f : provenance_fields()) layer.fields.push_back(f);
  std::int64_t fid = 1;
  for (const auto& phase : result.plan.phases) {
    io::Feature feature{fid++, wkb_of(phase.geometry), {}};
    const auto it = result.phase_fillup_year.find(phase.id);
    feature.values = {text(phase.id), text(phase.name_zh), text(phase.name_en), real(phase.area_m2),
                      real(units::m2_to_km2(phase.area_m2)),
                      it == result.phase_fillup_year.end() ? Value{} : optional_integer(it->second)};
    append_provenance(feature.values, phase.provenance);
    layer.features.push_back(std::move(feature));
  }
  return layer;
}

// corridor, corridor_band, bases, stations: plan::Feature with the layer's meaning of `kind`.
io::Layer features_layer(const std::string& name, const std::vector<plan::Feature>& items, const io::CrsRef& crs,
                         io::GeometryType type, const char* kind_field, bool with_opening) {
  io::Layer layer = make_layer(name, crs, type);
  layer.fields = fields_of({"name_en", "name_zh", kind_field});
  if (with_opening) layer.fields.push_back(fields_of({"opens_year"}).front());
  for (const auto& f : provenance_fields()) layer.fields.push_back(f);
  std::int64_t fid = 1;
  for (const auto& item : items) {
    io::Feature feature{item.fid >= 0 ? item.fid : fid, wkb_of(item.geometry), {}};
    ++fid;
    feature.values = {text(item.name), text(item.name_zh), text(item.kind)};
    if (with_opening) feature.values.push_back(item.opens_year > 0 ? integer(item.opens_year) : Value{});
    append_provenance(feature.values, item.provenance);
    layer.features.push_back(std::move(feature));
  }
  return layer;
}

io::Layer indicators_layer(const RunResult& result) {
  io::Layer layer = make_layer("indicators", {}, io::GeometryType::none);
  layer.fields = fields_of({"scenario", "year", "indicator_id", "label_zh", "label_en", "unit", "value"});
  std::int64_t fid = 1;
  for (const auto& row : result.indicators) {
    layer.features.push_back({fid++, {}, {text(row.scenario), row.year != 0 ? integer(row.year) : Value{},
                                          text(row.id), text(row.label_zh), text(row.label_en), text(row.unit),
                                          real(row.value)}});
  }
  return layer;
}

io::Layer constraints_layer(const AllocationSummary& allocation) {
  io::Layer layer = make_layer("allocation_constraints", {}, io::GeometryType::none);
  layer.fields = fields_of({"constraint", "kind", "unit", "achieved", "target", "slack", "shadow_price", "binding"});
  std::int64_t fid = 1;
  for (const auto& row : allocation.constraints) {
    layer.features.push_back({fid++, {}, {text(row.name), text(row.kind), text(row.unit), real(row.achieved),
                                          real(row.target), real(row.slack), real(row.shadow_price),
                                          integer(row.binding ? 1 : 0)}});
  }
  return layer;
}

io::Layer zone_areas_layer(const RunResult& result) {
  io::Layer layer = make_layer("zone_areas", {}, io::GeometryType::none);
  layer.fields = fields_of({"year", "zone", "sim_class", "class_key", "area_m2", "area_km2"});
  std::int64_t fid = 1;
  for (const auto& row : result.areas) {
    std::string key;
    int value = row.sim_class;
    for (const auto& cls : result.classes) {
      if (cls.id == row.sim_class) {
        key = cls.key;
        value = cls.raster_value();
      }
    }
    layer.features.push_back({fid++, {}, {integer(row.year), text(row.zone), integer(value), text(key),
                                          real(row.area_m2), real(units::m2_to_km2(row.area_m2))}});
  }
  return layer;
}

io::Layer classes_layer(const RunResult& result) {
  io::Layer layer = make_layer("classes", {}, io::GeometryType::none);
  layer.fields = fields_of({"sim_class", "class_key", "name_en", "name_zh", "colour", "built", "lu_codes"});
  std::int64_t fid = 1;
  for (const auto& cls : result.classes) {
    std::string codes;
    for (const auto& code : cls.landuse_codes) codes += (codes.empty() ? "" : ",") + code;
    layer.features.push_back({fid++, {}, {integer(cls.raster_value()), text(cls.key), text(cls.name_en),
                                          text(cls.name_zh), text(cls.colour), integer(cls.built ? 1 : 0),
                                          text(codes)}});
  }
  return layer;
}

io::Layer validation_layer(const RunResult& result) {
  io::Layer layer = make_layer("validation", {}, io::GeometryType::none);
  layer.fields = fields_of({"metric_id", "label_en", "unit", "model", "persistence"});
  std::int64_t fid = 1;
  for (const auto& row : result.validation) {
    layer.features.push_back(
        {fid++, {}, {text(row.id), text(row.label_en), text(row.unit), real(row.model), real(row.persistence)}});
  }
  return layer;
}

}  // namespace

io::CrsRef crs_ref(const std::string& crs) { return io::CrsRef::from_text(crs); }


std::vector<std::string> spatial_layer_names() {
  return {"parcels", "zones", "phases", "corridor", "corridor_band", "bases", "stations"};
}

std::vector<io::Layer> result_layers(const RunResult& result) {
  if (!result.parcels.empty() && result.parcels.size() != result.plan.parcels.size()) {
    throw Error(ErrorCode::internal, fmt::format("the run has results for {} parcels but the plan has {}",
                                                 result.parcels.size(), result.plan.parcels.size()));
  }
  const io::CrsRef crs = crs_ref(working_crs(result));
  std::vector<io::Layer> layers;
  layers.push_back(parcels_layer(result, crs));
  layers.push_back(zones_layer(result, crs));
  layers.push_back(phases_layer(result, crs));
  layers.push_back(features_layer("corridor", result.plan.corridor, crs, io::GeometryType::multi_line_string,
                                  "axis", false));
  layers.push_back(features_layer("corridor_band", result.plan.corridor_band, crs, io::GeometryType::multi_polygon,
                                  "tier", false));
  layers.push_back(features_layer("bases", result.plan.bases, crs, io::GeometryType::point,
                                  "base_tier", false));
  layers.push_back(features_layer("stations", result.plan.stations, crs, io::GeometryType::point,
                                  "line", true));
  layers.push_back(indicators_layer(result));
  if (result.allocation) layers.push_back(constraints_layer(*result.allocation));
  layers.push_back(zone_areas_layer(result));
  layers.push_back(classes_layer(result));
  if (!result.validation.empty()) layers.push_back(validation_layer(result));
  return layers;
}

}  // namespace parksim::report
