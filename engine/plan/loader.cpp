#include "plan/loader.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "geom/coverage.hpp"
#include "geom/crs.hpp"
#include "geom/index.hpp"
#include "geom/validity.hpp"
#include "io/vector.hpp"

namespace parksim::plan {

namespace fs = std::filesystem;

namespace {

// Everything needed to turn one source layer into our features.
struct SourceLayer {
  std::string ours;     // our layer name
  io::Layer layer;      // as read
  const LayerMapping* mapping = nullptr;
  std::optional<geom::Transformer> to_working;
  std::optional<geom::Crs> crs;          // the layer's own CRS (spatial layers)
  std::optional<geom::Envelope> plausible;  // its area of use (widened), in its own coordinates
  Context base;         // path + layer for messages

  std::string field(std::string_view logical) const {
    if (mapping) {
      const auto it = mapping->fields.find(std::string(logical));
      if (it != mapping->fields.end()) return it->second;
    }
    return std::string(logical);
  }
  bool has(std::string_view logical) const { return layer.find_field(field(logical)).has_value(); }
  std::string text(const io::Feature& f, std::string_view logical) const {
    const auto index = layer.find_field(field(logical));
    if (!index || *index >= f.values.size()) return {};
    const io::Value& v = f.values[*index];
    if (auto s = io::as_text(v)) return std::string(*s);
    if (auto i = io::as_integer(v)) return std::to_string(*i);
    if (auto d = io::as_real(v)) return fmt::format("{}", *d);
    return {};
  }
  std::optional<double> number(const io::Feature& f, std::string_view logical) const {
    const auto index = layer.find_field(field(logical));
    if (!index || *index >= f.values.size()) return std::nullopt;
    const io::Value& v = f.values[*index];
    if (auto d = io::as_real(v)) return d;
    if (auto s = io::as_text(v)) {
      try {
        std::size_t used = 0;
        const double d = std::stod(std::string(*s), &used);
        if (used == s->size()) return d;
      } catch (const std::exception&) {
      }
    }
    return std::nullopt;
  }
  void require(std::string_view logical) const {
    if (!has(logical)) {
      Context where = base;
      where.key = field(logical);
      throw Error(ErrorCode::data,
                  fmt::format("required field '{}' is missing (map it with [layers.{}.fields] in the mapping file)",
                              field(logical), ours),
                  where);
    }
  }
  Context at(const io::Feature& f, std::string key = {}) const {
    Context where = base;
    where.feature_id = f.fid;
    where.feature_key = std::move(key);
    return where;
  }
};

geom::Crs crs_of(const io::CrsRef& ref, const FieldMapping& mapping, const Context& where, ProblemReporter& problems) {
  if (ref.epsg) return geom::Crs::from_epsg(*ref.epsg);
  if (!ref.wkt.empty()) return geom::Crs::from_wkt(ref.wkt, where);
  if (mapping.assume_crs.empty()) {
    throw Error(ErrorCode::crs,
                "the layer has no coordinate reference system; state it (e.g. assume_crs = \"EPSG:4548\" in the "
                "mapping file, or --crs) — parksim never guesses a CRS",
                where);
  }
  problems.report(Severity::warning, "plan.crs_assumed",
                  fmt::format("no CRS in the data; {} assumed as stated by the user", mapping.assume_crs), where);
  return geom::Crs::from_user_input(mapping.assume_crs, where);
}

Provenance provenance_of(const SourceLayer& src, const io::Feature& f, std::string_view status_field) {
  Provenance p;
  p.status = data_status_from(src.text(f, status_field));
  p.accuracy_m = src.number(f, "accuracy_m").value_or(0.0);
  p.source = src.text(f, "source");
  p.licence = src.text(f, "licence");
  return p;
}

enum class Family { polygonal, lineal, puntal, any };

bool in_family(geom::GeometryType type, Family family) {
  using T = geom::GeometryType;
  switch (family) {
    case Family::polygonal: return type == T::polygon || type == T::multi_polygon;
    case Family::lineal: return type == T::line_string || type == T::multi_line_string || type == T::linear_ring;
    case Family::puntal: return type == T::point || type == T::multi_point;
    case Family::any: return true;
  }
  return false;
}

// The source of phases that load_plan makes from the parcels when the dataset has no phases layer.
constexpr const char* kPhaseFromParcels = "union of the parcels of the phase";

// Beyond this magnitude a coordinate is no place on Earth in any CRS (metres, feet or degrees).
constexpr double kMaxCoordinate = 1e9;
// The area of use of a CRS is where its authority vouches for it; data a little beyond it (a projection zone's
// neighbour strip) is still fine, data elsewhere means the layer's CRS is wrong.
constexpr double kAreaOfUseMarginDeg = 1.0;

// Throws when the source geometry cannot lie in its layer's CRS: Error(geometry) for a coordinate that is not finite
// or beyond any CRS's range, Error(crs) for one outside the CRS's area of use - naming the layer, feature and
// coordinate, and saying so when the values look like longitude/latitude in a projected layer.
void check_plausible(const SourceLayer& src, const geom::Geometry& g, const Context& where) {
  const geom::Envelope e = g.envelope();
  if (e.is_empty()) return;
  Context at = where;
  for (const Coordinate c : {Coordinate{e.min_x, e.min_y}, Coordinate{e.max_x, e.max_y}}) {
    if (!std::isfinite(c.x) || !std::isfinite(c.y) || std::abs(c.x) > kMaxCoordinate ||
        std::abs(c.y) > kMaxCoordinate) {
      at.coordinate = Coordinate{c.x, c.y};
      throw Error(ErrorCode::geometry,
                  fmt::format("coordinate ({:g}, {:g}) is out of range for any coordinate reference system (beyond "
                              "{:g}); fix or remove the feature",
                              c.x, c.y, kMaxCoordinate),
                  at);
    }
  }
  if (!src.plausible || !src.crs) return;
  const geom::Envelope& box = *src.plausible;
  const bool inside = e.min_x >= box.min_x && e.max_x <= box.max_x && e.min_y >= box.min_y && e.max_y <= box.max_y;
  if (inside) return;
  const double x = e.min_x < box.min_x ? e.min_x : e.max_x > box.max_x ? e.max_x : e.min_x;
  const double y = e.min_y < box.min_y ? e.min_y : e.max_y > box.max_y ? e.max_y : e.min_y;
  at.coordinate = Coordinate{x, y};
  const geom::Crs& crs = *src.crs;
  const auto& area = *crs.area_of_use_deg();
  const bool looks_geographic = crs.is_projected() && std::abs(e.min_x) <= 180.0 && std::abs(e.max_x) <= 180.0 &&
                                std::abs(e.min_y) <= 90.0 && std::abs(e.max_y) <= 90.0;
  const std::string crs_name = crs.epsg() ? fmt::format("EPSG:{} ({})", *crs.epsg(), crs.name()) : crs.name();
  throw Error(ErrorCode::crs,
              fmt::format("coordinate ({:.6g}, {:.6g}) lies outside the area of use of the layer's CRS {}: {:.2f} to "
                          "{:.2f} E, {:.2f} to {:.2f} N{} (allowing {:g} degree around it). {}",
                          x, y, crs_name, area.min_x, area.max_x, area.min_y, area.max_y,
                          crs.area_of_use_name().empty() ? "" : fmt::format(" ({})", crs.area_of_use_name()),
                          kAreaOfUseMarginDeg,
                          looks_geographic
                              ? "The values look like longitude/latitude: label the layer with its real CRS (e.g. "
                                "ogr2ogr -a_srs EPSG:4490 FIXED.gpkg IN for CGCS2000 longitude/latitude) or "
                                "reproject it"
                              : "Is the layer's CRS right? Label the layer with its real CRS (ogr2ogr -a_srs) or "
                                "reproject it"),
              at);
}

// WKB -> working-CRS geometry, validated and repaired; nullopt (with an error Problem) when unusable.
std::optional<geom::Geometry> geometry_of(const SourceLayer& src, const io::Feature& f, const std::string& key,
                                          Family family, ProblemReporter& problems, const LoadOptions& options) {
  const Context where = src.at(f, key);
  if (f.wkb.empty()) {
    problems.report(Severity::error, "geometry.missing", "feature has no geometry; left out", where);
    return std::nullopt;
  }
  geom::Geometry g;
  try {
    g = geom::Geometry::from_wkb(f.wkb, where);
    check_plausible(src, g, where);
    if (src.to_working) g = src.to_working->transform(g);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::crs || e.code() == ErrorCode::geometry) throw;
    problems.report(Severity::error, "geometry.unreadable", fmt::format("{}; left out", e.message()), where);
    return std::nullopt;
  }
  if (g.is_empty()) {
    problems.report(Severity::error, "geometry.missing", "feature has an empty geometry; left out", where);
    return std::nullopt;
  }
  if (!in_family(g.type(), family)) {
    problems.report(Severity::error, "geometry.wrong_type",
                    fmt::format("{} in a layer of {}; left out", geom::to_string(g.type()),
                                family == Family::polygonal ? "polygons" : family == Family::lineal ? "lines" : "points"),
                    where);
    return std::nullopt;
  }
  const geom::ValidityReport validity = geom::is_valid_detail(g);
  if (validity.valid) return g;
  geom::RepairResult repaired = geom::repair(g, options.max_repair_area_change);
  Context located = where;
  located.coordinate = validity.location;
  if (repaired.status == geom::RepairStatus::rejected) {
    problems.report(Severity::error, "geometry.repair_rejected",
                    fmt::format("invalid geometry ({}); repairing it would change its area from {:.1f} to {:.1f} m2 "
                                "({:.4f} %), more than allowed; left out",
                                validity.reason, repaired.area_before, repaired.area_after,
                                100.0 * repaired.area_change_fraction),
                    located);
    return std::nullopt;
  }
  problems.report(Severity::warning, "geometry.repaired",
                  fmt::format("invalid geometry ({}) repaired; area {:.1f} m2 before, {:.1f} m2 after",
                              validity.reason, repaired.area_before, repaired.area_after),
                  located);
  return std::move(repaired.geometry);
}

LayerSummary summarise(const std::string& name, const std::vector<Provenance>& provenance) {
  LayerSummary s{name, provenance.size(), 0, 0};
  for (const auto& p : provenance) {
    if (p.status == DataStatus::schematic) ++s.schematic;
    if (p.status == DataStatus::surveyed_osm) ++s.surveyed;
  }
  return s;
}

class Reader {
 public:
  Reader(const fs::path& dataset, const FieldMapping& mapping, ProblemReporter& problems, const LoadOptions& options)
      : m_dataset(dataset), m_mapping(mapping), m_problems(problems), m_options(options),
        m_working(geom::Crs::from_user_input(mapping.working_crs, Context{.key = "working_crs"})),
        m_source(dataset) {
    if (!m_working.is_projected()) {
      throw Error(ErrorCode::crs,
                  fmt::format("the working CRS must be projected (areas in m2), got {}", m_working.name()),
                  Context{.key = "working_crs"});
    }
    for (const auto& info : m_source.layers(true)) m_available.insert(info.name);
    if (!mapping.reference_dataset.empty()) {
      m_reference_source.emplace(mapping.reference_dataset);
      for (const auto& info : m_reference_source->layers(true)) m_reference.insert(info.name);
    }
  }

  const geom::Crs& working() const { return m_working; }

  // Reads our layer `ours` if the source (or, for reference tables, the reference dataset) has it.
  std::optional<SourceLayer> read(const std::string& ours, bool spatial, bool from_reference = false) {
    return read_each(ours, spatial, from_reference, nullptr, nullptr);
  }

  // As read(), but hands each feature to `each` as it is read instead of keeping it in SourceLayer::layer; `start`
  // sees the layer (fields, CRS) and its feature count (-1 when unknown) first. Both null: the features are kept.
  std::optional<SourceLayer> read_each(const std::string& ours, bool spatial, bool from_reference,
                                       const std::function<void(const SourceLayer&, std::int64_t)>& start,
                                       const std::function<void(const SourceLayer&, io::Feature&&)>& each) {
    const auto it = m_mapping.layers.find(ours);
    const LayerMapping* lm = it != m_mapping.layers.end() ? &it->second : nullptr;
    const std::string name = lm && !lm->layer.empty() ? lm->layer : ours;
    const io::VectorDataset* source = &m_source;
    if (!m_available.count(name)) {
      if (from_reference && m_reference.count(name)) {
        source = &*m_reference_source;
      } else if (lm && !lm->layer.empty()) {
        // The user named this layer: its absence is a mistake to report, not an optional layer to skip.
        std::string available;
        for (const auto& a : m_available) available += (available.empty() ? "" : ", ") + a;
        throw Error(ErrorCode::data,
                    fmt::format("the mapping file names layer '{}' for {}, but the dataset has no such layer (it has: "
                                "{}); correct [layers.{}] layer = \"...\"",
                                name, ours, available, ours),
                    Context{.path = m_dataset.string(), .layer = name, .key = "layers." + ours + ".layer"});
      } else {
        return std::nullopt;
      }
    }
    const fs::path path = source->path();
    io::ReadOptions read_options;
    read_options.source_encoding = m_mapping.source_encoding;
    SourceLayer src;
    src.ours = ours;
    src.mapping = lm;
    src.base = Context{.path = path.string(), .layer = name};
    auto prepare = [&](const io::Layer& header) {
      src.layer = header;
      if (spatial) {
        const geom::Crs crs = crs_of(src.layer.crs, m_mapping, src.base, m_problems);
        if (!crs.is_equivalent_to(m_working)) src.to_working.emplace(crs, m_working);
        src.plausible = geom::area_of_use_bounds(crs, kAreaOfUseMarginDeg);
        src.crs = crs;
      }
    };
    if (!each) {
      prepare(source->read(name, read_options));
      return src;
    }
    source->read_each(
        name, read_options,
        [&](const io::Layer& header, std::int64_t count) {
          prepare(header);
          if (start) start(src, count);
        },
        [&](io::Feature&& f) { each(src, std::move(f)); });
    return src;
  }

  std::optional<geom::Geometry> geometry(const SourceLayer& src, const io::Feature& f, const std::string& key,
                                         Family family) {
    return geometry_of(src, f, key, family, m_problems, m_options);
  }

  ProblemReporter& problems() { return m_problems; }

 private:
  fs::path m_dataset;
  const FieldMapping& m_mapping;
  ProblemReporter& m_problems;
  const LoadOptions& m_options;
  geom::Crs m_working;
  io::VectorDataset m_source;                           // opened once: GeoJSON is parsed at opening
  std::optional<io::VectorDataset> m_reference_source;  // mapping.reference_dataset
  std::set<std::string> m_available;
  std::set<std::string> m_reference;
};

std::vector<Feature> read_features(Reader& reader, const std::string& ours, Family family, std::string_view name_field,
                                   std::string_view kind_field, std::vector<LayerSummary>& summaries) {
  std::vector<Feature> out;
  auto src = reader.read(ours, true);
  if (!src) return out;
  std::vector<Provenance> provenance;
  for (const auto& f : src->layer.features) {
    Feature feature;
    feature.fid = f.fid;
    feature.name = src->text(f, name_field);
    feature.name_zh = src->text(f, "name_zh");
    feature.kind = src->text(f, kind_field);
    feature.opens_year = static_cast<int>(src->number(f, "opens").value_or(0.0));
    feature.provenance = provenance_of(*src, f, "status");
    auto g = reader.geometry(*src, f, feature.name, family);
    if (!g) continue;
    feature.geometry = std::move(*g);
    provenance.push_back(feature.provenance);
    out.push_back(std::move(feature));
  }
  summaries.push_back(summarise(ours, provenance));
  return out;
}

void read_parcels(Reader& reader, Plan& plan, const FieldMapping& mapping) {
  bool has_status = false;
  std::string quality_field;
  std::vector<Provenance> provenance;
  auto start = [&](const SourceLayer& src, std::int64_t count) {
    src.require("parcel_id");
    src.require("phase");
    src.require("landuse");
    has_status = src.has("status");
    // The bundled data keeps the data-quality flag of parcels in `data_status` (`status` is the development status).
    quality_field = src.has("data_status") ? "data_status" : "quality";
    if (count > 0) {
      plan.parcels.reserve(static_cast<std::size_t>(count));
      provenance.reserve(static_cast<std::size_t>(count));
    }
  };
  // Each feature becomes a parcel as it is read, so a large layer is never held both as features and as parcels.
  auto each = [&](const SourceLayer& src, io::Feature&& f) {
    Parcel p;
    p.fid = f.fid;
    p.id = src.text(f, "parcel_id");
    p.phase = src.text(f, "phase");
    p.zone = src.text(f, "zone");
    p.landuse = src.text(f, "landuse");
    p.far = src.number(f, "far").value_or(0.0);
    p.name_zh = src.text(f, "name_zh");
    p.provenance = provenance_of(src, f, quality_field);
    if (has_status) {
      std::string raw = src.text(f, "status");
      if (auto mapped = mapping.status_values.find(raw); mapped != mapping.status_values.end()) raw = mapped->second;
      if (auto s = development_status_from(raw)) {
        p.status = *s;
      } else {
        reader.problems().report(Severity::warning, "parcel.status_unknown",
                                 fmt::format("development status '{}' is not built / under construction / vacant / "
                                             "planned; taken as planned (map it with [status_values])",
                                             raw),
                                 src.at(f, p.id));
      }
    }
    auto g = reader.geometry(src, f, p.id, Family::polygonal);
    if (!g) return;
    p.geometry = std::move(*g);
    p.area_m2 = geom::area(p.geometry);
    provenance.push_back(p.provenance);
    plan.parcels.push_back(std::move(p));
  };
  if (!reader.read_each("parcels", true, false, start, each)) {
    throw Error(ErrorCode::data,
                "no parcels layer (name it in the mapping file: [layers.parcels] layer = \"...\")",
                Context{.path = plan.source, .layer = "parcels"});
  }
  plan.layers.push_back(summarise("parcels", provenance));
}

void read_phases(Reader& reader, Plan& plan) {
  if (auto src = reader.read("phases", true)) {
    src->require("phase");
    std::vector<Provenance> provenance;
    for (const auto& f : src->layer.features) {
      Phase ph;
      ph.id = src->text(f, "phase");
      ph.name_zh = src->text(f, "name_zh");
      ph.name_en = src->text(f, "name_en");
      ph.provenance = provenance_of(*src, f, "status");
      auto g = reader.geometry(*src, f, ph.id, Family::polygonal);
      if (!g) continue;
      ph.geometry = std::move(*g);
      ph.area_m2 = geom::area(ph.geometry);
      provenance.push_back(ph.provenance);
      plan.phases.push_back(std::move(ph));
    }
    plan.layers.push_back(summarise("phases", provenance));
    return;
  }
  // No phases layer: each phase is the union of its parcels.
  std::map<std::string, std::vector<const geom::Geometry*>> by_phase;
  for (const auto& p : plan.parcels) by_phase[p.phase].push_back(&p.geometry);
  for (auto& [id, geometries] : by_phase) {
    Phase ph;
    ph.id = id;
    ph.name_en = "phase " + id;
    ph.provenance.status = DataStatus::derived;
    ph.provenance.source = kPhaseFromParcels;
    ph.geometry = geom::polygonal_parts(geom::dissolve(std::span<const geom::Geometry* const>(geometries)));
    ph.area_m2 = geom::area(ph.geometry);
    plan.phases.push_back(std::move(ph));
  }
}

void read_zones(Reader& reader, Plan& plan) {
  auto src = reader.read("zones", true);
  if (!src) return;
  src->require("zone_id");
  std::vector<Provenance> provenance;
  for (const auto& f : src->layer.features) {
    Zone z;
    z.id = src->text(f, "zone_id");
    z.name_zh = src->text(f, "name_zh");
    z.name_en = src->text(f, "name_en");
    z.focus = src->text(f, "focus");
    z.provenance = provenance_of(*src, f, "status");
    auto g = reader.geometry(*src, f, z.id, Family::polygonal);
    if (!g) continue;
    z.geometry = std::move(*g);
    z.area_m2 = geom::area(z.geometry);
    provenance.push_back(z.provenance);
    plan.zones.push_back(std::move(z));
  }
  plan.layers.push_back(summarise("zones", provenance));
}

bool truthy(const std::string& text) {
  return text == "1" || text == "true" || text == "yes" || text == "TRUE" || text == "True";
}

void read_tables(Reader& reader, Plan& plan) {
  if (auto src = reader.read("landuse_classes", false, true)) {
    src->require("code");
    for (const auto& f : src->layer.features) {
      LandUseClass c;
      c.code = src->text(f, "code");
      c.name_zh = src->text(f, "name_zh");
      c.name_en = src->text(f, "name_en");
      c.colour = src->text(f, "colour");
      c.health_industry = truthy(src->text(f, "health_industry"));
      c.developable = !src->has("developable") || truthy(src->text(f, "developable"));
      c.sim_class = static_cast<int>(src->number(f, "sim_class").value_or(-1.0));
      plan.classes.push_back(std::move(c));
    }
  }
  if (auto src = reader.read("plan_targets", false, true)) {
    src->require("target_id");
    src->require("value");
    for (const auto& f : src->layer.features) {
      Target t;
      t.id = src->text(f, "target_id");
      t.label_zh = src->text(f, "label_zh");
      t.label_en = src->text(f, "label_en");
      t.value = src->number(f, "value").value_or(0.0);
      t.unit = src->text(f, "unit");
      t.source = src->text(f, "source");
      plan.targets.push_back(std::move(t));
    }
  }
}

}  // namespace

Plan load_plan(const fs::path& dataset, const FieldMapping& mapping, ProblemReporter& problems,
               const LoadOptions& options, const Progress& progress) {
  Plan plan;
  plan.source = dataset.string();
  {
    // The dataset is closed (GDAL's and SQLite's caches freed) before the validation, the peak of a large plan.
    Reader reader(dataset, mapping, problems, options);
    plan.crs =
        reader.working().epsg() ? fmt::format("EPSG:{}", *reader.working().epsg()) : reader.working().definition();
    progress.check(0.0, "reading parcels");
    read_parcels(reader, plan, mapping);
    progress.check(0.4, "reading phases and zones");
    read_phases(reader, plan);
    read_zones(reader, plan);
    progress.check(0.5, "reading corridor, stations and constraints");
    plan.corridor = read_features(reader, "corridor", Family::lineal, "name", "name", plan.layers);
    plan.corridor_band = read_features(reader, "corridor_band", Family::polygonal, "name", "tier", plan.layers);
    plan.bases = read_features(reader, "bases", Family::any, "name_en", "tier", plan.layers);
    plan.stations = read_features(reader, "stations", Family::puntal, "name_en", "line", plan.layers);
    plan.roads = read_features(reader, "roads", Family::lineal, "name", "class", plan.layers);
    plan.constraints = read_features(reader, "constraints", Family::polygonal, "name", "kind", plan.layers);
    plan.ftz = read_features(reader, "ftz", Family::polygonal, "name", "name", plan.layers);
    read_tables(reader, plan);
  }
  progress.check(0.7, "validating");
  validate(plan, problems, options);
  progress.check(1.0, "plan loaded");
  return plan;
}

void validate(const Plan& plan, ProblemReporter& problems, const LoadOptions& options) {
  const Context base{.path = plan.source, .layer = "parcels"};
  auto at = [&](const Parcel& p) {
    Context where = base;
    where.feature_id = p.fid;
    where.feature_key = p.id;
    return where;
  };

  // Ids and codes. (A block: the map of ids is gone before the coverage check, the peak of a large plan's load.)
  {
    std::map<std::string, const Parcel*> seen;
    for (const auto& p : plan.parcels) {
      if (p.id.empty()) {
        problems.report(Severity::error, "parcel.missing_id", "parcel has no parcel_id", at(p));
      } else if (auto [it, inserted] = seen.emplace(p.id, &p); !inserted) {
        problems.report(Severity::error, "parcel.duplicate_id",
                        fmt::format("parcel_id '{}' is also used by feature {}", p.id, it->second->fid), at(p));
      }
      if (!plan.classes.empty() && !plan.find_class(p.landuse)) {
        problems.report(Severity::error, "parcel.unknown_landuse",
                        fmt::format("land-use code '{}' is not in landuse_classes", p.landuse), at(p));
      }
      if (!plan.zones.empty() && !p.zone.empty() && !plan.find_zone(p.zone)) {
        problems.report(Severity::warning, "parcel.unknown_zone", fmt::format("zone '{}' is not in zones", p.zone),
                        at(p));
      }
    }
  }
  if (plan.classes.empty()) {
    problems.report(Severity::warning, "plan.no_classes",
                    "no landuse_classes table: land-use codes cannot be checked or coloured", Context{.path = plan.source});
  }

  // Coverage: overlaps are errors (land counted twice), gaps are warnings.
  std::vector<geom::CoverageItem> items;
  items.reserve(plan.parcels.size());
  for (const auto& p : plan.parcels) items.push_back({p.fid, p.id, &p.geometry});
  ProblemReporter coverage;
  geom::CoverageOptions coverage_options;
  coverage_options.overlap_tolerance_m2 = options.overlap_tolerance_m2;
  coverage_options.gap_tolerance_m2 = options.gap_tolerance_m2;
  coverage_options.severity = Severity::error;
  geom::check_coverage(items, coverage_options, coverage, base);
  for (auto problem : coverage.problems()) {
    if (problem.code == "coverage.gap") problem.severity = Severity::warning;
    problems.report(std::move(problem));
  }

  // Containment: every parcel with a phase inside the phases (true by construction of phases made from the parcels).
  // A parcel in no phase (empty phase: a zone away from the phases, such as the bundled Beauty & Health site) is
  // outside them by declaration.
  const bool phases_from_parcels =
      std::all_of(plan.phases.begin(), plan.phases.end(),
                  [](const Phase& ph) { return ph.provenance.source == kPhaseFromParcels; });
  if (!plan.phases.empty() && !phases_from_parcels) {
    std::vector<geom::Geometry> phase_geometries;
    for (const auto& ph : plan.phases) phase_geometries.push_back(ph.geometry);
    const geom::PreparedGeometry all_phases(geom::unary_union(phase_geometries));
    for (const auto& p : plan.parcels) {
      if (p.phase.empty() || all_phases.covers(p.geometry)) continue;
      const double outside_m2 = geom::area(geom::difference(p.geometry, all_phases.geometry()));
      if (outside_m2 > options.outside_share * p.area_m2 && outside_m2 > options.overlap_tolerance_m2) {
        Context where = at(p);
        where.coordinate = geom::point_on_surface(geom::difference(p.geometry, all_phases.geometry())).as_point();
        problems.report(Severity::error, "parcel.outside_phases",
                        fmt::format("{:.1f} m2 of the parcel ({:.1f} %) lies outside every phase", outside_m2,
                                    100.0 * outside_m2 / p.area_m2),
                        where);
      }
    }
  }
}

std::map<int, SimClassName> read_sim_class_names(const std::filesystem::path& dataset, const FieldMapping& mapping) {
  std::map<int, SimClassName> out;
  std::string layer = "landuse_classes";
  if (auto it = mapping.layers.find(layer); it != mapping.layers.end() && !it->second.layer.empty()) {
    layer = it->second.layer;
  }
  try {
    const io::Layer table = io::read_layer(dataset, layer);
    if (!table.find_field("sim_class_name") || !table.find_field("sim_class")) return out;
    const bool has_zh = table.find_field("sim_class_name_zh").has_value();
    for (const auto& f : table.features) {
      const auto k = io::as_integer(table.value(f, "sim_class"));
      const auto name = io::as_text(table.value(f, "sim_class_name"));
      const auto zh = has_zh ? io::as_text(table.value(f, "sim_class_name_zh")) : std::nullopt;
      if (k && name && !out.count(static_cast<int>(*k))) {
        out[static_cast<int>(*k)] = SimClassName{std::string(*name), zh ? std::string(*zh) : std::string()};
      }
    }
  } catch (const Error&) {
    // No such table: names fall back to the first land-use class of each group.
  }
  return out;
}

}  // namespace parksim::plan
