#include "scenario/inputs.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace parksim::scenario {

namespace {

std::optional<int> year_of(const std::string& key) {
  try {
    std::size_t used = 0;
    const int year = std::stoi(key, &used);
    if (used == key.size()) return year;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

study::MaskSource mask_source(const Scenario& s, const std::string& key) {
  study::MaskSource m;
  m.path = s.get_path(key);
  m.layer = s.get_text(key + "_layer");
  m.where = s.context(key);
  return m;
}

// The values of a [<table>.<key>] "<year>" = value table, keys and years in order.
std::vector<model::DemandSpec::YearValue> year_values(const Scenario& s, const std::string& table) {
  std::vector<model::DemandSpec::YearValue> out;
  for (const auto& k : s.child_keys(table)) {
    for (const auto& y : s.child_keys(table + "." + k)) {
      const std::string key = table + "." + k + "." + y;
      const auto year = year_of(y);
      if (!year) throw Error(ErrorCode::config, "the key must be a year", s.context(key));
      out.push_back({k, *year, s.get_real(key), s.context(key)});
    }
  }
  return out;
}

}  // namespace

study::StudySpec study_spec(const Scenario& s) {
  study::StudySpec spec;
  for (const auto& y : s.child_keys("study.maps")) {
    const std::string key = "study.maps." + y;
    const auto year = year_of(y);
    if (!year) throw Error(ErrorCode::config, "the key of a map must be its year, e.g. 1991 = \"lu_1991.tif\"", s.context(key));
    if (*year < 1000 || *year > 3000) {
      throw Error(ErrorCode::config, fmt::format("must be between 1000 and 3000, got {}", *year), s.context(key));
    }
    spec.maps.push_back({*year, s.get_path(key), s.context(key)});
  }
  for (const auto& c : s.child_keys("classes.codes")) {
    const std::string key = "classes.codes." + c;
    const auto code = year_of(c);
    if (!code) throw Error(ErrorCode::config, "the key of a class must be its code, e.g. 2 = { key = \"built\" }", s.context(key));
    study::ClassDeclaration d;
    d.code = *code;
    d.where = s.context(key);
    if (s.has(key + ".key")) d.key = s.get_text(key + ".key");
    if (s.has(key + ".name_en")) d.name_en = s.get_text(key + ".name_en");
    if (s.has(key + ".name_zh")) d.name_zh = s.get_text(key + ".name_zh");
    if (s.has(key + ".colour")) d.colour = s.get_text(key + ".colour");
    if (s.has(key + ".built")) d.built = s.get_bool(key + ".built");
    if (s.has(key + ".fixed")) d.fixed = s.get_bool(key + ".fixed");
    spec.classes.push_back(std::move(d));
  }
  spec.class_table = s.get_path("classes.file");
  spec.class_table_where = s.context("classes.file");
  if (s.has("classes.built")) spec.built = s.get_text_list("classes.built");
  spec.built_where = s.context("classes.built");
  if (!s.get_path("study.mask").empty()) spec.mask = mask_source(s, "study.mask");
  if (!s.get_path("study.exclusion").empty()) spec.exclusion = mask_source(s, "study.exclusion");
  study::GridChoice& g = spec.grid;
  g.extent = s.get_text("grid.extent");
  g.map_year = static_cast<int>(s.get_int("grid.map_year"));
  g.cell_size_m = s.get_real("grid.cell_size_m");
  g.cell_height_m = s.get_real("grid.cell_height_m");
  g.origin_x = s.get_real("grid.origin_x");
  g.origin_y = s.get_real("grid.origin_y");
  g.cols = static_cast<int>(s.get_int("grid.cols"));
  g.rows = static_cast<int>(s.get_int("grid.rows"));
  g.crs = s.get_text("grid.crs");
  g.park_margin_m = s.get_real("grid.park_margin_m");
  g.corridor_margin_m = s.get_real("grid.corridor_margin_m");
  g.max_cells = s.get_int("grid.max_cells");
  g.where = s.context("grid.extent");
  if (s.has("years.start")) spec.start_year = static_cast<int>(s.get_int("years.start"));
  spec.start_where = s.context("years.start");
  return spec;
}

std::vector<study::DriverSpec> driver_specs(const Scenario& s) {
  std::vector<study::DriverSpec> out;
  for (const auto& name : s.child_keys("drivers")) {
    const std::string key = "drivers." + name;
    study::DriverSpec d;
    d.name = name;
    d.where_declared = s.context(key);
    if (!s.has(key + ".kind")) {
      throw Error(ErrorCode::config, "a driver needs a kind (distance, value, category or density)", s.context(key));
    }
    d.kind = study::driver_kind_from(s.get_text(key + ".kind"), s.context(key + ".kind"));
    const auto by_year = s.child_keys(key + ".source");
    if (!by_year.empty()) {
      for (const auto& y : by_year) {
        const auto year = year_of(y);
        if (!year) {
          throw Error(ErrorCode::config, "keys of a source table are years, e.g. 1970 = \"roads_1970.tif\"",
                      s.context(key + ".source." + y));
        }
        study::DriverSource src;
        src.from_year = *year;
        src.path = s.get_path(key + ".source." + y);
        d.sources.push_back(std::move(src));
      }
    } else if (s.has(key + ".source")) {
      study::DriverSource src;
      src.path = s.get_path(key + ".source");
      d.sources.push_back(std::move(src));
    }
    if (s.has(key + ".layer")) d.layer = s.get_text(key + ".layer");
    if (s.has(key + ".where")) d.where = s.get_text(key + ".where");
    if (s.has(key + ".classes")) d.classes = s.get_text_list(key + ".classes");
    if (s.has(key + ".built")) d.built_classes = s.get_bool(key + ".built");
    if (s.has(key + ".every_year")) d.every_year = s.get_bool(key + ".every_year");
    if (s.has(key + ".field")) d.field = s.get_text(key + ".field");
    if (s.has(key + ".opens_field")) d.opens_field = s.get_text(key + ".opens_field");
    if (s.has(key + ".outside")) d.outside = s.get_real(key + ".outside");
    if (s.has(key + ".smallest_wins")) d.smallest_wins = s.get_bool(key + ".smallest_wins");
    if (s.has(key + ".radius_m")) d.radius_m = s.get_real(key + ".radius_m");
    if (s.has(key + ".cap")) d.cap = s.get_real(key + ".cap");
    if (s.has(key + ".transform")) d.transform = study::driver_transform_from(s.get_text(key + ".transform"), s.context(key + ".transform"));
    if (s.has(key + ".length_m")) d.length_m = s.get_real(key + ".length_m");
    if (s.has(key + ".unit")) d.unit = s.get_text(key + ".unit");
    out.push_back(std::move(d));
  }
  return out;
}

model::SuitabilitySpec suitability_spec(const Scenario& s, std::uint64_t seed) {
  model::SuitabilitySpec spec;
  spec.mode = s.get_text("suitability.mode");
  spec.sample_cells = s.get_int("suitability.sample_cells");
  spec.l2_lambda = s.get_real("suitability.l2_lambda");
  spec.seed = seed;
  spec.where = s.context("suitability.mode");
  spec.prior_intercept = s.get_real("suitability.prior_intercept");
  for (const auto& d : s.child_keys("suitability.prior")) {
    const std::string full = "suitability.prior." + d;
    if (!s.has(full + ".weight")) {
      throw Error(ErrorCode::config, fmt::format("[{}] needs weight = <per sd> and source = \"...\"", full),
                  s.context(full));
    }
    spec.prior.push_back({d, s.get_real(full + ".weight"),
                          s.has(full + ".source") ? s.get_text(full + ".source") : std::string(),
                          s.context(full + ".weight")});
  }
  if (spec.mode == "given") {
    for (const auto& key : s.child_keys("suitability.coefficients")) {
      model::SuitabilitySpec::Given g;
      g.class_key = key;
      g.where = s.context("suitability.coefficients." + key);
      for (const auto& d : s.child_keys("suitability.coefficients." + key)) {
        const std::string full = "suitability.coefficients." + key + "." + d;
        if (d == "intercept") {
          g.intercept = s.get_real(full);
        } else {
          g.coefficients.emplace_back(d, s.get_real(full));
        }
      }
      spec.given.push_back(std::move(g));
    }
    for (const auto& key : s.child_keys("suitability.model_files")) {
      const std::string full = "suitability.model_files." + key;
      auto it = std::find_if(spec.given.begin(), spec.given.end(),
                             [&](const model::SuitabilitySpec::Given& g) { return g.class_key == key; });
      if (it != spec.given.end() && !it->coefficients.empty()) {
        throw Error(ErrorCode::config, "a class has coefficients or a model file, not both", s.context(full));
      }
      if (it == spec.given.end()) {
        spec.given.push_back({});
        it = spec.given.end() - 1;
        it->class_key = key;
      }
      it->model_file = s.get_path(full);
      it->where = s.context(full);
    }
  }
  return spec;
}


model::DemandSpec demand_spec(const Scenario& s) {
  model::DemandSpec d;
  d.method = s.get_text("demand.method");
  d.method_where = s.context("demand.method");
  d.by_zone = s.get_bool("demand.by_zone");
  d.capacity.carry_forward = s.get_bool("demand.carry_forward");
  d.base_enterprises = s.get_real("demand.base_enterprises");
  d.growth_rate = s.get_real("demand.enterprise_growth_rate");
  d.enterprise.floor_area_per_enterprise_m2 = s.get_real("demand.floor_area_per_enterprise_m2");
  d.enterprise.floor_area_ratio = s.get_real("demand.floor_area_ratio");
  d.enterprise.net_site_share = s.get_real("demand.net_site_share");
  for (const auto& z : s.child_keys("demand.zone_share")) {
    d.zone_shares.emplace_back(z, s.get_real("demand.zone_share." + z));
    d.zone_share_where.push_back(s.context("demand.zone_share." + z));
  }
  d.zone_share_table_where = s.context("demand.zone_share");
  for (const auto& z : s.child_keys("demand.class_share")) {
    auto& shares = d.class_shares[z];
    for (const auto& c : s.child_keys("demand.class_share." + z)) {
      shares.emplace_back(c, s.get_real("demand.class_share." + z + "." + c));
    }
    d.class_share_where[z] = s.context("demand.class_share." + z);
  }
  d.target_year = static_cast<int>(s.get_int("demand.target_year"));
  d.target_year_where = s.context("demand.target_year");
  d.path.shape = s.get_text("demand.path") == "logistic" ? model::PathShape::logistic : model::PathShape::linear;
  d.path.logistic_steepness = s.get_real("demand.logistic_steepness");
  d.buildout_share = s.get_real("demand.buildout_share");
  d.table = year_values(s, "demand.table");
  d.table_where = s.context("demand.table");
  d.class_areas = year_values(s, "demand.class_area_km2");
  d.class_areas_where = s.context("demand.class_area_km2");
  d.previous_map = s.get_path("demand.previous_map");
  d.previous_year = static_cast<int>(s.get_int("demand.previous_year"));
  d.previous_where = s.context("demand.previous_map");
  return d;
}

sim::Params sim_params(const Scenario& s) {
  sim::Params p;
  p.neighbourhood_window = static_cast<int>(s.get_int("sim.neighbourhood_window"));
  p.neighbourhood_weight = s.get_real("sim.neighbourhood_weight");
  p.class_neighbourhood_weight = s.get_real_list("sim.class_neighbourhood_weight");
  p.inertia_adaptation = s.get_real("sim.inertia_adaptation");
  p.inertia_max = s.get_real("sim.inertia_max");
  p.patch_share = s.get_real("sim.patch_share");
  p.patch_size_mean_cells = s.get_real("sim.patch_size_mean_cells");
  p.patch_size_sd_cells = s.get_real("sim.patch_size_sd_cells");
  for (const std::int64_t v : s.get_int_list("sim.patch_sizes_cells")) p.patch_sizes_cells.push_back(static_cast<int>(v));
  p.patch_seed_tries = static_cast<int>(s.get_int("sim.patch_seed_tries"));
  p.selection_exponent = s.get_real("sim.selection_exponent");
  p.steps_per_year = static_cast<int>(s.get_int("sim.steps_per_year"));
  p.max_rounds = static_cast<int>(s.get_int("sim.max_rounds"));
  p.candidate_margin = s.get_real("sim.candidate_margin");
  p.phase_full_share = s.get_real("sim.phase_full_share");
  return p;
}

alloc::PlanAllocationSpec allocation_spec(const Scenario& s) {
  alloc::PlanAllocationSpec a;
  a.score_by_simulation = s.get_text("alloc.score") == "simulation";
  a.min_health_industry_mu = s.get_real("alloc.min_health_industry_mu");
  auto targets = [&](const std::string& section) {
    std::vector<alloc::PlanAllocationSpec::AreaTarget> out;
    for (const auto& id : s.child_keys(section)) out.push_back({id, s.get_real(section + "." + id), s.context(section + "." + id)});
    return out;
  };
  a.zone_min_km2 = targets("alloc.zone_min_km2");
  a.zone_max_km2 = targets("alloc.zone_max_km2");
  a.phase_max_km2 = targets("alloc.phase_max_km2");
  a.params.time_limit_s = s.get_real("alloc.time_limit_s");
  a.params.relative_gap = s.get_real("alloc.gap_pct") / 100.0;
  a.params.neighbour_bonus_per_m = s.get_real("alloc.neighbour_bonus_per_m");
  a.params.threads = 1;
  return a;
}

std::vector<study::Opening> infrastructure(const Scenario& s) {
  std::vector<study::Opening> out;
  const std::size_t n = s.array_size("infrastructure");
  for (std::size_t i = 0; i < n; ++i) {
    const std::string base = fmt::format("infrastructure[{}]", i);
    if (!s.has(base + ".year") || !s.has(base + ".layer")) {
      throw Error(ErrorCode::config, "needs year and layer", s.context(base));
    }
    study::Opening e;
    e.year = static_cast<int>(s.get_int(base + ".year"));
    e.layer = s.get_text(base + ".layer");
    e.where = s.has(base + ".where") ? s.get_text(base + ".where") : std::string();
    e.name = s.has(base + ".name") ? s.get_text(base + ".name") : e.where;
    e.context = s.context(base);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace parksim::scenario
