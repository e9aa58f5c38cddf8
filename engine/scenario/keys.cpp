// The keys of a scenario file. Module parameter tables join here (Schema::add_section) as modules land; the
// documentation in docs/scenario-format.md is generated from / checked against this list.
#include <limits>

#include "scenario/schema.hpp"

namespace parksim::scenario {

namespace {

KeySpec text(std::string key, std::string_view default_text, std::string_view description,
             std::string_view choices = {}) {
  KeySpec s{std::move(key), ValueKind::text, {}};
  s.info.default_text = default_text;
  s.info.description = description;
  s.info.kind = ParamKind::text;
  s.info.choices = choices;
  return s;
}

// A text key naming a file, resolved against the folder of the file that sets it.
KeySpec path(std::string key, std::string_view default_text, std::string_view description) {
  KeySpec s = text(std::move(key), default_text, description);
  s.path = true;
  return s;
}

KeySpec integer(std::string key, double default_value, double min, double max, std::string_view unit,
                std::string_view description) {
  KeySpec s{std::move(key), ValueKind::integer, {}};
  s.info.default_value = default_value;
  s.info.min = min;
  s.info.max = max;
  s.info.unit = unit;
  s.info.description = description;
  return s;
}

KeySpec real(std::string key, double default_value, double min, double max, std::string_view unit,
             std::string_view description) {
  KeySpec s = integer(std::move(key), default_value, min, max, unit, description);
  s.kind = ValueKind::real;
  return s;
}

KeySpec boolean(std::string key, bool default_value, std::string_view description) {
  KeySpec s{std::move(key), ValueKind::boolean, {}};
  s.info.default_value = default_value ? 1.0 : 0.0;
  s.info.description = description;
  return s;
}

KeySpec no_default(KeySpec s) {
  s.has_default = false;
  return s;
}

KeySpec real_list(std::string key, double min, double max, std::string_view unit, std::string_view description) {
  KeySpec s = real(std::move(key), 0, min, max, unit, description);
  s.kind = ValueKind::real_list;
  return s;
}

KeySpec integer_list(std::string key, double min, double max, std::string_view unit, std::string_view description) {
  KeySpec s = integer(std::move(key), min, min, max, unit, description);  // (the default of a list is empty)
  s.kind = ValueKind::integer_list;
  return s;
}

// The sections the scenario pipeline (engine/pipeline) reads. The [sim] and demand.* enterprise keys mirror
// sim::Params::info() and model::EnterpriseParams::info(); tests/unit/pipeline checks that they stay equal (the
// scenario module sits below neither, so it cannot call them).
void add_pipeline_sections(Schema& schema) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  // grid
  schema.add(real("grid.park_margin_m", 500, 0, 20000, "m", "margin around the phases' envelope (extent \"park\")"));
  schema.add(real("grid.corridor_margin_m", 2000, 0, 50000, "m",
                  "margin around the park, the zones and the corridor bases (extent \"corridor\"); the grid is "
                  "this box, its study area the park, the zones and the corridor band inside it"));
  schema.add(integer("grid.max_cells", 2000000, 1, 50000000, "cells",
                     "largest grid accepted; a larger one is a config error asking for a coarser cell size"));

  // classes
  KeySpec built{"classes.built", ValueKind::text_list, {}};
  built.has_default = false;
  built.info.description =
      "classes (keys) counted as developed land, replacing what the class table says; DEFAULT: a plan dataset's "
      "classes whose land-use codes are all developable and not agricultural/idle (national codes 01-06, 0703, "
      "23), or the classes declared built";
  schema.add(built);
  schema.add(path("classes.file", "",
                  "CSV class table (columns code, key, name_en, name_zh, built, fixed, colour); used when "
                  "[classes.codes] is absent"));
  schema.add(no_default(text("classes.codes.*.key", "", "key of the class with this code (letters, digits, _); "
                                                          "DEFAULT from its name, else class_<code>")));
  schema.add(no_default(text("classes.codes.*.name_en", "", "English name (DEFAULT: the raster's category name)")));
  schema.add(no_default(text("classes.codes.*.name_zh", "", "Chinese name")));
  schema.add(no_default(text("classes.codes.*.colour", "", "display colour #RRGGBB (DEFAULT: the raster's colour "
                                                             "table, else a fixed palette)")));
  schema.add(no_default(boolean("classes.codes.*.built", false, "developed land: grows with demand, never changes "
                                                                "back")));
  schema.add(no_default(boolean("classes.codes.*.fixed", false, "never changes and never grows (water, roads)")));

  // suitability
  schema.add(text("suitability.mode", "auto",
                  "auto: fit when the study has two or more land-use maps, else prior; fit: logistic regression of "
                  "where each class appeared between the two latest maps (balanced sample; one map is a config "
                  "error); prior: the weights of [suitability.prior.<driver>]; given: the coefficients below",
                  "auto,fit,prior,given"));
  schema.add(no_default(real("suitability.prior.*.weight", 0, -100, 100, "per sd",
                             "mode prior: weight of a driver per standard deviation over the study area at the start "
                             "year, the same for every built class (negative: nearer / smaller is more suitable)")));
  schema.add(no_default(text("suitability.prior.*.source", "",
                             "mode prior: where the weight comes from (a publication, a calibration), or "
                             "\"ASSUMPTION: why\"; required with each weight")));
  schema.add(real("suitability.prior_intercept", 0, -100, 100, "logit",
                  "mode prior: the logit of suitability at the drivers' study-area means"));
  schema.add(integer("suitability.sample_cells", 5000, 10, 1000000, "cells",
                     "training cells drawn from the class and from the other cells each (mode fit)"));
  schema.add(real("suitability.l2_lambda", 1e-4, 0, 1000, "", "ridge penalty of the logistic fit"));
  schema.add(real("suitability.max_distance_m", 10000, 1, 1.0e7, "m",
                  "distance drivers are capped here unless they set cap (also the value of a driver with no feature yet)"));
  schema.add(no_default(real("suitability.coefficients.*.*", 0, -inf, inf, "per driver unit",
                             "mode given: coefficient of a driver, of a hinge term \"driver>knot\" (max(0, driver - "
                             "knot)) or \"intercept\", for a class key, raw units")));
  schema.add(no_default(path("suitability.model_files.*", "",
                             "mode given: boosted trees (XGBoost JSON, as parksim calibrate writes) for a class key, "
                             "instead of coefficients")));
  KeySpec drivers{"suitability.drivers", ValueKind::text_list, {}};
  drivers.info.description = "drivers of the fit, in this order (empty: every declared driver, by name)";
  schema.add(drivers);

  // drivers declared as data
  schema.add(no_default(text("drivers.*.kind", "", "distance, value, category, density or share",
                             "distance,value,category,density,share")));
  schema.add(no_default(path("drivers.*.source", "",
                             "raster or vector file of the driver (or a table year = file: the file in effect from "
                             "that year)")));
  schema.add(no_default(path("drivers.*.source.*", "", "file in effect from the year of the key")));
  schema.add(no_default(text("drivers.*.layer", "",
                             "layer of the vector source, or without a source a layer of the plan dataset "
                             "(corridor, corridor_band, bases, stations, roads, constraints, ftz, zones, phases)")));
  schema.add(no_default(text("drivers.*.where", "", "filter of vector features, e.g. \"class = 'motorway' or name = 'Ring Road'\"")));
  KeySpec driver_classes{"drivers.*.classes", ValueKind::text_list, {}};
  driver_classes.has_default = false;
  driver_classes.info.description = "kinds distance and share: the cells of these classes (keys)";
  schema.add(driver_classes);
  schema.add(no_default(boolean("drivers.*.built", false, "kinds distance and share: the cells of every built class")));
  schema.add(no_default(boolean("drivers.*.every_year", true,
                                "class distances: measured on each simulated year's map (false: on the start map)")));
  schema.add(no_default(text("drivers.*.field", "", "category: the numeric attribute; density: a weight field")));
  schema.add(no_default(text("drivers.*.opens_field", "", "vector file sources: a feature counts from the year in this field")));
  schema.add(no_default(real("drivers.*.outside", 0, -inf, inf, "", "category: value outside every polygon "
                                                                     "(DEFAULT: the largest value + 1)")));
  schema.add(no_default(boolean("drivers.*.smallest_wins", true, "category: where polygons overlap, the smallest "
                                                                 "value wins (false: the largest)")));
  schema.add(no_default(real("drivers.*.radius_m", 1000, 0, 1.0e6, "m",
                             "density: kernel radius; share: half the side of the square window")));
  schema.add(no_default(real("drivers.*.cap", 0, -inf, inf, "", "values above are set to this (DEFAULT distance: "
                                                                "suitability.max_distance_m)")));
  schema.add(no_default(text("drivers.*.transform", "none", "none, log1p (log(1 + v)) or decay (exp(-v / length_m))",
                             "none,log1p,decay")));
  schema.add(no_default(real("drivers.*.length_m", 1000, 0, 1.0e7, "m", "decay length")));
  schema.add(no_default(text("drivers.*.unit", "", "unit label (DEFAULT m for distances, 1/km2 for densities)")));
  schema.add(text("suitability.priority_tier", "",
                  "corridor bases of this tier get a suitability bonus for built classes (empty: none)",
                  ",demonstration,acceleration,transformation"));
  schema.add(real("suitability.priority_bonus", 0, 0, 10, "",
                  "bonus b: suitability x (1 + b x max(0, 1 - d / radius)) near a priority base, capped at 1"));
  schema.add(real("suitability.priority_radius_m", 3000, 100, 50000, "m", "reach of the priority bonus"));

  // demand
  schema.add(text("demand.method", "enterprise",
                  "enterprise: enterprise growth x land per enterprise; plan_target: path to build-out by "
                  "target_year; table: demand.table; area trends of the study's maps (or previous_map and the start "
                  "map) per class: linear, exponential, logistic (saturating at the convertible land), markov (also "
                  "trend: the chain of the two latest maps), auto (chosen by a backtest on the last interval); "
                  "class_areas: each class's area given by year (demand.class_area_km2)",
                  "enterprise,plan_target,table,trend,linear,exponential,logistic,markov,auto,class_areas"));
  schema.add(boolean("demand.by_zone", true,
                     "demand per zone (zone growth) instead of per class over the grid (trend: always per class)"));
  KeySpec outside_only_in{"demand.outside_only_in", ValueKind::text_list, {}};
  outside_only_in.info.description =
      "candidate land: the declared regions (regions.<name>) in which land in no zone may develop, each measured "
      "with the drivers of the year (e.g. the corridor bases, and station areas that open with their station); the "
      "rest of the land in no zone never changes. Empty: plan studies without a land-cover base have no land-use "
      "data outside parcels, phases and zones (no data); other studies may develop any land in no zone";
  schema.add(outside_only_in);
  schema.add(boolean("demand.carry_forward", true,
                     "demand that finds no open land in a year (phase not open, zone full) waits for the next year; "
                     "false: it is dropped. Either way it is reported as unmet demand of that year"));
  schema.add(real("demand.base_enterprises", 1000, 1, 1.0e7, "enterprises",
                  "enterprises in the park at years.start (published: 1,000+ in 2025)"));
  schema.add(real("demand.enterprise_growth_rate", 0.08, -0.5, 2, "1/yr",
                  "yearly growth of the enterprise count (ASSUMPTION; published counts give 5.4 %/yr 2023-2025 "
                  "and 18.6 %/yr 2022-2025)"));
  schema.add(real("demand.floor_area_per_enterprise_m2", 2000.0, 1.0, 1e7, "m2",
                  "gross floor area occupied per enterprise (ASSUMPTION)"));
  schema.add(real("demand.floor_area_ratio", 1.5, 0.05, 20.0, "1",
                  "floor area ratio (plot ratio) of new industrial plots (ASSUMPTION)"));
  schema.add(real("demand.net_site_share", 0.6, 0.05, 1.0, "1",
                  "share of zone land that becomes building plots; land = floor / FAR / share (ASSUMPTION)"));
  schema.add(no_default(real("demand.zone_share.*", 0, 0, 1, "1",
                             "share of new demand per zone id (\"outside\" = cells in no zone); must sum to 1; "
                             "DEFAULT: the dataset's zone_share_<zone> targets, else equal shares")));
  schema.add(no_default(real("demand.class_share.*.*", 0, 0, 1, "1",
                             "share of a zone's demand per class key (zone.class); DEFAULT: the class mix of "
                             "the zone's built parcels, else of all built parcels of the expansion")));
  schema.add(integer("demand.target_year", 2035, 1000, 3000, "yr", "plan_target: year of build-out"));
  schema.add(text("demand.path", "linear", "plan_target: shape of the path", "linear,logistic"));
  schema.add(real("demand.logistic_steepness", 8.0, 0.1, 50.0, "1", "plan_target: steepness of the logistic path"));
  schema.add(real("demand.buildout_share", 1.0, 0, 1, "1",
                  "plan_target: share of a zone's convertible land developed by target_year"));
  schema.add(no_default(real("demand.class_area_km2.*.*", 0, 0.0, 1.0e7, "km2",
                             "class_areas: area of a class at the end of a year, key demand.class_area_km2.<class>."
                             "\"<year>\"; linear between the start map and the years given, constant after the last")));
  schema.add(no_default(real("demand.table.*.*", 0, -1.0e9, 1.0e9, "m2",
                             "table: new land of a zone (or \"outside\") in a year, key demand.table.<zone>.\"<year>\"")));
  schema.add(path("demand.previous_map", "",
                  "trend without two maps in the study: a class raster (the class table's codes) of previous_year on "
                  "the run's grid"));
  schema.add(integer("demand.previous_year", 2020, 1000, 3000, "yr", "trend: year of previous_map"));

  // sim (mirrors sim::Params::info())
  schema.add(integer("sim.neighbourhood_window", 3, 1, 15, "cells", "side of the square neighbourhood window (odd)"));
  schema.add(real("sim.neighbourhood_weight", 0.8, 0, 1, "",
                  "weight w of the neighbourhood factor (1 - w) + w * share of the class in the window"));
  schema.add(real_list("sim.class_neighbourhood_weight", 0, 1, "",
                       "optional list, one neighbourhood weight per class (overrides neighbourhood_weight)"));
  schema.add(real("sim.inertia_adaptation", 0.5, 0, 10, "",
                  "growth of the competition multiplier of a class still short of its demand after a round"));
  schema.add(real("sim.inertia_max", 8, 1, 1000, "", "upper bound of the adaptive competition multiplier"));
  schema.add(real("sim.patch_share", 0.1, 0, 1, "",
                  "share of each yearly demand placed as new patches away from existing ones"));
  schema.add(real("sim.patch_size_mean_cells", 12, 1, 1e6, "cells", "mean of the lognormal patch-size distribution"));
  schema.add(real("sim.patch_size_sd_cells", 8, 0, 1e6, "cells",
                  "standard deviation of the lognormal patch-size distribution"));
  schema.add(integer_list("sim.patch_sizes_cells", 1, 1e6, "cells",
                          "optional list of observed patch sizes; non-empty: patch sizes are drawn from it, not the "
                          "lognormal"));
  schema.add(integer("sim.patch_seed_tries", 200, 1, 1e6, "", "random seed-cell draws per wanted patch"));
  schema.add(real("sim.selection_exponent", 1, 1, 16, "",
                  "weights use suitability^selection_exponent: 1 = as given, larger = less random, most suitable first"));
  schema.add(integer("sim.steps_per_year", 1, 1, 100, "",
                     "automaton steps per year; the neighbourhood is updated between steps"));
  schema.add(integer("sim.max_rounds", 20, 1, 1000, "", "allocation rounds per year at most"));
  schema.add(real("sim.candidate_margin", 1.3, 1, 10, "", "oversampling factor of the candidate threshold of a round"));
  schema.add(real("sim.phase_full_share", 0.95, 0, 1, "",
                  "share of built developable cells at which a phase counts as full"));

  // alloc
  schema.add(boolean("alloc.enabled", true, "run the parcel allocation (MILP) after the simulation"));
  schema.add(text("alloc.score", "suitability",
                  "score of an option on a parcel: parcel-mean suitability of the option's class, or the "
                  "simulated development probability of the parcel",
                  "suitability,simulation"));
  schema.add(real("alloc.min_health_industry_mu", 3000, 0, 1.0e6, "mu",
                  "health-industry land the allocation must provide in the expansion (docs/decisions.md D7)"));
  schema.add(no_default(real("alloc.zone_min_km2.*", 0, 0, 1.0e4, "km2", "least area allocated to a zone")));
  schema.add(no_default(real("alloc.zone_max_km2.*", 0, 0, 1.0e4, "km2", "most area allocated to a zone")));
  schema.add(no_default(real("alloc.phase_max_km2.*", 0, 0, 1.0e4, "km2",
                             "most area (built included) allocated in a phase")));
  schema.add(real("alloc.time_limit_s", 30, 0.1, 86400, "s",
                  "wall-clock limit of the allocation (LP relaxation and search together)"));
  schema.add(real("alloc.gap_pct", 1.0, 0, 100, "%", "stop once the proven optimality gap is at most this"));
  schema.add(real("alloc.neighbour_bonus_per_m", 0.001, 0, 1000, "objective/m",
                  "bonus per metre of boundary shared by two parcels given options of the same zone"));
}

Schema build() {
  Schema schema;
  auto name = text("name", "", "label of the scenario (any text); the default output folder is out/<name> with every character but letters, digits, - _ . replaced by _");
  name.has_default = false;
  name.required = true;
  schema.add(name);
  schema.add(text("question", "", "the planning question this scenario answers (shown at the top of the report)"));
  schema.add(text("description", "", "longer free text"));
  schema.add(integer("seed", 1, 0, 9.0e15, "", "root seed of every random stream of the run"));
  schema.add(integer("runs", 1, 1, 100000, "", "number of Monte Carlo runs (1 = a single simulation)"));
  schema.add(integer("threads", 0, 0, 1024, "", "worker threads; 0 = all cores (results do not depend on it)"));

  schema.add(no_default(integer("years.start", 0, 1000, 3000, "yr",
                                 "year of the start state (DEFAULT: the year of the latest land-use map; a plan study "
                                 "must give it); the simulation runs start + 1 .. end")));
  schema.add(no_default(integer("years.end", 0, 1000, 3000, "yr",
                                "last simulated year, inclusive (required; `parksim run --end` may give it)")));

  schema.add(path("geodata.path", "",
                  "plan dataset (any GDAL vector source: parcels, phases, zones, corridor, stations, ...; empty: a "
                  "study of land-use maps alone); relative paths are relative to the file that sets it"));
  schema.add(path("geodata.mapping", "", "TOML field-mapping file for a user's own parcel data (empty: none)"));
  schema.add(text("geodata.crs", "",
                  "CRS to assume when the dataset has none, e.g. \"EPSG:4548\" (empty: refuse such data)"));

  schema.add(real("grid.cell_size_m", 30, 0.01, 1.0e5, "m",
                  "cell size (width) of the simulation grid for extents park, corridor and explicit"));
  schema.add(text("grid.extent", "auto",
                  "the simulation grid: map = the grid of a land-use map (grid.map_year); explicit = the grid.origin_x "
                  "... keys; park = the plan's phases; corridor = the park, the zones and the corridor bases; auto = "
                  "map when the study has land-use maps, else corridor",
                  "auto,map,explicit,park,corridor"));
  schema.add(integer("grid.map_year", 0, 0, 3000, "yr", "extent map: the year of the map whose grid is used (0: the latest)"));
  schema.add(real("grid.origin_x", 0, -1.0e9, 1.0e9, "m", "extent explicit: x of the grid's upper-left corner"));
  schema.add(real("grid.origin_y", 0, -1.0e9, 1.0e9, "m", "extent explicit: y of the grid's upper-left corner"));
  schema.add(integer("grid.cols", 0, 0, 1.0e6, "cells", "extent explicit: columns"));
  schema.add(integer("grid.rows", 0, 0, 1.0e6, "cells", "extent explicit: rows"));
  schema.add(real("grid.cell_height_m", 0, 0, 1.0e5, "m", "extent explicit: cell height (0: square cells)"));
  schema.add(text("grid.crs", "",
                  "extent explicit: the grid's CRS (\"EPSG:32650\", WKT, PROJ string); any extent: the CRS of "
                  "land-use rasters that have none"));

  // study: land-use maps by year, mask and exclusion
  schema.add(no_default(path("study.maps.*", "",
                             "land-use map of a year (key: the year, e.g. 1991 = \"lu_1991.tif\"; any GDAL raster of "
                             "integer class codes, nodata = no data); the latest is the start state")));
  schema.add(path("study.mask", "", "study area: a raster (non-zero cells) or a vector file (inside its polygons); "
                                    "empty: every cell with data in the start map"));
  schema.add(text("study.mask_layer", "", "layer of a vector study.mask (empty: its first layer)"));
  schema.add(path("study.exclusion", "", "land that never changes: a raster (non-zero cells) or a vector file "
                                         "(inside its polygons); empty: none"));
  schema.add(text("study.exclusion_layer", "", "layer of a vector study.exclusion (empty: its first layer)"));

  schema.add(no_default(integer("phases.open_year.*", 0, 1000, 3000, "yr",
                                "year a phase opens for development (key: the phase name, e.g. \"3\")")));

  KeySpec infra{"infrastructure[]", ValueKind::table_array, {}};
  infra.has_default = false;
  infra.info.description = "infrastructure timeline: features that open in a given year and change drivers";
  schema.add(infra);
  schema.add(no_default(integer("infrastructure[].year", 0, 1000, 3000, "yr", "year the feature opens")));
  schema.add(no_default(text("infrastructure[].layer", "", "layer of the plan dataset", "stations,roads")));
  schema.add(no_default(text("infrastructure[].where", "", "attribute filter, e.g. \"line = '19'\"")));
  schema.add(no_default(text("infrastructure[].name", "", "label in the report")));

  add_pipeline_sections(schema);

  // the question's answer
  schema.add(text("answer.indicator", "",
                  "the indicator that answers the question, measured on every run (the report opens with it): "
                  "developed_km2, zone_area_km2.<zone>, phase_developed_km2.<phase>, health_industry_developed_mu, "
                  "zone_health_industry_mu.<zone>, region_developed_km2.<region>, health_industry_delivered_year"));
  schema.add(integer("answer.year", 0, 0, 3000, "yr", "year of the answering indicator (0: years.end)"));
  schema.add(path("answer.compare_with", "",
                  "scenario file the answer is compared with (run with the same seed, runs, threads and end year; "
                  "empty: none)"));
  schema.add(no_default(text("regions.*.driver", "",
                             "a declared driver; the region is the study cells where it is at most max, measured for "
                             "the run's end year (indicator region_developed_km2.<region>)")));
  schema.add(no_default(real("regions.*.max", 0, -1.0e12, 1.0e12, "", "largest driver value inside the region")));
  schema.add(no_default(text("regions.*.label", "", "label of the region in the report, e.g. \"within 1 km of ...\"")));

  // the plan search (parksim optimize). No key is written into the effective scenario of a run: the DEFAULTs are
  // applied by optimize::optimize_spec.
  constexpr double inf = std::numeric_limits<double>::infinity();
  schema.add(no_default(text("optimize.algorithm", "nsga2",
                             "search algorithm of pagmo2: nsga2 (NSGA-II) or moead (MOEA/D); DEFAULT nsga2",
                             "nsga2,moead")));
  schema.add(no_default(integer("optimize.population", 24, 4, 100000, "",
                                "lever settings per generation (NSGA-II: a multiple of 4, at least 8); DEFAULT 24")));
  schema.add(no_default(integer("optimize.generations", 10, 1, 100000, "",
                                "generations after the initial population; DEFAULT 10")));
  schema.add(no_default(integer("optimize.runs", 1, 1, 10000, "",
                                "runs of the ensemble of each evaluation (objective = their mean, sd kept); "
                                "DEFAULT 1")));
  schema.add(no_default(integer("optimize.maps", 50, 0, 10000, "",
                                "front solutions whose maps of developed land the report page shows (spread evenly "
                                "over a larger front; each is evaluated once more after the search, keeping its map), "
                                "0 = none; DEFAULT 50")));
  KeySpec levers{"optimize.levers[]", ValueKind::table_array, {}};
  levers.has_default = false;
  levers.info.description = "the scenario keys the search sets, each with bounds";
  schema.add(levers);
  schema.add(no_default(text("optimize.levers[].key", "",
                             "a numeric scenario key, e.g. \"demand.enterprise_growth_rate\", "
                             "\"phases.open_year.3\" (integer keys such as years take whole values)")));
  schema.add(no_default(real("optimize.levers[].min", 0, -inf, inf, "", "lowest value of the lever")));
  schema.add(no_default(real("optimize.levers[].max", 0, -inf, inf, "", "highest value of the lever")));
  KeySpec balance{"optimize.levers[].balance", ValueKind::text_list, {}};
  balance.has_default = false;
  balance.info.description =
      "keys that absorb the lever's change in proportion so their sum with it stays as in the scenario (zone "
      "shares that sum to 1)";
  schema.add(balance);
  KeySpec objectives{"optimize.objectives[]", ValueKind::table_array, {}};
  objectives.has_default = false;
  objectives.info.description = "what the search trades off (at least two)";
  schema.add(objectives);
  schema.add(no_default(text("optimize.objectives[].indicator", "",
                             "an indicator id of indicators.csv (e.g. health_industry_developed_mu, "
                             "zone_area_km2.<zone>, region_developed_km2.<region>)")));
  schema.add(no_default(text("optimize.objectives[].direction", "", "min or max", "min,max")));
  schema.add(no_default(integer("optimize.objectives[].year", 0, 0, 3000, "yr",
                                "year of the indicator (DEFAULT years.end; ignored for indicators of the whole run)")));
  KeySpec constraints{"optimize.constraints[]", ValueKind::table_array, {}};
  constraints.has_default = false;
  constraints.info.description = "bounds the ensemble mean of an indicator must meet";
  schema.add(constraints);
  schema.add(no_default(text("optimize.constraints[].indicator", "", "an indicator id of indicators.csv")));
  schema.add(no_default(integer("optimize.constraints[].year", 0, 0, 3000, "yr",
                                "year of the indicator (DEFAULT years.end)")));
  schema.add(no_default(real("optimize.constraints[].min", 0, -inf, inf, "", "least value allowed")));
  schema.add(no_default(real("optimize.constraints[].max", 0, -inf, inf, "", "largest value allowed")));

  KeySpec formats{"outputs.formats", ValueKind::text_list, {}};
  formats.info.description = "vector formats written besides results.gpkg";
  formats.info.choices = "gpkg,shp,fgb,geojson";
  schema.add(formats);
  KeySpec key_years{"outputs.key_years", ValueKind::integer_list, {}};
  key_years.info.description = "years shown as maps in the report (empty: start, middle and end)";
  schema.add(key_years);
  schema.add(boolean("outputs.rasters", true, "write a Cloud-Optimised GeoTIFF per simulated year"));
  schema.add(boolean("outputs.report", true, "write report/index.html"));
  return schema;
}

}  // namespace

const Schema& scenario_schema() {
  static const Schema schema = build();
  return schema;
}

}  // namespace parksim::scenario
