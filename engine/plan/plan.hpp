#pragma once
// The domain model: a park plan in one working projected CRS — parcels, phases, zones, the corridor and its
// bases, stations, roads, constraints, the free-trade area, land-use classes and the plan's targets.
//
// A Plan is a plain value (copyable; geometries are cloned). It is built by load_plan() (loader.hpp) from any
// GDAL vector source, validated and repaired on the way, and read by everything downstream (grid, sim, alloc,
// metrics, report). Coordinates: x = easting, y = northing, metres (see docs/decisions.md D6).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geom/geometry.hpp"

namespace parksim::plan {

/// Development status of a parcel (the `status` field of the bundled `parcels` layer).
enum class DevelopmentStatus { built, under_construction, vacant, planned };
std::string_view to_string(DevelopmentStatus status) noexcept;
/// Parses "built", "under construction" / "under_construction", "vacant", "planned" (case-insensitive).
std::optional<DevelopmentStatus> development_status_from(std::string_view text) noexcept;

/// Data quality of a feature: measured (OSM), derived from measured data, or schematic (drawn at the real place
/// with published areas but no survey behind its shape). "unknown" when a user's data does not say.
enum class DataStatus { surveyed_osm, derived, schematic, unknown };
std::string_view to_string(DataStatus status) noexcept;
DataStatus data_status_from(std::string_view text) noexcept;

/// Where a feature comes from; every bundled feature carries it.
struct Provenance {
  DataStatus status = DataStatus::unknown;
  double accuracy_m = 0.0;  ///< 0 = not stated
  std::string source;
  std::string licence;
};

struct Parcel {
  std::int64_t fid = -1;        ///< feature id in the source layer
  std::string id;               ///< parcel_id, e.g. "P3-045"
  std::string phase;            ///< "1-2", "3", ...; "" = in no phase (a site away from the phases; loader.hpp)
  std::string zone;             ///< zone_id, e.g. "medical_device"
  std::string landuse;          ///< land-use class code, e.g. "0802"
  DevelopmentStatus status = DevelopmentStatus::planned;
  double area_m2 = 0.0;         ///< computed from the geometry in the working CRS (not the stored field)
  double far = 0.0;             ///< floor area ratio; 0 = not stated
  std::string name_zh;
  Provenance provenance;
  geom::Geometry geometry;      ///< Polygon or MultiPolygon, valid
};

struct Phase {
  std::string id;  ///< "1-2", "3"
  std::string name_zh, name_en;
  double area_m2 = 0.0;
  Provenance provenance;
  geom::Geometry geometry;
};

struct Zone {
  std::string id;  ///< "core", "frontier_tech", "medical_device", "beauty_health"
  std::string name_zh, name_en, focus;
  double area_m2 = 0.0;
  Provenance provenance;
  geom::Geometry geometry;
};

/// A linear or areal or point feature with a name and a small set of labels (corridor axes, bases, stations,
/// roads, constraints, the free-trade area). `kind` holds the layer-specific category: for `corridor` the axis
/// name ("G6"), for `corridor_band` the tier ("1"), for `bases` the tier ("acceleration"), for `stations` the
/// line, for `roads` the road class, for `constraints` the constraint kind.
struct Feature {
  std::int64_t fid = -1;
  std::string name;
  std::string name_zh;
  std::string kind;
  int opens_year = 0;  ///< stations / infrastructure: year it opens; 0 = open before the simulation starts
  Provenance provenance;
  geom::Geometry geometry;
};

struct LandUseClass {
  std::string code;  ///< national classification code, e.g. "0802", "100101"
  std::string name_zh, name_en;
  std::string colour;            ///< "#RRGGBB"
  bool health_industry = false;  ///< counts toward the health-industry land target
  bool developable = true;       ///< the simulation may convert cells into / out of it
  int sim_class = -1;            ///< simulation class 0..K-1 (-1: not simulated)
};

/// The name of a simulation class (a sim_class group of land-use classes, landuse_classes.sim_class_name and
/// sim_class_name_zh) in English and Chinese; zh is "" when the dataset gives none.
struct SimClassName {
  std::string en, zh;
};

/// One figure of the plan (plan_targets): value in `unit` ("km2", "mu", "yr", "count", "%").
struct Target {
  std::string id;  ///< "plan_total_km2", "phase12_km2", "phase3_km2", "health_industry_land_mu", ...
  std::string label_zh, label_en;
  double value = 0.0;
  std::string unit;
  std::string source;
};

/// Summary of what a layer rests on, for reports ("which input layers are schematic").
struct LayerSummary {
  std::string name;
  std::size_t features = 0;
  std::size_t schematic = 0;  ///< features whose provenance is schematic
  std::size_t surveyed = 0;   ///< surveyed-osm
};

struct Plan {
  std::string source;      ///< the dataset it was read from
  std::string crs;         ///< working CRS, "EPSG:4548"
  std::vector<Parcel> parcels;
  std::vector<Phase> phases;
  std::vector<Zone> zones;
  std::vector<Feature> corridor;       ///< axes (lines), kind = "G6" / "G7"
  std::vector<Feature> corridor_band;  ///< band polygons, kind = tier
  std::vector<Feature> bases;
  std::vector<Feature> stations;
  std::vector<Feature> roads;
  std::vector<Feature> constraints;
  std::vector<Feature> ftz;
  std::vector<LandUseClass> classes;
  std::vector<Target> targets;
  std::vector<LayerSummary> layers;    ///< one per layer read, in reading order

  const LandUseClass* find_class(std::string_view code) const noexcept;
  const Target* find_target(std::string_view id) const noexcept;
  const Phase* find_phase(std::string_view id) const noexcept;
  const Zone* find_zone(std::string_view id) const noexcept;
  /// Names of the layers that hold schematic features (for the report's honesty note).
  std::vector<std::string> schematic_layers() const;
};

}  // namespace parksim::plan
