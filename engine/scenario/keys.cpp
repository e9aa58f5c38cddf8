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

Schema build() {
  Schema schema;
  auto name = text("name", "", "short name of the scenario; also the default output folder out/<name>");
  name.has_default = false;
  name.required = true;
  schema.add(name);
  schema.add(text("question", "", "the planning question this scenario answers (shown at the top of the report)"));
  schema.add(text("description", "", "longer free text"));
  schema.add(integer("seed", 1, 0, 9.0e15, "", "root seed of every random stream of the run"));
  schema.add(integer("runs", 1, 1, 100000, "", "number of Monte Carlo runs (1 = a single simulation)"));
  schema.add(integer("threads", 0, 0, 1024, "", "worker threads; 0 = all cores (results do not depend on it)"));

  schema.add(integer("years.start", 2025, 1990, 2100, "yr", "first simulated year (the state of the data)"));
  schema.add(integer("years.end", 2035, 1990, 2100, "yr", "last simulated year (inclusive)"));

  schema.add(text("geodata.path", "../geodata/zgc_life_science_park.gpkg",
                  "plan dataset (any GDAL vector source); relative paths are relative to the file that sets it"));
  schema.add(text("geodata.mapping", "", "TOML field-mapping file for a user's own parcel data (empty: none)"));
  schema.add(text("geodata.crs", "",
                  "CRS to assume when the dataset has none, e.g. \"EPSG:4548\" (empty: refuse such data)"));

  schema.add(real("grid.cell_size_m", 30, 5, 500, "m", "raster cell size of the simulation grid"));
  schema.add(text("grid.extent", "corridor", "simulated area: the park's phases only, or the park and the corridor",
                  "park,corridor"));

  schema.add(no_default(integer("phases.open_year.*", 0, 1990, 2100, "yr",
                                "year a phase opens for development (key: the phase name, e.g. \"3\")")));

  KeySpec infra{"infrastructure[]", ValueKind::table_array, {}};
  infra.has_default = false;
  infra.info.description = "infrastructure timeline: features that open in a given year and change drivers";
  schema.add(infra);
  schema.add(no_default(integer("infrastructure[].year", 0, 1990, 2100, "yr", "year the feature opens")));
  schema.add(no_default(text("infrastructure[].layer", "", "layer of the plan dataset", "stations,roads")));
  schema.add(no_default(text("infrastructure[].where", "", "attribute filter, e.g. \"line = '19'\"")));
  schema.add(no_default(text("infrastructure[].name", "", "label in the report")));

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
