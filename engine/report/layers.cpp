#include "report/layers.hpp"

#include <charconv>

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

const std::vector<FieldDef>& provenance_fields() {
  static const std::vector<FieldDef> fields = {
      {"status", FieldType::string, "数据状态", "data status", ""},
      {"accuracy_m", FieldType::real, "位置精度", "positional accuracy", "m"},
      {"source", FieldType::string, "来源", "source", ""},
      {"licence", FieldType::string, "许可", "licence", ""}};
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
  layer.fields = {
      {"parcel_id", FieldType::string, "地块编号", "parcel id", ""},
      {"phase", FieldType::string, "期别", "phase", ""},
      {"zone", FieldType::string, "分区", "zone", ""},
      {"landuse", FieldType::string, "用地性质代码", "land-use code", ""},
      {"landuse_en", FieldType::string, "用地性质(英文)", "land use", ""},
      {"status", FieldType::string, "开发状态", "development status", ""},
      {"area_m2", FieldType::real, "面积", "area", "m2"},
      {"area_mu", FieldType::real, "面积(亩)", "area", "mu"},
      {"far", FieldType::real, "容积率", "floor area ratio", ""},
      {"name_zh", FieldType::string, "名称", "name (Chinese)", ""},
      {"data_status", FieldType::string, "数据状态", "data status", ""},
      {"accuracy_m", FieldType::real, "位置精度", "positional accuracy", "m"},
      {"source", FieldType::string, "来源", "source", ""},
      {"developed_year", FieldType::integer, "开发年份", "year developed (simulated)", "year"},
      {"developed_share", FieldType::real, "末年开发比例", "share developed at the end", "0-1"},
      {"dev_probability", FieldType::real, "开发概率", "probability developed at the end", "0-1"},
      {"sim_class_end", FieldType::integer, "末年模拟类别", "simulated class at the end", ""},
      {"sim_class", FieldType::string, "末年模拟类别名", "simulated class at the end (key)", ""},
      {"alloc_zone", FieldType::string, "配置分区", "allocated zone", ""},
      {"alloc_landuse", FieldType::string, "配置用地性质", "allocated land use", ""},
      {"alloc_kept", FieldType::integer, "保持现状", "kept as built", "0/1"},
      {"alloc_year", FieldType::integer, "配置开发年份", "year the allocated use is developed", "year"},
      {"alloc_score", FieldType::real, "适宜性得分", "suitability of the allocated use", "0-1"},
  };
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
      std::string class_key;
      for (const auto& sim_class : result.classes) {
        if (sim_class.id == r.sim_class_end) class_key = sim_class.key;
      }
      v.push_back(optional_integer(r.developed_year));
      v.push_back(real(r.developed_share_end));
      v.push_back(real(r.development_probability));
      v.push_back(optional_integer(r.sim_class_end));
      v.push_back(class_key.empty() ? Value{} : text(class_key));
      v.push_back(r.alloc_zone.empty() ? Value{} : text(r.alloc_zone));
      v.push_back(r.alloc_landuse.empty() ? Value{} : text(r.alloc_landuse));
      v.push_back(integer(r.alloc_kept ? 1 : 0));
      v.push_back(optional_integer(r.alloc_year));
      v.push_back(r.alloc_landuse.empty() ? Value{} : real(r.alloc_score));
    } else {
      v.resize(layer.fields.size());
    }
    layer.features.push_back(std::move(feature));
  }
  return layer;
}

io::Layer zones_layer(const RunResult& result, const io::CrsRef& crs) {
  io::Layer layer = make_layer("zones", crs, io::GeometryType::multi_polygon);
  layer.fields = {{"zone_id", FieldType::string, "分区编号", "zone id", ""},
                  {"name_zh", FieldType::string, "名称", "name (Chinese)", ""},
                  {"name_en", FieldType::string, "英文名称", "name", ""},
                  {"focus", FieldType::string, "产业方向", "industry focus", ""},
                  {"area_m2", FieldType::real, "面积", "area", "m2"},
                  {"area_mu", FieldType::real, "面积(亩)", "area", "mu"}};
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
  layer.fields = {{"phase", FieldType::string, "期别", "phase", ""},
                  {"name_zh", FieldType::string, "名称", "name (Chinese)", ""},
                  {"name_en", FieldType::string, "英文名称", "name", ""},
                  {"area_m2", FieldType::real, "面积", "area", "m2"},
                  {"area_km2", FieldType::real, "面积(平方公里)", "area", "km2"},
                  {"fillup_year", FieldType::integer, "填满年份", "year filled up (simulated, run 0)", "year"}};
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
                         io::GeometryType type, const FieldDef& kind_field, bool with_opening) {
  io::Layer layer = make_layer(name, crs, type);
  layer.fields = {{"name", FieldType::string, "名称(英文)", "name", ""},
                  {"name_zh", FieldType::string, "名称", "name (Chinese)", ""},
                  kind_field};
  if (with_opening) layer.fields.push_back({"opens_year", FieldType::integer, "开通年份", "year it opens", "year"});
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
  layer.fields = {{"scenario", FieldType::string, "情景", "scenario", ""},
                  {"year", FieldType::integer, "年份", "year", "year"},
                  {"indicator_id", FieldType::string, "指标编号", "indicator id", ""},
                  {"label_zh", FieldType::string, "指标", "indicator (Chinese)", ""},
                  {"label_en", FieldType::string, "指标(英文)", "indicator", ""},
                  {"unit", FieldType::string, "单位", "unit", ""},
                  {"value", FieldType::real, "数值", "value", ""}};
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
  layer.fields = {{"name", FieldType::string, "约束", "constraint", ""},
                  {"kind", FieldType::string, "类型", "kind", ""},
                  {"unit", FieldType::string, "单位", "unit", ""},
                  {"achieved", FieldType::real, "实现值", "achieved", ""},
                  {"target", FieldType::real, "目标值", "target", ""},
                  {"slack", FieldType::real, "松弛量", "slack", ""},
                  {"shadow_price", FieldType::real, "影子价格", "shadow price", ""},
                  {"binding", FieldType::integer, "是否紧约束", "binding", "0/1"}};
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
  layer.fields = {{"year", FieldType::integer, "年份", "year", "year"},
                  {"zone", FieldType::string, "分区", "zone (empty: outside every zone)", ""},
                  {"sim_class", FieldType::integer, "模拟类别", "simulated class", ""},
                  {"class_key", FieldType::string, "类别名", "class key", ""},
                  {"area_m2", FieldType::real, "面积", "area", "m2"},
                  {"area_km2", FieldType::real, "面积(平方公里)", "area", "km2"}};
  std::int64_t fid = 1;
  for (const auto& row : result.areas) {
    std::string key;
    for (const auto& cls : result.classes) {
      if (cls.id == row.sim_class) key = cls.key;
    }
    layer.features.push_back({fid++, {}, {integer(row.year), text(row.zone), integer(row.sim_class), text(key),
                                          real(row.area_m2), real(units::m2_to_km2(row.area_m2))}});
  }
  return layer;
}

io::Layer validation_layer(const RunResult& result) {
  io::Layer layer = make_layer("validation", {}, io::GeometryType::none);
  layer.fields = {{"metric_id", FieldType::string, "指标编号", "metric id", ""},
                  {"label_en", FieldType::string, "指标", "metric", ""},
                  {"unit", FieldType::string, "单位", "unit", ""},
                  {"model", FieldType::real, "模型", "model", ""},
                  {"persistence", FieldType::real, "持续性基准", "persistence (null model)", ""}};
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
  const io::CrsRef crs = crs_ref(result.plan.crs);
  std::vector<io::Layer> layers;
  layers.push_back(parcels_layer(result, crs));
  layers.push_back(zones_layer(result, crs));
  layers.push_back(phases_layer(result, crs));
  layers.push_back(features_layer("corridor", result.plan.corridor, crs, io::GeometryType::multi_line_string,
                                  {"axis", FieldType::string, "轴线", "axis", ""}, false));
  layers.push_back(features_layer("corridor_band", result.plan.corridor_band, crs, io::GeometryType::multi_polygon,
                                  {"tier", FieldType::string, "圈层", "tier", ""}, false));
  layers.push_back(features_layer("bases", result.plan.bases, crs, io::GeometryType::point,
                                  {"tier", FieldType::string, "基地类型", "base tier", ""}, false));
  layers.push_back(features_layer("stations", result.plan.stations, crs, io::GeometryType::point,
                                  {"line", FieldType::string, "线路", "line", ""}, true));
  layers.push_back(indicators_layer(result));
  if (result.allocation) layers.push_back(constraints_layer(*result.allocation));
  layers.push_back(zone_areas_layer(result));
  if (!result.validation.empty()) layers.push_back(validation_layer(result));
  return layers;
}

}  // namespace parksim::report
