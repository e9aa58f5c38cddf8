#include "pipeline/pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include <Eigen/Core>
#include <coin/CbcConfig.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include "alloc/allocation.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "geom/geometry.hpp"
#include "geom/index.hpp"
#include "grid/distance.hpp"
#include "grid/rasterize.hpp"
#include "io/raster.hpp"
#include "io/vector.hpp"
#include "io/versions.hpp"
#include "metrics/compliance.hpp"
#include "model/demand.hpp"
#include "model/drivers.hpp"
#include "model/suitability.hpp"
#include "pipeline/plan_grids.hpp"
#include "plan/accounting.hpp"
#include "plan/loader.hpp"
#include "scenario/mapping.hpp"
#include "sim/ensemble.hpp"
#include "sim/simulation.hpp"

namespace parksim::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kShareTolerance = 1e-6;  // shares given in a scenario must sum to 1 within this
const std::string kOutsideZone = "outside";

// ---- scenario helpers ----------------------------------------------------------------------------------------

[[noreturn]] void config_error(const scenario::Scenario& s, const std::string& key, const std::string& message) {
  const std::string at = s.where(key);
  Context where{.path = s.path().string(), .key = key};
  if (!at.empty()) {
    const auto colon = at.rfind(':');
    where.path = at.substr(0, colon);
    where.line = std::stoi(at.substr(colon + 1));
  }
  throw Error(ErrorCode::config, message, where);  // the context names the key
}

std::string slug(std::string_view text) {
  // "non-built / agricultural" -> "non_built"; "R&D (health industry)" -> "r_d".
  const auto cut = text.find_first_of("/(");
  text = text.substr(0, cut);
  std::string out;
  bool pending = false;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      if (pending && !out.empty()) out += '_';
      pending = false;
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else {
      pending = true;
    }
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// ---- classes ---------------------------------------------------------------------------------------------------

struct Classes {
  int count = 0;
  std::vector<report::SimClass> info;
  std::vector<bool> built;   // counts as developed land
  std::vector<bool> source;  // developable land that is not built: may be converted into a built class
  int find(const std::string& key) const {
    for (int k = 0; k < count; ++k) {
      if (info[static_cast<std::size_t>(k)].key == key) return k;
    }
    return -1;
  }
};

// Names of the simulation classes from the dataset's landuse_classes.sim_class_name, when it has one.
std::map<int, std::string> sim_class_names(const fs::path& dataset, const plan::FieldMapping& mapping) {
  std::map<int, std::string> out;
  std::string layer = "landuse_classes";
  if (auto it = mapping.layers.find(layer); it != mapping.layers.end() && !it->second.layer.empty()) {
    layer = it->second.layer;
  }
  try {
    const io::Layer table = io::read_layer(dataset, layer);
    if (!table.find_field("sim_class_name") || !table.find_field("sim_class")) return out;
    for (const auto& f : table.features) {
      const auto k = io::as_integer(table.value(f, "sim_class"));
      const auto name = io::as_text(table.value(f, "sim_class_name"));
      if (k && name && !out.count(static_cast<int>(*k))) out[static_cast<int>(*k)] = std::string(*name);
    }
  } catch (const Error&) {
    // No such table (a user's parcel file alone): names fall back to the first land-use class of each group.
  }
  return out;
}

bool agricultural_or_idle(const std::string& code) {
  // National first-level groups 01-06 (farmland, orchards, forest, grassland, wetland, agricultural facilities),
  // rural homesteads 0703 and other land 23 (idle land 2301) are not built-up land.
  for (const char* p : {"01", "02", "03", "04", "05", "06", "0703", "23"}) {
    if (starts_with(code, p)) return true;
  }
  return false;
}

Classes make_classes(const plan::Plan& plan, const std::map<int, std::string>& names,
                     const scenario::Scenario& s) {
  Classes c;
  for (const auto& lc : plan.classes) c.count = std::max(c.count, lc.sim_class + 1);
  if (c.count <= 0) throw Error(ErrorCode::data, "no land-use class has a sim_class", Context{.layer = "landuse_classes"});
  if (c.count > sim::max_classes) {
    throw Error(ErrorCode::data, fmt::format("{} simulation classes; at most {}", c.count, sim::max_classes),
                Context{.layer = "landuse_classes"});
  }
  c.info.resize(static_cast<std::size_t>(c.count));
  c.built.assign(static_cast<std::size_t>(c.count), false);
  c.source.assign(static_cast<std::size_t>(c.count), false);
  std::vector<bool> all_developable(static_cast<std::size_t>(c.count), true);
  std::vector<bool> any_agricultural(static_cast<std::size_t>(c.count), false);
  for (int k = 0; k < c.count; ++k) c.info[static_cast<std::size_t>(k)].id = k;
  for (const auto& lc : plan.classes) {
    if (lc.sim_class < 0) continue;
    const auto k = static_cast<std::size_t>(lc.sim_class);
    auto& info = c.info[k];
    if (info.landuse_codes.empty()) {
      info.colour = lc.colour;
      info.name_en = lc.name_en;
      info.name_zh = lc.name_zh;
    }
    info.landuse_codes.push_back(lc.code);
    if (!lc.developable) all_developable[k] = false;
    if (agricultural_or_idle(lc.code)) any_agricultural[k] = true;
  }
  std::set<std::string> keys;
  for (int k = 0; k < c.count; ++k) {
    auto& info = c.info[static_cast<std::size_t>(k)];
    if (auto it = names.find(k); it != names.end()) info.name_en = it->second;
    if (info.name_en.empty()) info.name_en = fmt::format("class {}", k);
    info.key = slug(info.name_en);
    if (info.key.empty() || keys.count(info.key)) info.key = fmt::format("class{}", k);
    keys.insert(info.key);
    const bool has_codes = !info.landuse_codes.empty();
    c.built[static_cast<std::size_t>(k)] = has_codes && all_developable[static_cast<std::size_t>(k)] &&
                                           !any_agricultural[static_cast<std::size_t>(k)];
    c.source[static_cast<std::size_t>(k)] = has_codes && all_developable[static_cast<std::size_t>(k)] &&
                                            any_agricultural[static_cast<std::size_t>(k)];
  }
  const auto given = s.get_text_list("classes.built");
  if (!given.empty()) {
    std::vector<bool> built(static_cast<std::size_t>(c.count), false);
    for (const auto& key : given) {
      const int k = c.find(key);
      if (k < 0) config_error(s, "classes.built", fmt::format("no simulation class '{}'", key));
      built[static_cast<std::size_t>(k)] = true;
    }
    for (int k = 0; k < c.count; ++k) {
      const auto i = static_cast<std::size_t>(k);
      c.built[i] = built[i];
      if (built[i]) c.source[i] = false;
    }
  }
  for (int k = 0; k < c.count; ++k) c.info[static_cast<std::size_t>(k)].built = c.built[static_cast<std::size_t>(k)];
  return c;
}

// ---- infrastructure timeline ------------------------------------------------------------------------------------

// One clause of an infrastructure filter: field = 'text' or field = number.
struct Clause {
  std::string field, value;
};

std::string trim(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return std::string(t);
}

std::vector<Clause> parse_where(const scenario::Scenario& s, const std::string& key, const std::string& text) {
  std::vector<Clause> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto and_at = rest.find(" and ");
    const std::string_view part = rest.substr(0, and_at);
    rest = and_at == std::string_view::npos ? std::string_view{} : rest.substr(and_at + 5);
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) config_error(s, key, fmt::format("'{}' is not of the form field = 'value'", part));
    Clause c{trim(part.substr(0, eq)), trim(part.substr(eq + 1))};
    if (c.value.size() >= 2 && (c.value.front() == '\'' || c.value.front() == '"') && c.value.back() == c.value.front()) {
      c.value = c.value.substr(1, c.value.size() - 2);
    }
    static const std::set<std::string> fields = {"name", "name_zh", "kind", "line", "class", "opens"};
    if (!fields.count(c.field)) {
      config_error(s, key, fmt::format("unknown field '{}' (use name, name_zh, line, class, kind or opens)", c.field));
    }
    out.push_back(std::move(c));
  }
  return out;
}

bool matches(const plan::Feature& f, const std::vector<Clause>& clauses) {
  for (const auto& c : clauses) {
    if (c.field == "name" && f.name != c.value) return false;
    if (c.field == "name_zh" && f.name_zh != c.value) return false;
    if ((c.field == "kind" || c.field == "line" || c.field == "class") && f.kind != c.value) return false;
    if (c.field == "opens" && std::to_string(f.opens_year) != c.value) return false;
  }
  return true;
}

void apply_infrastructure(const scenario::Scenario& s, plan::Plan& plan, ProblemReporter& problems) {
  const std::size_t n = s.array_size("infrastructure");
  for (std::size_t i = 0; i < n; ++i) {
    const std::string base = fmt::format("infrastructure[{}]", i);
    if (!s.has(base + ".year") || !s.has(base + ".layer")) {
      config_error(s, base, "needs year and layer");
    }
    const int year = static_cast<int>(s.get_int(base + ".year"));
    const std::string layer = s.get_text(base + ".layer");
    const std::string where = s.has(base + ".where") ? s.get_text(base + ".where") : std::string();
    const auto clauses = parse_where(s, base + ".where", where);
    auto& features = layer == "stations" ? plan.stations : plan.roads;
    int matched = 0;
    for (auto& f : features) {
      if (matches(f, clauses)) {
        f.opens_year = year;
        ++matched;
      }
    }
    const std::string label = s.has(base + ".name") ? s.get_text(base + ".name") : where;
    if (matched == 0) {
      problems.report(Severity::warning, "infrastructure.no_match",
                      fmt::format("'{}' matches no feature of layer '{}'", where, layer),
                      Context{.path = s.where(base + ".layer"), .layer = layer, .key = base});
    } else {
      problems.report(Severity::info, "infrastructure.opens",
                      fmt::format("{}: {} feature(s) of '{}' open in {}", label, matched, layer, year),
                      Context{.layer = layer, .key = base});
    }
  }
}

// ---- drivers and suitability ------------------------------------------------------------------------------------

const std::vector<std::string> kAllDrivers = {"dist_g6_m",      "dist_g7_m",    "dist_station_m",
                                              "dist_beiqing_m", "dist_built_m", "corridor_tier"};

// The class of a "dist_class_<class key>_m" driver (distance to the class's cells at the start year), or -1.
int class_distance_driver(const std::string& name, const Classes& classes) {
  const std::string prefix = "dist_class_", suffix = "_m";
  if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return -1;
  }
  return classes.find(name.substr(prefix.size(), name.size() - prefix.size() - suffix.size()));
}

bool is_beiqing(const plan::Feature& f) {
  return f.name == "Beiqing Road" || f.name_zh == "北清路" || f.name_zh == "北清路快速路";
}

struct DriverBuilder {
  const plan::Plan& plan;
  const PlanGrids& grids;
  const Classes& classes;
  std::vector<std::string> names;  // the drivers in use
  double max_distance_m = 10000.0;
  grid::Grid<float> tier;
  grid::Grid<std::uint8_t> g6, g7, built;

  DriverBuilder(const plan::Plan& p, const PlanGrids& g, const Classes& c, std::vector<std::string> used, double cap)
      : plan(p), grids(g), classes(c), names(std::move(used)), max_distance_m(cap) {
    const auto& spec = grids.spec;
    g6 = axis_mask("G6");
    g7 = axis_mask("G7");
    built = grid::Grid<std::uint8_t>(spec, 0);
    for (std::int64_t i = 0; i < built.size(); ++i) {
      const auto k = grids.classes[i];
      if (k != 255 && classes.built[k]) built[i] = 1;
    }
    // Corridor tier: 1, 2, 3 inside the bands, one more outside; inner tiers win where bands overlap.
    int max_tier = 0;
    std::vector<std::pair<int, const plan::Feature*>> bands;
    for (const auto& f : plan.corridor_band) {
      int t = 0;
      try {
        t = std::stoi(f.kind);
      } catch (const std::exception&) {
        continue;
      }
      bands.emplace_back(t, &f);
      max_tier = std::max(max_tier, t);
    }
    std::stable_sort(bands.begin(), bands.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    tier = grid::Grid<float>(spec, static_cast<float>(max_tier + 1));
    for (const auto& [t, f] : bands) grid::rasterize_polygon<float>(tier, to_grid_polygons(f->geometry), static_cast<float>(t));
  }

  grid::Grid<std::uint8_t> axis_mask(const std::string& axis) const {
    grid::Grid<std::uint8_t> mask(grids.spec, 0);
    std::vector<grid::LineString> lines;
    for (const auto& f : plan.corridor) {
      if (f.kind == axis || f.name == axis) {
        auto l = to_grid_lines(f.geometry);
        lines.insert(lines.end(), l.begin(), l.end());
      }
    }
    grid::rasterize_lines(mask, lines, 1);
    return mask;
  }

  model::DriverSet build(int year) const {
    model::DriverSet set(grids.spec, &grids.study);
    for (const auto& name : names) {
      if (name == "dist_g6_m") set.add(name, model::distance_driver_m(g6, max_distance_m), "m");
      if (name == "dist_g7_m") set.add(name, model::distance_driver_m(g7, max_distance_m), "m");
      if (name == "dist_built_m") set.add(name, model::distance_driver_m(built, max_distance_m), "m");
      if (name == "corridor_tier") set.add(name, tier, "tier");
      if (const int k = class_distance_driver(name, classes); k >= 0) {
        // Static: the class's cells at the start year (as the calibration's distance at an interval's start).
        set.add(name, model::distance_driver_m(model::class_mask(grids.classes, static_cast<std::uint8_t>(k)),
                                               max_distance_m),
                "m");
      }
      if (name == "dist_station_m") {
        std::vector<grid::Point> open;
        for (const auto& f : plan.stations) {
          if (f.opens_year <= year) {
            const auto c = f.geometry.as_point();
            open.push_back({c.x, c.y});
          }
        }
        grid::Grid<std::uint8_t> mask(grids.spec, 0);
        grid::rasterize_points(mask, open, 1);
        set.add(name, model::distance_driver_m(mask, max_distance_m), "m");
      }
      if (name == "dist_beiqing_m") {
        std::vector<grid::LineString> lines;
        for (const auto& f : plan.roads) {
          if (is_beiqing(f) && f.opens_year <= year) {
            auto l = to_grid_lines(f.geometry);
            lines.insert(lines.end(), l.begin(), l.end());
          }
        }
        grid::Grid<std::uint8_t> mask(grids.spec, 0);
        grid::rasterize_lines(mask, lines, 1);
        set.add(name, model::distance_driver_m(mask, max_distance_m), "m");
      }
    }
    return set;
  }

  // The infrastructure state of a year: which stations and Beiqing Road segments are open.
  std::vector<bool> state(int year) const {
    std::vector<bool> out;
    for (const auto& f : plan.stations) out.push_back(f.opens_year <= year);
    for (const auto& f : plan.roads) out.push_back(is_beiqing(f) && f.opens_year <= year);
    return out;
  }
};

// Multiplier grid of the priority bonus near corridor bases of one tier (empty when there is none).
grid::Grid<float> priority_factor(const plan::Plan& plan, const PlanGrids& grids, const std::string& tier, double bonus,
                                  double radius_m) {
  if (tier.empty() || bonus <= 0.0) return {};
  std::vector<grid::Point> points;
  for (const auto& b : plan.bases) {
    if (b.kind != tier) continue;
    const auto env = b.geometry.envelope();
    points.push_back({(env.min_x + env.max_x) / 2.0, (env.min_y + env.max_y) / 2.0});
  }
  if (points.empty()) return {};
  grid::Grid<std::uint8_t> mask(grids.spec, 0);
  grid::rasterize_points(mask, points, 1);
  grid::Grid<float> d = grid::distance_m(mask);
  for (std::int64_t i = 0; i < d.size(); ++i) {
    d[i] = static_cast<float>(1.0 + bonus * std::max(0.0, 1.0 - static_cast<double>(d[i]) / radius_m));
  }
  return d;
}

struct Suitability {
  std::vector<std::optional<model::LogisticModel>> models;  // per class; empty = uniform
};

grid::Grid<std::uint8_t> to_u8(const grid::Grid<float>& p, const grid::Grid<float>& factor) {
  grid::Grid<std::uint8_t> out(p.spec(), 0);
  for (std::int64_t i = 0; i < p.size(); ++i) {
    double v = p[i];
    if (factor.size() > 0) v *= factor[i];
    // At least 1/255 inside the study area: suitability orders the land, it does not forbid it (constraints,
    // phases and conversion rules do), so demand is met whenever land allows.
    v = std::clamp(v, 0.0, 1.0);
    out[i] = static_cast<std::uint8_t>(std::max<long>(1, std::lround(v * 255.0)));
  }
  return out;
}

// Suitability grids of every class for one driver state (empty grid = uniform 1).
std::vector<grid::Grid<std::uint8_t>> suitability_grids(const Suitability& suit, const model::DriverSet& drivers,
                                                        const PlanGrids& grids, const grid::Grid<float>& factor) {
  std::vector<grid::Grid<std::uint8_t>> out(suit.models.size());
  for (std::size_t k = 0; k < suit.models.size(); ++k) {
    if (!suit.models[k]) continue;
    out[k] = to_u8(model::suitability_map(drivers, *suit.models[k], &grids.study), factor);
  }
  return out;
}

Suitability make_suitability(const scenario::Scenario& s, const Classes& classes, const PlanGrids& grids,
                             const model::DriverSet& drivers, std::uint64_t seed, ProblemReporter& problems) {
  Suitability out;
  out.models.resize(static_cast<std::size_t>(classes.count));
  const std::string mode = s.get_text("suitability.mode");
  if (mode == "given") {
    for (const auto& key : s.child_keys("suitability.coefficients")) {
      const int k = classes.find(key);
      if (k < 0) config_error(s, "suitability.coefficients." + key, fmt::format("no simulation class '{}'", key));
      std::vector<std::string> names;
      std::vector<double> coef{0.0};
      for (const auto& d : s.child_keys("suitability.coefficients." + key)) {
        const std::string full = "suitability.coefficients." + key + "." + d;
        if (d == "intercept") {
          coef[0] = s.get_real(full);
          continue;
        }
        if (!drivers.find(d)) config_error(s, full, fmt::format("no driver '{}' (drivers: {})", d, fmt::join(drivers.names(), ", ")));
        names.push_back(d);
        coef.push_back(s.get_real(full));
      }
      out.models[static_cast<std::size_t>(k)] = model::LogisticModel::from_raw_coefficients(names, coef);
    }
    for (int k = 0; k < classes.count; ++k) {
      if (classes.built[static_cast<std::size_t>(k)] && !out.models[static_cast<std::size_t>(k)]) {
        problems.report(Severity::info, "suitability.uniform",
                        fmt::format("no coefficients for class '{}': its suitability is uniform",
                                    classes.info[static_cast<std::size_t>(k)].key),
                        Context{.key = "suitability.coefficients"});
      }
    }
    return out;
  }
  // Fit: occurrence of each built class on the initial map against every other study cell (FLUS), balanced sample.
  const grid::Grid<std::uint8_t> none(grids.spec, 254);
  model::TrainingSampleParams sample_params;
  sample_params.cells_per_group = s.get_int("suitability.sample_cells");
  sample_params.seed = seed;
  model::LogisticFitOptions fit;
  fit.l2_lambda = s.get_real("suitability.l2_lambda");
  for (int k = 0; k < classes.count; ++k) {
    if (!classes.built[static_cast<std::size_t>(k)]) continue;
    const auto& key = classes.info[static_cast<std::size_t>(k)].key;
    const auto sample = model::sample_training_cells(none, grids.classes, static_cast<std::uint8_t>(k), &grids.study,
                                                     sample_params);
    if (sample.changed_available == 0) {
      problems.report(Severity::info, "suitability.uniform",
                      fmt::format("class '{}' has no cell on the initial map to learn from: its suitability is uniform", key),
                      Context{.key = "suitability.mode"});
      continue;
    }
    try {
      auto f = model::fit_suitability(drivers, sample, fit);
      if (!f.model.converged) {
        problems.report(Severity::warning, "suitability.not_converged",
                        fmt::format("logistic fit of class '{}' stopped after {} iterations without converging",
                                    key, f.model.iterations),
                        Context{.key = "suitability.mode"});
      }
      problems.report(Severity::info, "suitability.fit",
                      fmt::format("class '{}': {} training cells, in-sample AUC {:.3f}", key,
                                  f.model.sample_count, f.training_auc),
                      Context{.key = "suitability.mode"});
      out.models[static_cast<std::size_t>(k)] = std::move(f.model);
    } catch (const Error& e) {
      problems.report(Severity::warning, "suitability.uniform",
                      fmt::format("class '{}' could not be fitted ({}): its suitability is uniform", key, e.what()),
                      Context{.key = "suitability.mode"});
    }
  }
  return out;
}

// ---- demand ------------------------------------------------------------------------------------------------------

struct Zones {
  std::vector<std::string> ids;  // plan zones, then "outside" (cells in no zone)
  int find(const std::string& id) const {
    for (std::size_t z = 0; z < ids.size(); ++z) {
      if (ids[z] == id) return static_cast<int>(z);
    }
    return -1;
  }
  int count() const { return static_cast<int>(ids.size()); }
};

struct Demand {
  std::vector<sim::YearDemand> years;  // targets per bucket
  bool by_zone = true;
  std::vector<double> capacity_cut_m2;  // per simulated year: demand dropped for lack of land (check_capacity)
  std::vector<std::string> zones;       // zones that grow
};

// Cells per [zone * K + class] on a class map (study cells only).
std::vector<std::int64_t> bucket_counts(const grid::Grid<std::uint8_t>& classes, const grid::Grid<std::uint8_t>& zone,
                                        int zone_count, int class_count) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(zone_count * class_count), 0);
  for (std::int64_t i = 0; i < classes.size(); ++i) {
    const auto k = classes[i];
    if (k == 255) continue;
    out[static_cast<std::size_t>(zone[i] * class_count + k)] += 1;
  }
  return out;
}

std::map<std::string, double> zone_shares(const scenario::Scenario& s, const plan::Plan& plan, const Zones& zones,
                                          ProblemReporter& problems) {
  std::map<std::string, double> shares;
  const auto keys = s.child_keys("demand.zone_share");
  if (!keys.empty()) {
    for (const auto& z : keys) {
      if (zones.find(z) < 0) {
        config_error(s, "demand.zone_share." + z,
                     fmt::format("no zone '{}' in the plan (zones: {}, and \"outside\")", z,
                                 fmt::join(std::vector<std::string>(zones.ids.begin(), zones.ids.end() - 1), ", ")));
      }
      shares[z] = s.get_real("demand.zone_share." + z);
    }
  } else {
    for (const auto& t : plan.targets) {
      if (starts_with(t.id, "zone_share_") && zones.find(t.id.substr(11)) >= 0) shares[t.id.substr(11)] = t.value;
    }
    if (!shares.empty()) {
      problems.report(Severity::info, "demand.zone_share_from_data",
                      fmt::format("demand split across zones by the dataset's zone_share targets ({})",
                                  fmt::join(shares, ", ")),
                      Context{.layer = "plan_targets", .key = "demand.zone_share"});
    } else {
      std::set<std::string> growing;
      for (const auto& p : plan.parcels) {
        if ((p.status == plan::DevelopmentStatus::vacant || p.status == plan::DevelopmentStatus::planned) &&
            zones.find(p.zone) >= 0) {
          growing.insert(p.zone);
        }
      }
      for (const auto& z : growing) shares[z] = 1.0 / static_cast<double>(growing.size());
    }
  }
  double sum = 0.0;
  for (const auto& [z, v] : shares) sum += v;
  if (shares.empty() || std::fabs(sum - 1.0) > kShareTolerance) {
    config_error(s, "demand.zone_share", fmt::format("zone shares must sum to 1, they sum to {:.6g}", sum));
  }
  return shares;
}

// Share of a zone's new land per class.
std::vector<double> class_split(const scenario::Scenario& s, const plan::Plan& plan, const Classes& classes,
                                const std::string& zone) {
  std::vector<double> share(static_cast<std::size_t>(classes.count), 0.0);
  const std::string key = "demand.class_share." + zone;
  const auto given = s.child_keys(key);
  if (!given.empty()) {
    double sum = 0.0;
    for (const auto& c : given) {
      const int k = classes.find(c);
      if (k < 0 || !classes.built[static_cast<std::size_t>(k)]) {
        config_error(s, key + "." + c, fmt::format("'{}' is not a built simulation class", c));
      }
      share[static_cast<std::size_t>(k)] = s.get_real(key + "." + c);
      sum += share[static_cast<std::size_t>(k)];
    }
    if (std::fabs(sum - 1.0) > kShareTolerance) config_error(s, key, fmt::format("class shares sum to {:.6g}, not 1", sum));
    return share;
  }
  // DEFAULT: the class mix of the zone's built parcels, else of the expansion's, else of the whole plan.
  auto mix = [&](auto&& keep) {
    std::vector<double> area(static_cast<std::size_t>(classes.count), 0.0);
    double total = 0.0;
    for (const auto& p : plan.parcels) {
      if (p.status != plan::DevelopmentStatus::built && p.status != plan::DevelopmentStatus::under_construction) continue;
      const auto* c = plan.find_class(p.landuse);
      if (!c || c->sim_class < 0 || !classes.built[static_cast<std::size_t>(c->sim_class)] || !keep(p)) continue;
      area[static_cast<std::size_t>(c->sim_class)] += p.area_m2;
      total += p.area_m2;
    }
    if (total > 0.0) {
      for (auto& a : area) a /= total;
    }
    return std::make_pair(total, area);
  };
  for (auto [total, area] : {mix([&](const plan::Parcel& p) { return p.zone == zone; }),
                             mix([](const plan::Parcel& p) { return plan::is_expansion(p.phase); }),
                             mix([](const plan::Parcel&) { return true; })}) {
    if (total > 0.0) return area;
  }
  config_error(s, key, "no built parcel to take a default class mix from; give demand.class_share." + zone);
}

// The class map of demand.previous_map on the simulation grid: values are simulation class ids (0..K-1); the
// raster's nodata and 255 are no data. Error(input) when unreadable, Error(config) naming the key and file when it
// lies on another grid, Error(data) naming the file for a value that is no class.
grid::Grid<std::uint8_t> read_previous_map(const scenario::Scenario& s, const grid::GridSpec& spec, int class_count,
                                           ProblemReporter& problems) {
  const std::string key = "demand.previous_map";
  const fs::path path = s.get_path(key);
  if (path.empty()) config_error(s, key, "demand.method = \"trend\" needs the class map of an earlier year here");
  io::RasterInfo info = io::read_raster(path);  // described first: a map on another grid is refused unread
  const io::RasterGeometry& g = info.geometry;
  const double tolerance = 1e-6 * spec.cell_size_m;
  const bool same_grid = g.cols == spec.cols && g.rows == spec.rows && std::abs(g.cell_size - spec.cell_size_m) <= tolerance &&
                         std::abs(g.origin_x - spec.origin_x) <= tolerance && std::abs(g.origin_y - spec.origin_y) <= tolerance;
  const std::string grid_crs = spec.crs;
  const bool crs_differs = g.crs.epsg && grid_crs.rfind("EPSG:", 0) == 0 && fmt::format("EPSG:{}", *g.crs.epsg) != grid_crs;
  if (!same_grid || crs_differs) {
    config_error(s, key,
                 fmt::format("{} is not on the simulation grid: it has {} x {} cells of {} from ({}, {}){}; the run's "
                             "grid is {} x {} cells of {} m from ({}, {}) in {}. Resample it onto that grid, e.g. "
                             "gdalwarp -t_srs {} -te {} {} {} {} -tr {} {} -r mode IN OUT.tif",
                             path.string(), g.rows, g.cols, g.cell_size, g.origin_x, g.origin_y,
                             g.crs.epsg ? fmt::format(" in EPSG:{}", *g.crs.epsg) : std::string(), spec.rows, spec.cols,
                             spec.cell_size_m, spec.origin_x, spec.origin_y, grid_crs, grid_crs, spec.min_x(),
                             spec.min_y(), spec.max_x(), spec.max_y(), spec.cell_size_m, spec.cell_size_m));
  }
  info = io::read_raster(path, {.values = true, .max_cells = spec.cell_count()});
  if (g.crs.empty()) {
    problems.report(Severity::warning, "demand.previous_map_crs",
                    fmt::format("{} has no CRS; taken to be the run's {}", path.string(), grid_crs), Context{.key = key});
  }
  grid::Grid<std::uint8_t> out(spec, 255);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const double v = info.values[static_cast<std::size_t>(i)];
    if (std::isnan(v) || (info.nodata && v == *info.nodata) || v == 255.0) continue;
    if (v < 0 || v >= class_count || v != std::floor(v)) {
      throw Error(ErrorCode::data,
                  fmt::format("{}: value {} at row {}, column {} is not a simulation class id (0..{}, 255 = no data)",
                              path.string(), v, i / spec.cols, i % spec.cols, class_count - 1),
                  Context{.path = path.string(), .key = key});
    }
    out[i] = static_cast<std::uint8_t>(v);
  }
  return out;
}

// demand.method = "trend": the Markov chain of the change from demand.previous_map (previous_year) to the initial
// map, annualised and projected over the run (model::markov_demand); every built class whose projected area grows
// gets that growth as its yearly target over the whole grid (the trend is per class, not per zone; a shrinking
// class keeps its cells: built land never reverts). Demand beyond the open land is left to the simulation, which
// reports it as unmet.
Demand trend_demand(const scenario::Scenario& s, const Classes& classes, const PlanGrids& grids, int start_year,
                    int end_year, ProblemReporter& problems) {
  if (s.get_bool("demand.by_zone") && !s.where("demand.by_zone").empty()) {
    config_error(s, "demand.by_zone", "the trend gives demand per class over the grid, not per zone: set it to false");
  }
  const int previous_year = static_cast<int>(s.get_int("demand.previous_year"));
  if (previous_year >= start_year) {
    config_error(s, "demand.previous_year", fmt::format("must be before years.start ({})", start_year));
  }
  const int K = classes.count;
  const grid::Grid<std::uint8_t> before = read_previous_map(s, grids.spec, K, problems);
  const model::TransitionMatrix tm =
      model::estimate_transitions(before, grids.classes, K, static_cast<double>(start_year - previous_year), &grids.study);
  const Eigen::MatrixXd annual = model::annualise(tm.probability, tm.years);
  const double cell_m2 = grids.spec.cell_area_m2();
  Eigen::VectorXd area = Eigen::VectorXd::Zero(K);
  for (std::int64_t i = 0; i < grids.classes.size(); ++i) {
    if (grids.classes[i] != 255 && grids.study[i] != 0) area(grids.classes[i]) += cell_m2;
  }
  std::vector<std::string> names;
  for (const auto& c : classes.info) names.push_back(c.key);
  model::DemandTable table = model::markov_demand(area, annual, names, start_year, end_year);
  // Growth of the built classes only (their cumulative area never below today's).
  model::DemandTable growth;
  growth.years = table.years;
  std::vector<int> grown;
  for (int k = 0; k < K; ++k) {
    if (!classes.built[static_cast<std::size_t>(k)] || table.new_area_m2.col(k).sum() <= 0.0) continue;
    grown.push_back(k);
    growth.categories.push_back(names[static_cast<std::size_t>(k)]);
  }
  const int years = end_year - start_year;
  growth.new_area_m2 = Eigen::MatrixXd::Zero(years, static_cast<Eigen::Index>(grown.size()));
  for (std::size_t j = 0; j < grown.size(); ++j) {
    double cumulative = 0.0, floor = 0.0;
    for (int t = 0; t < years; ++t) {
      cumulative += table.new_area_m2(t, grown[j]);
      const double step = std::max(cumulative, floor) - floor;  // never below what was already demanded
      growth.new_area_m2(t, static_cast<Eigen::Index>(j)) = step;
      floor += step;
    }
  }
  const auto cells = model::demand_cells(growth, cell_m2);
  problems.report(Severity::info, "demand.trend",
                  fmt::format("Markov trend {}-{} projected to {}: built classes growing: {}", previous_year, start_year,
                              end_year, grown.empty() ? std::string("none") : fmt::format("{}", fmt::join(growth.categories, ", "))),
                  Context{.key = "demand.method"});

  Demand out;
  out.by_zone = false;
  out.capacity_cut_m2.assign(static_cast<std::size_t>(years), 0.0);
  std::vector<std::int64_t> total(static_cast<std::size_t>(K), 0);
  for (std::int64_t i = 0; i < grids.classes.size(); ++i) {
    if (grids.classes[i] != 255) ++total[grids.classes[i]];
  }
  for (int t = 0; t < years; ++t) {
    sim::YearDemand yd;
    yd.year = start_year + 1 + t;
    yd.cells.assign(static_cast<std::size_t>(K), sim::no_target);
    for (std::size_t j = 0; j < grown.size(); ++j) {
      auto& target = total[static_cast<std::size_t>(grown[j])];
      target += cells(t, static_cast<Eigen::Index>(j));
      yd.cells[static_cast<std::size_t>(grown[j])] = target;
    }
    out.years.push_back(std::move(yd));
  }
  return out;
}

Demand make_demand(const scenario::Scenario& s, const plan::Plan& plan, const Classes& classes, const Zones& zones,
                   const PlanGrids& grids, const std::vector<int>& opening, int start_year, int end_year,
                   ProblemReporter& problems) {
  const int K = classes.count;
  const int Z = zones.count();
  const double cell_m2 = grids.spec.cell_area_m2();
  const int years = end_year - start_year;
  const std::string method = s.get_text("demand.method");

  // Convertible land per zone: total and open by the end of each year (cumulative), m2.
  Eigen::MatrixXd open_m2 = Eigen::MatrixXd::Zero(years, Z);
  std::vector<double> convertible_m2(static_cast<std::size_t>(Z), 0.0);
  std::vector<double> built_m2(static_cast<std::size_t>(Z), 0.0);
  for (std::int64_t i = 0; i < grids.classes.size(); ++i) {
    const auto k = grids.classes[i];
    if (k == 255) continue;
    const int z = grids.zone[i];
    if (classes.built[k]) built_m2[static_cast<std::size_t>(z)] += cell_m2;
    if (!classes.source[k] || grids.constraint[i] != 0) continue;
    convertible_m2[static_cast<std::size_t>(z)] += cell_m2;
    const int p = grids.phase[i];
    const int opens = p == 255 ? start_year : opening[static_cast<std::size_t>(p)];
    for (int t = 0; t < years; ++t) {
      if (opens <= start_year + 1 + t) open_m2(t, z) += cell_m2;
    }
  }

  if (method == "trend") return trend_demand(s, classes, grids, start_year, end_year, problems);
  model::DemandTable table;
  if (method == "enterprise") {
    const auto shares = zone_shares(s, plan, zones, problems);
    std::vector<model::ZoneShare> zs;
    for (const auto& [z, v] : shares) zs.push_back({z, v});
    model::EnterpriseGrowth growth{start_year, s.get_real("demand.base_enterprises"),
                                   s.get_real("demand.enterprise_growth_rate")};
    model::EnterpriseParams params;
    params.floor_area_per_enterprise_m2 = s.get_real("demand.floor_area_per_enterprise_m2");
    params.floor_area_ratio = s.get_real("demand.floor_area_ratio");
    params.net_site_share = s.get_real("demand.net_site_share");
    table = model::enterprise_demand(growth, zs, start_year + 1, end_year, params);
  } else if (method == "plan_target") {
    const auto shares = zone_shares(s, plan, zones, problems);
    const int target_year = static_cast<int>(s.get_int("demand.target_year"));
    if (target_year <= start_year) {
      config_error(s, "demand.target_year", fmt::format("must be after years.start ({})", start_year));
    }
    std::vector<model::PlanTarget> targets;
    for (const auto& [z, v] : shares) {
      if (v <= 0.0) continue;
      const auto zi = static_cast<std::size_t>(zones.find(z));
      targets.push_back({z, built_m2[zi], built_m2[zi] + s.get_real("demand.buildout_share") * convertible_m2[zi],
                         target_year});
    }
    model::PlanTargetParams params;
    params.shape = s.get_text("demand.path") == "logistic" ? model::PathShape::logistic : model::PathShape::linear;
    params.logistic_steepness = s.get_real("demand.logistic_steepness");
    table = model::plan_target_demand(targets, start_year, end_year, params);
  } else if (method == "table") {
    const auto cats = s.child_keys("demand.table");
    if (cats.empty()) config_error(s, "demand.table", "demand.method = \"table\" needs a [demand.table.<zone>] table");
    std::vector<int> ys;
    for (int y = start_year + 1; y <= end_year; ++y) ys.push_back(y);
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(years, static_cast<Eigen::Index>(cats.size()));
    for (std::size_t c = 0; c < cats.size(); ++c) {
      if (zones.find(cats[c]) < 0) config_error(s, "demand.table." + cats[c], fmt::format("no zone '{}'", cats[c]));
      for (const auto& y : s.child_keys("demand.table." + cats[c])) {
        const std::string key = "demand.table." + cats[c] + "." + y;
        int year = 0;
        try {
          year = std::stoi(y);
        } catch (const std::exception&) {
          config_error(s, key, "the key must be a year");
        }
        if (year <= start_year || year > end_year) {
          config_error(s, key, fmt::format("year outside the simulated years {}..{}", start_year + 1, end_year));
        }
        m(year - start_year - 1, static_cast<Eigen::Index>(c)) = s.get_real(key);
      }
    }
    table = model::exogenous_demand(ys, cats, m);
  }

  // Land that cannot take the demand (phase not open, zone full) is reported and dropped.
  Eigen::MatrixXd developable(table.years.size(), table.categories.size());
  for (std::size_t c = 0; c < table.categories.size(); ++c) {
    const int z = zones.find(table.categories[c]);
    developable.col(static_cast<Eigen::Index>(c)) = open_m2.col(z);
  }
  const model::DemandTable capped = model::check_capacity(table, developable, problems);

  Demand out;
  out.by_zone = s.get_bool("demand.by_zone");
  out.zones = table.categories;
  out.capacity_cut_m2.assign(static_cast<std::size_t>(years), 0.0);
  for (int t = 0; t < years; ++t) {
    out.capacity_cut_m2[static_cast<std::size_t>(t)] = (table.new_area_m2.row(t) - capped.new_area_m2.row(t)).sum();
  }

  // Per (zone, class) area, rounded to cells on the cumulative sums.
  model::DemandTable split;
  split.years = capped.years;
  std::vector<std::pair<int, int>> bucket;  // (zone, class) of each column
  std::vector<Eigen::VectorXd> columns;
  for (std::size_t c = 0; c < capped.categories.size(); ++c) {
    const int z = zones.find(capped.categories[c]);
    const auto share = class_split(s, plan, classes, capped.categories[c]);
    for (int k = 0; k < K; ++k) {
      if (share[static_cast<std::size_t>(k)] <= 0.0) continue;
      split.categories.push_back(fmt::format("{}/{}", capped.categories[c], k));
      bucket.emplace_back(z, k);
      columns.push_back(capped.new_area_m2.col(static_cast<Eigen::Index>(c)) * share[static_cast<std::size_t>(k)]);
    }
  }
  split.new_area_m2 = Eigen::MatrixXd::Zero(years, static_cast<Eigen::Index>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j) split.new_area_m2.col(static_cast<Eigen::Index>(j)) = columns[j];
  const auto cells = model::demand_cells(split, cell_m2);

  const auto initial = bucket_counts(grids.classes, grids.zone, Z, K);
  std::vector<std::int64_t> running(initial.size(), 0);
  for (int t = 0; t < years; ++t) {
    sim::YearDemand yd;
    yd.year = start_year + 1 + t;
    for (std::size_t j = 0; j < bucket.size(); ++j) {
      running[static_cast<std::size_t>(bucket[j].first * K + bucket[j].second)] += cells(t, static_cast<Eigen::Index>(j));
    }
    if (out.by_zone) {
      yd.cells.assign(static_cast<std::size_t>(Z * K), sim::no_target);
      for (const auto& [z, k] : bucket) {
        const auto b = static_cast<std::size_t>(z * K + k);
        yd.cells[b] = initial[b] + running[b];
      }
    } else {
      yd.cells.assign(static_cast<std::size_t>(K), sim::no_target);
      for (const auto& [z, k] : bucket) {
        std::int64_t total = 0;
        for (int zz = 0; zz < Z; ++zz) {
          total += initial[static_cast<std::size_t>(zz * K + k)] + running[static_cast<std::size_t>(zz * K + k)];
        }
        yd.cells[static_cast<std::size_t>(k)] = total;
      }
    }
    out.years.push_back(std::move(yd));
  }
  return out;
}

// ---- simulation -----------------------------------------------------------------------------------------------

sim::Params sim_params(const scenario::Scenario& s) {
  sim::Params p;
  p.neighbourhood_window = static_cast<int>(s.get_int("sim.neighbourhood_window"));
  p.neighbourhood_weight = s.get_real("sim.neighbourhood_weight");
  p.class_neighbourhood_weight = s.get_real_list("sim.class_neighbourhood_weight");
  p.inertia_adaptation = s.get_real("sim.inertia_adaptation");
  p.inertia_max = s.get_real("sim.inertia_max");
  p.patch_share = s.get_real("sim.patch_share");
  p.patch_size_mean_cells = s.get_real("sim.patch_size_mean_cells");
  p.patch_size_sd_cells = s.get_real("sim.patch_size_sd_cells");
  p.patch_seed_tries = static_cast<int>(s.get_int("sim.patch_seed_tries"));
  p.steps_per_year = static_cast<int>(s.get_int("sim.steps_per_year"));
  p.max_rounds = static_cast<int>(s.get_int("sim.max_rounds"));
  p.candidate_margin = s.get_real("sim.candidate_margin");
  p.phase_full_share = s.get_real("sim.phase_full_share");
  return p;
}

// ---- parcels ----------------------------------------------------------------------------------------------------

// Flat cell indices of every parcel (ascending).
std::vector<std::vector<std::int64_t>> parcel_cells(const PlanGrids& grids, std::size_t parcels) {
  std::vector<std::vector<std::int64_t>> out(parcels);
  for (std::int64_t i = 0; i < grids.parcel.size(); ++i) {
    if (grids.parcel[i] >= 0) out[static_cast<std::size_t>(grids.parcel[i])].push_back(i);
  }
  return out;
}

double built_share(const grid::Grid<std::uint8_t>& map, const std::vector<std::int64_t>& cells, const Classes& classes) {
  if (cells.empty()) return 0.0;
  std::int64_t n = 0;
  for (auto i : cells) {
    const auto k = map[i];
    if (k != 255 && classes.built[k]) ++n;
  }
  return static_cast<double>(n) / static_cast<double>(cells.size());
}

// The cells a parcel is measured on: its own, or for a parcel smaller than a cell the cell at its centre.
std::vector<std::int64_t> measure_cells(const plan::Parcel& p, const std::vector<std::int64_t>& own,
                                        const grid::GridSpec& spec) {
  if (!own.empty()) return own;
  const auto c = geom::point_on_surface(p.geometry).as_point();
  if (auto cell = spec.cell_at(c.x, c.y)) return {spec.flat_index(cell->row, cell->col)};
  return {};
}

// ---- allocation ---------------------------------------------------------------------------------------------------

bool manufacturing_code(const std::string& code) { return starts_with(code, "10") || starts_with(code, "11"); }
bool sensitive_code(const std::string& code) {
  return starts_with(code, "07") || code == "0804" || code == "0806";
}

struct AllocationOut {
  report::AllocationSummary summary;
  std::optional<double> health_mu;
  std::vector<int> option;  // per parcel
  std::vector<alloc::Option> options;
  std::vector<double> score;  // of the chosen option per parcel
};

// Zones with a parcel in the expansion: the zones the allocation gives parcels to.
std::set<std::string> expansion_zones(const plan::Plan& plan) {
  std::set<std::string> zones;
  for (const auto& p : plan.parcels) {
    if (plan::is_expansion(p.phase) && plan.find_zone(p.zone)) zones.insert(p.zone);
  }
  return zones;
}

// The allocation's targets from alloc.*; Error(config) naming the key for a zone or phase the plan lacks.
std::vector<alloc::Target> allocation_targets(const scenario::Scenario& s, const plan::Plan& plan) {
  const std::set<std::string> new_zones = expansion_zones(plan);
  std::vector<alloc::Target> targets;
  const double min_mu = s.get_real("alloc.min_health_industry_mu");
  if (min_mu > 0.0) {
    auto t = alloc::health_industry_target(min_mu);
    t.name = fmt::format("health_industry_{:.0f}mu", min_mu);
    targets.push_back(t);
  }
  auto zone_targets = [&](const std::string& section, alloc::TargetKind kind) {
    for (const auto& z : s.child_keys(section)) {
      if (!new_zones.count(z)) {
        config_error(s, section + "." + z, fmt::format("'{}' is not a zone with expansion parcels ({})", z,
                                                       fmt::join(new_zones, ", ")));
      }
      alloc::Target t;
      t.name = fmt::format("{}.{}", section.substr(6), z);
      t.kind = kind;
      t.zone = z;
      t.value = units::km2_to_m2(s.get_real(section + "." + z));
      targets.push_back(t);
    }
  };
  zone_targets("alloc.zone_min_km2", alloc::TargetKind::zone_min_area_m2);
  zone_targets("alloc.zone_max_km2", alloc::TargetKind::zone_max_area_m2);
  for (const auto& ph : s.child_keys("alloc.phase_max_km2")) {
    if (!plan.find_phase(ph)) config_error(s, "alloc.phase_max_km2." + ph, fmt::format("no phase '{}'", ph));
    alloc::Target t;
    t.name = "phase_max_km2." + ph;
    t.kind = alloc::TargetKind::phase_max_developed_m2;
    t.phase = ph;
    t.value = units::km2_to_m2(s.get_real("alloc.phase_max_km2." + ph));
    targets.push_back(t);
  }
  return targets;
}

AllocationOut run_allocation(const scenario::Scenario& s, const plan::Plan& plan, const Classes& classes,
                             const std::vector<std::vector<std::int64_t>>& cells, const grid::GridSpec& spec,
                             const std::vector<grid::Grid<std::uint8_t>>& suitability,
                             const std::vector<double>& development_probability, ProblemReporter& problems) {
  AllocationOut out;
  alloc::AllocationProblem problem;
  // Options: every (new zone, land use) pair. New zones: zones with a parcel in the expansion. Land uses: the
  // health-industry codes and the built codes in use anywhere in the plan.
  const std::set<std::string> new_zones = expansion_zones(plan);
  std::set<std::string> codes;
  for (const auto& p : plan.parcels) {
    const auto* c = plan.find_class(p.landuse);
    if (c && c->sim_class >= 0 && classes.built[static_cast<std::size_t>(c->sim_class)] &&
        (p.status == plan::DevelopmentStatus::built || p.status == plan::DevelopmentStatus::under_construction)) {
      codes.insert(p.landuse);
    }
  }
  for (const auto& c : plan.classes) {
    if (c.health_industry && c.sim_class >= 0) codes.insert(c.code);
  }
  for (const auto& z : new_zones) {
    for (const auto& code : codes) {
      const auto* c = plan.find_class(code);
      problem.options.push_back({z + "/" + code, z, code, c->health_industry, manufacturing_code(code),
                                 sensitive_code(code)});
    }
  }
  if (problem.options.empty()) {
    out.summary.status = "no_solution";
    out.summary.diagnosis.push_back("the plan has no parcel in an expansion zone: nothing to allocate");
    problems.report(Severity::warning, "alloc.nothing_to_allocate", out.summary.diagnosis.back(), Context{.layer = "parcels"});
    return out;
  }
  auto option_index = [&](const std::string& zone, const std::string& code) {
    for (std::size_t u = 0; u < problem.options.size(); ++u) {
      if (problem.options[u].zone == zone && problem.options[u].landuse == code) return static_cast<int>(u);
    }
    return -1;
  };
  const bool by_simulation = s.get_text("alloc.score") == "simulation";
  for (std::size_t i = 0; i < plan.parcels.size(); ++i) {
    const auto& p = plan.parcels[i];
    alloc::ParcelIn in;
    in.id = p.id;
    in.area_m2 = p.area_m2;
    in.phase = p.phase;
    in.built = p.status == plan::DevelopmentStatus::built || p.status == plan::DevelopmentStatus::under_construction;
    in.far = p.far > 0.0 ? p.far : 1.0;
    const auto* c = plan.find_class(p.landuse);
    const bool developable = c != nullptr && c->developable;
    const bool expansion = plan::is_expansion(p.phase);
    if (in.built && expansion) in.current_option = option_index(p.zone, p.landuse);
    const auto measured = measure_cells(p, cells[i], spec);
    in.score.assign(problem.options.size(), -std::numeric_limits<double>::infinity());
    if (expansion && developable) {
      for (std::size_t u = 0; u < problem.options.size(); ++u) {
        if (by_simulation) {
          in.score[u] = development_probability[i];
          continue;
        }
        const auto* oc = plan.find_class(problem.options[u].landuse);
        const auto& suit = suitability[static_cast<std::size_t>(oc->sim_class)];
        if (suit.size() == 0 || measured.empty()) {
          in.score[u] = 1.0;
          continue;
        }
        double sum = 0.0;
        for (auto cell : measured) sum += suit[cell] / 255.0;
        in.score[u] = sum / static_cast<double>(measured.size());
      }
    }
    problem.parcels.push_back(std::move(in));
  }
  // Adjacency: shared boundary length of touching parcels.
  std::vector<geom::Geometry> geometries;
  for (const auto& p : plan.parcels) geometries.push_back(p.geometry);
  const geom::StrTree tree(geometries);
  for (std::size_t i = 0; i < geometries.size(); ++i) {
    for (std::size_t j : tree.query(geometries[i].envelope())) {
      if (j <= i || !geom::touches(geometries[i], geometries[j])) continue;
      const double len = geom::length(geom::intersection(geometries[i], geometries[j]));
      if (len > 0.0) problem.adjacency.push_back({static_cast<int>(i), static_cast<int>(j), len});
    }
  }
  // Targets.
  problem.targets = allocation_targets(s, plan);
  problem.params.time_limit_s = s.get_real("alloc.time_limit_s");
  problem.params.relative_gap = s.get_real("alloc.gap_pct") / 100.0;
  problem.params.neighbour_bonus_per_m = s.get_real("alloc.neighbour_bonus_per_m");
  problem.params.threads = 1;

  const alloc::AllocationResult r = alloc::allocate(problem);
  for (const auto& pr : r.problems) problems.report(pr);
  auto& sum = out.summary;
  sum.status = std::string(alloc::to_string(r.status));
  sum.objective = r.objective;
  sum.best_bound = r.best_bound;
  sum.gap_pct = r.gap_pct;
  sum.solve_seconds = r.solve_seconds;
  for (const auto& c : r.constraints) {
    sum.constraints.push_back({c.name, std::string(alloc::to_string(c.kind)), c.unit, c.lhs, c.rhs, c.slack,
                               c.shadow_price, c.binding});
  }
  for (const auto& rel : r.diagnosis.relaxations) sum.diagnosis.push_back(rel.message);
  if (!r.diagnosis.summary.empty()) sum.diagnosis.push_back(r.diagnosis.summary);
  out.options = problem.options;
  out.option = r.option;
  out.score.assign(plan.parcels.size(), 0.0);
  if (!r.option.empty()) {
    double health_m2 = 0.0;
    for (std::size_t i = 0; i < r.option.size(); ++i) {
      const int u = r.option[i];
      if (u < 0) continue;
      out.score[i] = problem.parcels[i].score[static_cast<std::size_t>(u)];
      if (problem.options[static_cast<std::size_t>(u)].health_industry) health_m2 += problem.parcels[i].area_m2;
    }
    out.health_mu = units::m2_to_mu(health_m2);
  }
  return out;
}

// ---- library versions -------------------------------------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> library_versions() {
  auto out = io::library_versions();
  out.emplace_back("CBC", CBC_VERSION);
  const std::string tbb = TBB_runtime_version();
  out.emplace_back("oneTBB", tbb);
  out.emplace_back("Eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION));
  return out;
}

// What the simulation needs and what the stages after it read: stages 1-5 of run_scenario (plan, grid, suitability,
// demand, simulation input), shared by run_scenario and run_ensemble so that both simulate the same input.
struct Prepared {
  explicit Prepared(scenario::Scenario scenario) : s(std::move(scenario)) {}
  scenario::Scenario s;  // with the RunOptions overrides applied (by prepare)
  plan::Accounting accounting;
  PlanGrids grids;
  Classes classes;
  Zones zones;
  Demand demand;
  std::vector<grid::Grid<std::uint8_t>> final_suitability;
  sim::SimulationInput in;
  sim::Params params;
};

// outputs.key_years, checked against the run's years (DEFAULT start, middle, end), sorted and unique.
std::vector<int> key_years_of(const scenario::Scenario& s, int start, int end) {
  std::vector<int> key_years;
  for (auto y : s.get_int_list("outputs.key_years")) {
    if (y < start || y > end) {
      config_error(s, "outputs.key_years", fmt::format("{} is outside the run's years {}..{}", y, start, end));
    }
    key_years.push_back(static_cast<int>(y));
  }
  if (key_years.empty()) key_years = {start, start + (end - start) / 2, end};
  std::sort(key_years.begin(), key_years.end());
  key_years.erase(std::unique(key_years.begin(), key_years.end()), key_years.end());
  return key_years;
}

// Runs stages 1-5 into `prepared` (whose scenario it first overrides with `options`), filling the run's identity, plan, grid and classes in `result`. Progress 0..0.3.
void prepare(const RunOptions& options, report::RunResult& result, ProblemReporter& problems, Prepared& prepared) {
  const Progress& progress = options.progress;
  scenario::Scenario& s = prepared.s;
  if (options.seed) s.set("seed", static_cast<std::int64_t>(*options.seed));
  if (options.runs) s.set("runs", static_cast<std::int64_t>(*options.runs));
  if (options.threads) s.set("threads", static_cast<std::int64_t>(*options.threads));
  result.scenario_name = s.name();
  result.question = s.get_text("question");
  result.description = s.get_text("description");
  result.effective_scenario_toml = s.to_toml();
  for (const auto& f : s.files()) result.input_files.push_back(f.string());
  result.seed = static_cast<std::uint64_t>(s.get_int("seed"));
  result.runs = static_cast<int>(s.get_int("runs"));
  const int threads_wanted = static_cast<int>(s.get_int("threads"));
  result.threads = threads_wanted > 0 ? threads_wanted : tbb::info::default_concurrency();
  result.start_year = static_cast<int>(s.get_int("years.start"));
  result.end_year = static_cast<int>(s.get_int("years.end"));
  const int start = result.start_year;
  const int end = result.end_year;
  if (end <= start) config_error(s, "years.end", "the run needs at least one simulated year after years.start");
  result.library_versions = library_versions();

  // 1. Plan.
  progress.check(0.0, "loading the plan");
  plan::FieldMapping mapping;
  if (const auto m = s.get_path("geodata.mapping"); !m.empty()) {
    mapping = scenario::load_mapping(m);
    result.input_files.push_back(m.string());
  }
  if (const auto crs = s.get_text("geodata.crs"); !crs.empty()) mapping.assume_crs = crs;
  const fs::path dataset = s.get_path("geodata.path");
  result.input_files.push_back(dataset.string());
  result.plan = plan::load_plan(dataset, mapping, problems, {}, progress.sub(0.0, 0.1));
  plan::Plan& plan = result.plan;
  prepared.accounting = plan::account(plan);
  apply_infrastructure(s, plan, problems);

  // 2. Grid.
  progress.check(0.1, "rasterising the plan");
  GridChoice choice;
  choice.extent = s.get_text("grid.extent");
  choice.cell_size_m = s.get_real("grid.cell_size_m");
  choice.park_margin_m = s.get_real("grid.park_margin_m");
  choice.corridor_margin_m = s.get_real("grid.corridor_margin_m");
  choice.max_cells = s.get_int("grid.max_cells");
  result.grid = choose_grid(plan, choice);
  prepared.grids = rasterize_plan(plan, result.grid, choice.extent == "corridor", problems);
  const PlanGrids& grids = prepared.grids;
  prepared.classes = make_classes(plan, sim_class_names(dataset, mapping), s);
  const Classes& classes = prepared.classes;
  result.classes = classes.info;
  const int K = classes.count;
  for (std::int64_t i = 0; i < grids.classes.size(); ++i) {
    if (grids.classes[i] != 255 && grids.classes[i] >= K) {
      throw Error(ErrorCode::internal, "a rasterised class is outside the class table");
    }
  }
  Zones& zones = prepared.zones;
  for (const auto& z : plan.zones) zones.ids.push_back(z.id);
  zones.ids.push_back(kOutsideZone);

  std::vector<int> opening(plan.phases.size(), start);
  for (const auto& key : s.child_keys("phases.open_year")) {
    const plan::Phase* ph = plan.find_phase(key);
    if (!ph) config_error(s, "phases.open_year." + key, fmt::format("no phase '{}' in the plan", key));
    opening[static_cast<std::size_t>(ph - plan.phases.data())] = static_cast<int>(s.get_int("phases.open_year." + key));
  }

  // Threads: one arena for every parallel stage, so the scenario's thread count holds throughout.
  tbb::task_arena arena(result.threads);

  // 3. Drivers and suitability.
  progress.check(0.2, "fitting suitability");
  std::vector<std::string> driver_names = s.get_text_list("suitability.drivers");
  if (driver_names.empty()) driver_names = kAllDrivers;
  if (s.get_text("suitability.mode") == "given") {
    // Every driver the given coefficients name (a calibration fragment may name dist_class_<class>_m).
    for (const auto& key : s.child_keys("suitability.coefficients")) {
      for (const auto& d : s.child_keys("suitability.coefficients." + key)) {
        if (d == "intercept" || std::find(driver_names.begin(), driver_names.end(), d) != driver_names.end()) continue;
        if (std::find(kAllDrivers.begin(), kAllDrivers.end(), d) == kAllDrivers.end() &&
            class_distance_driver(d, classes) < 0) {
          config_error(s, "suitability.coefficients." + key + "." + d,
                       fmt::format("no driver '{}'; drivers: {}, or dist_class_<class>_m with a simulation class "
                                   "(e.g. dist_class_{}_m)",
                                   d, fmt::join(kAllDrivers, ", "), classes.info.front().key));
        }
        driver_names.push_back(d);
      }
    }
  }
  const DriverBuilder drivers(plan, grids, classes, driver_names, s.get_real("suitability.max_distance_m"));
  const grid::Grid<float> factor =
      priority_factor(plan, grids, s.get_text("suitability.priority_tier"), s.get_real("suitability.priority_bonus"),
                      s.get_real("suitability.priority_radius_m"));
  sim::SimulationInput& in = prepared.in;
  Suitability suit;
  std::vector<grid::Grid<std::uint8_t>>& final_suitability = prepared.final_suitability;
  arena.execute([&] {
    const model::DriverSet set = drivers.build(start);
    for (std::size_t d = 0; d < set.size(); ++d) result.drivers.push_back({set.names()[d], set.unit(d), set.values(d)});
    suit = make_suitability(s, classes, grids, set, result.seed, problems);
    in.suitability = suitability_grids(suit, set, grids, factor);
    final_suitability = in.suitability;
    auto state = drivers.state(start);
    for (int y = start + 1; y <= end; ++y) {
      auto next = drivers.state(y);
      if (next == state) continue;
      state = std::move(next);
      const model::DriverSet year_set = drivers.build(y);
      auto grids_y = suitability_grids(suit, year_set, grids, factor);
      for (int k = 0; k < K; ++k) {
        if (!suit.models[static_cast<std::size_t>(k)]) continue;
        in.suitability_events.push_back({y, k, grids_y[static_cast<std::size_t>(k)]});
      }
      final_suitability = std::move(grids_y);
      problems.report(Severity::info, "suitability.event",
                      fmt::format("infrastructure opening in {}: suitability recomputed", y), Context{.key = "infrastructure"});
    }
  });

  // 4. Demand.
  progress.check(0.3, "land demand");
  prepared.demand = make_demand(s, plan, classes, zones, grids, opening, start, end, problems);
  const Demand& demand = prepared.demand;

  // 5. Simulation.
  in.initial_classes = grids.classes;
  in.class_count = K;
  for (const auto& c : classes.info) in.class_names.push_back(c.key);
  in.built_classes = classes.built;
  // Cells of non-developable classes (green, roads) never change either; marking them constrained also keeps them
  // out of a phase's "developable cells" when its fill-up is measured.
  in.constraint = grids.constraint;
  for (std::int64_t i = 0; i < in.constraint.size(); ++i) {
    const auto k = grids.classes[i];
    if (k != 255 && !classes.built[k] && !classes.source[k]) in.constraint[i] = 1;
  }
  in.phase = grids.phase;
  in.phase_opening_year = opening;
  in.zone = grids.zone;
  in.zone_count = zones.count();
  in.conversion.assign(static_cast<std::size_t>(K * K), sim::ConversionRule{false, 1.0});
  for (int from = 0; from < K; ++from) {
    for (int to = 0; to < K; ++to) {
      if (classes.source[static_cast<std::size_t>(from)] && classes.built[static_cast<std::size_t>(to)]) {
        in.conversion[static_cast<std::size_t>(from * K + to)].allowed = true;
      }
    }
  }
  in.start_year = start;
  in.demand = demand.years;
  in.demand_by_zone = demand.by_zone;
  for (int y = start + 1; y <= end; ++y) in.output_years.push_back(y);
  in.layer = "simulation";
  prepared.params = sim_params(s);
}

}  // namespace

report::RunResult run_scenario(const scenario::Scenario& input_scenario, const RunOptions& options) {
  const Progress& progress = options.progress;
  report::RunResult result;
  ProblemReporter problems;
  Prepared prepared(input_scenario);
  prepare(options, result, problems, prepared);
  const scenario::Scenario& s = prepared.s;
  const plan::Plan& plan = result.plan;
  const plan::Accounting& accounting = prepared.accounting;
  const PlanGrids& grids = prepared.grids;
  const Classes& classes = prepared.classes;
  const Zones& zones = prepared.zones;
  const Demand& demand = prepared.demand;
  const std::vector<grid::Grid<std::uint8_t>>& final_suitability = prepared.final_suitability;
  const sim::SimulationInput& in = prepared.in;
  const sim::Params& params = prepared.params;
  const int start = result.start_year;
  const int end = result.end_year;
  const int K = classes.count;
  tbb::task_arena arena(result.threads);

  sim::SimulationResult run0;
  std::optional<sim::EnsembleResult> ensemble;
  arena.execute([&] {
    run0 = sim::simulate(in, params, result.seed, 0, progress.sub(0.3, result.runs > 1 ? 0.45 : 0.85));
    if (result.runs > 1) {
      ensemble = sim::run_ensemble(in, params, result.seed, 0, static_cast<std::uint64_t>(result.runs), result.threads,
                                   progress.sub(0.45, 0.85));
    }
  });
  for (const auto& p : run0.problems) problems.report(p);
  if (ensemble) {
    // Run 0's findings are already reported; the other runs' are summarised per run.
    for (const auto& p : ensemble->problems) {
      if (!starts_with(p.message, "run 0: ")) problems.report(p);
    }
  }

  // Key years and class maps.
  const std::vector<int> key_years = key_years_of(s, start, end);
  result.key_years = key_years;
  auto map_of = [&](int year) -> const grid::Grid<std::uint8_t>& {
    if (year == start) return grids.classes;
    for (const auto& [y, m] : run0.year_maps) {
      if (y == year) return m;
    }
    throw Error(ErrorCode::internal, fmt::format("no class map of {}", year));
  };
  // Every simulated year's map: the bundle writes a raster per year, Python reads any year; the report shows the
  // key years only.
  result.class_maps.emplace_back(start, grids.classes);
  for (int y = start + 1; y <= end; ++y) result.class_maps.emplace_back(y, map_of(y));

  // Areas per year, zone and class.
  const double cell_m2 = result.grid.cell_area_m2();
  const int Z = zones.count();
  auto zone_name = [&](int z) { return z == Z - 1 ? std::string() : zones.ids[static_cast<std::size_t>(z)]; };
  std::vector<std::pair<int, std::vector<std::int64_t>>> counts;
  counts.emplace_back(start, bucket_counts(grids.classes, grids.zone, Z, K));
  for (const auto& rec : run0.years) counts.emplace_back(rec.year, rec.cells);
  for (const auto& [year, c] : counts) {
    for (int z = 0; z < Z; ++z) {
      for (int k = 0; k < K; ++k) {
        result.areas.push_back({year, zone_name(z), k, static_cast<double>(c[static_cast<std::size_t>(z * K + k)]) * cell_m2});
      }
    }
  }
  for (std::size_t p = 0; p < plan.phases.size(); ++p) {
    const int y = p < run0.phase_full_year.size() ? run0.phase_full_year[p] : sim::not_filled;
    result.phase_fillup_year[plan.phases[p].id] = y == sim::not_filled ? -1 : y;
  }

  // Ensemble summary.
  std::vector<double> built_probability;  // per cell, ensemble
  if (ensemble) {
    report::EnsembleSummary e;
    e.runs = static_cast<int>(ensemble->runs);
    e.first_run = static_cast<int>(ensemble->first_run);
    built_probability.assign(static_cast<std::size_t>(result.grid.cell_count()), 0.0);
    for (int k = 0; k < K; ++k) {
      grid::Grid<float> prob = ensemble->probability_grid(k);
      for (std::int64_t i = 0; i < prob.size(); ++i) {
        if (grids.study[i] == 0) {
          prob[i] = std::numeric_limits<float>::quiet_NaN();
        } else if (classes.built[static_cast<std::size_t>(k)]) {
          built_probability[static_cast<std::size_t>(i)] += ensemble->probability(k, i);
        }
      }
      e.probability.push_back(std::move(prob));
    }
    for (std::size_t p = 0; p < plan.phases.size(); ++p) {
      std::vector<int> years;
      for (const auto& run : ensemble->phase_full_year) {
        const int y = p < run.size() ? run[p] : sim::not_filled;
        years.push_back(y == sim::not_filled ? -1 : y);
      }
      e.fillup_years.emplace_back(plan.phases[p].id, std::move(years));
    }
    result.ensemble = std::move(e);
  }

  // 6. Parcels.
  progress.check(0.85, "parcels");
  const auto cells = parcel_cells(grids, plan.parcels.size());
  std::vector<double> development_probability(plan.parcels.size(), 0.0);
  result.parcels.resize(plan.parcels.size());
  for (std::size_t i = 0; i < plan.parcels.size(); ++i) {
    const auto& p = plan.parcels[i];
    auto& r = result.parcels[i];
    const auto& own = cells[i];
    if (own.empty()) {
      r.developed_year = p.status == plan::DevelopmentStatus::built ? start : -1;
      r.developed_share_end = r.developed_year == start ? 1.0 : 0.0;
      r.development_probability = r.developed_share_end;
      development_probability[i] = r.development_probability;
      continue;
    }
    if (built_share(grids.classes, own, classes) > 0.5) {
      r.developed_year = start;
    } else {
      for (const auto& [y, m] : run0.year_maps) {
        if (built_share(m, own, classes) > 0.5) {
          r.developed_year = y;
          break;
        }
      }
    }
    std::vector<std::int64_t> tally(static_cast<std::size_t>(K), 0);
    for (auto c : own) {
      if (run0.final_classes[c] != 255) ++tally[run0.final_classes[c]];
    }
    r.sim_class_end = static_cast<int>(std::max_element(tally.begin(), tally.end()) - tally.begin());
    if (ensemble) {
      double sum = 0.0;
      for (auto c : own) sum += built_probability[static_cast<std::size_t>(c)];
      r.developed_share_end = sum / static_cast<double>(own.size());
      r.development_probability = r.developed_share_end;
    } else {
      r.developed_share_end = built_share(run0.final_classes, own, classes);
      r.development_probability = r.developed_share_end > 0.5 ? 1.0 : 0.0;
    }
    development_probability[i] = r.development_probability;
  }

  // 7. Allocation.
  std::optional<double> health_mu;
  if (s.get_bool("alloc.enabled")) {
    progress.check(0.87, "allocating parcels");
    AllocationOut a = run_allocation(s, plan, classes, cells, result.grid, final_suitability, development_probability,
                                     problems);
    for (std::size_t i = 0; i < a.option.size(); ++i) {
      const int u = a.option[i];
      if (u < 0) continue;
      auto& r = result.parcels[i];
      const auto& o = a.options[static_cast<std::size_t>(u)];
      r.alloc_zone = o.zone;
      r.alloc_landuse = o.landuse;
      const auto& p = plan.parcels[i];
      r.alloc_kept = (p.status == plan::DevelopmentStatus::built ||
                      p.status == plan::DevelopmentStatus::under_construction) &&
                     p.zone == o.zone && p.landuse == o.landuse;
      r.alloc_year = r.developed_year;
      r.alloc_score = a.score[i];
    }
    health_mu = a.health_mu;
    result.allocation = std::move(a.summary);
  }

  // 8. Indicators.
  progress.check(0.97, "indicators");
  metrics::ComplianceInput ci;
  for (const auto& ph : plan.phases) {
    ci.plan_total_m2 += ph.area_m2;
    if (!plan::is_expansion(ph.id)) ci.phase12_m2 += ph.area_m2;
    if (ph.id == "3") ci.phase3_m2 += ph.area_m2;
  }
  if (plan.phases.empty()) ci.plan_total_m2 = accounting.parcels_m2;
  const bool has_ftz = !plan.ftz.empty();
  std::vector<std::vector<double>> zone_dev(static_cast<std::size_t>(Z));
  for (std::size_t t = 0; t < counts.size(); ++t) {
    const auto& [year, c] = counts[t];
    ci.years.push_back(year);
    double dev = 0.0;
    for (int z = 0; z < Z; ++z) {
      double zdev = 0.0;
      for (int k = 0; k < K; ++k) {
        if (classes.built[static_cast<std::size_t>(k)]) zdev += static_cast<double>(c[static_cast<std::size_t>(z * K + k)]) * cell_m2;
      }
      zone_dev[static_cast<std::size_t>(z)].push_back(zdev);
      dev += zdev;
    }
    ci.developed_m2.push_back(dev);
    if (has_ftz) {
      const auto& m = map_of(year);
      std::int64_t n = 0;
      for (std::int64_t i = 0; i < m.size(); ++i) {
        if (grids.ftz[i] != 0 && m[i] != 255 && classes.built[m[i]]) ++n;
      }
      ci.ftz_developed_m2.push_back(static_cast<double>(n) * cell_m2);
    }
    double unmet = 0.0;
    if (t > 0) {
      unmet = demand.capacity_cut_m2[t - 1];
      for (auto u : run0.years[t - 1].unmet_cells) unmet += static_cast<double>(u) * cell_m2;
    }
    ci.unmet_demand_m2.push_back(unmet);
  }
  for (int z = 0; z < Z - 1; ++z) ci.zone_developed_m2.emplace_back(zones.ids[static_cast<std::size_t>(z)], zone_dev[static_cast<std::size_t>(z)]);
  ci.health_industry_mu = health_mu;
  if (result.allocation && s.get_real("alloc.min_health_industry_mu") > 0.0) {
    ci.health_industry_target_mu = s.get_real("alloc.min_health_industry_mu");
  }
  if (result.allocation && (result.allocation->status == "optimal" || result.allocation->status == "feasible")) {
    ci.alloc_gap_pct = result.allocation->gap_pct;
  }
  if (auto it = result.phase_fillup_year.find("3"); it != result.phase_fillup_year.end()) {
    ci.fillup_year_phase3 = it->second;
  }
  for (auto& row : metrics::plan_compliance(ci)) {
    result.indicators.push_back({result.scenario_name, row.year, std::move(row.id), std::move(row.label_zh),
                                 std::move(row.label_en), std::move(row.unit), row.value});
  }

  result.problems = problems.sorted();
  progress.check(1.0, "done");
  return result;
}

std::vector<Problem> check_scenario(const scenario::Scenario& scenario, const RunOptions& options) {
  report::RunResult result;
  ProblemReporter problems;
  Prepared prepared(scenario);
  prepare(options, result, problems, prepared);
  key_years_of(prepared.s, result.start_year, result.end_year);
  prepared.in.validate();
  prepared.params.validate(prepared.in.class_count);
  if (prepared.s.get_bool("alloc.enabled")) allocation_targets(prepared.s, result.plan);
  return problems.sorted();
}

EnsembleRun run_ensemble(const scenario::Scenario& scenario, std::uint64_t first_run, const RunOptions& options) {
  report::RunResult result;
  ProblemReporter problems;
  Prepared prepared(scenario);
  prepare(options, result, problems, prepared);
  EnsembleRun out;
  tbb::task_arena arena(result.threads);
  arena.execute([&] {
    out.ensemble = sim::run_ensemble(prepared.in, prepared.params, result.seed, first_run,
                                     static_cast<std::uint64_t>(result.runs), result.threads,
                                     options.progress.sub(0.3, 1.0));
  });
  out.study = prepared.grids.study;
  out.classes = std::move(result.classes);
  for (const auto& ph : result.plan.phases) out.phase_ids.push_back(ph.id);
  out.problems = problems.sorted();
  options.progress.check(1.0, "done");
  return out;
}

}  // namespace parksim::pipeline
