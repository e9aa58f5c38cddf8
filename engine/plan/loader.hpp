#pragma once
// Loading a Plan from any GDAL vector source — the bundled GeoPackage or a user's own parcel data — and
// validating it. A FieldMapping (read from a small TOML file by the scenario module) renames layers and fields, so
// a user's data with other names loads through the same path.

#include <filesystem>
#include <map>
#include <string>

#include "core/problem.hpp"
#include "core/progress.hpp"
#include "plan/plan.hpp"

namespace parksim::plan {

/// How one of our layers is found in the source: the source layer's name and, per logical field, the source
/// field's name. Missing entries mean "same name as ours".
struct LayerMapping {
  std::string layer;                          ///< source layer; DEFAULT: our layer name
  std::map<std::string, std::string> fields;  ///< our field name -> source field name
};

/// DEFAULTs: identity mapping, no assumed CRS, working CRS EPSG:4548.
struct FieldMapping {
  /// CRS to assume for layers that have none ("EPSG:4548"). DEFAULT "": such layers are refused
  /// (Error(ErrorCode::crs)) - a missing CRS is never guessed.
  std::string assume_crs;
  /// CRS every geometry is transformed into; areas and distances are computed in it. Must be projected.
  std::string working_crs = "EPSG:4548";
  /// Our layer name ("parcels", "phases", "zones", "corridor", "corridor_band", "bases", "stations", "roads",
  /// "constraints", "ftz", "landuse_classes", "plan_targets") -> where it is in the source.
  std::map<std::string, LayerMapping> layers;
  /// Source value -> our value for the parcels' development status ("已建成" -> "built").
  std::map<std::string, std::string> status_values;
  /// Dataset to take `landuse_classes` and `plan_targets` from when the source has none (e.g. the bundled
  /// GeoPackage). DEFAULT "": none.
  std::filesystem::path reference_dataset;
  /// Text encoding of a Shapefile's strings when it has no .cpg ("CP936", "ISO-8859-1", ...). DEFAULT "": UTF-8
  /// is required and anything else is an error naming the feature and field.
  std::string source_encoding;
};

/// Options of load_plan(). DEFAULTs as given.
struct LoadOptions {
  /// Largest area change accepted when repairing an invalid polygon (fraction of its area). DEFAULT 1e-6.
  double max_repair_area_change = 1e-6;
  /// Overlaps / gaps between parcels at or below these are not reported (m2). DEFAULT 1 m2 each.
  double overlap_tolerance_m2 = 1.0;
  double gap_tolerance_m2 = 1.0;
  /// A parcel counts as outside the phases when more than this share of its area lies outside. DEFAULT 1 %.
  double outside_share = 0.01;
};

/// Reads the plan. Layers other than `parcels` are optional (a user's parcel file alone is a plan; phases are
/// then the union of the parcels per phase). Expected findings become Problems in `problems`:
///   geometry.repaired (warning), geometry.repair_rejected / geometry.missing / geometry.wrong_type (error; the
///   feature is left out), parcel.unknown_landuse (error), parcel.unknown_zone (warning), parcel.duplicate_id
///   (error), parcel.status_unknown (warning), coverage.overlap (error), coverage.gap (warning),
///   parcel.outside_phases (error), phase.area_mismatch (info), plan.crs_assumed (warning).
/// Throws Error: input (dataset cannot be opened), data (no parcels layer, a required field missing, text not
/// UTF-8 — naming layer, feature and field), crs (a layer without CRS and no assume_crs; a CRS that cannot be
/// transformed; a geographic working CRS), cancelled.
Plan load_plan(const std::filesystem::path& dataset, const FieldMapping& mapping, ProblemReporter& problems,
               const LoadOptions& options = {}, const Progress& progress = Progress());

/// Names of the simulation classes from the dataset's landuse_classes.sim_class_name and sim_class_name_zh (layer
/// renamed by `mapping`), by sim_class; empty when the dataset has no such table or column (a user's parcel file
/// alone).
std::map<int, SimClassName> read_sim_class_names(const std::filesystem::path& dataset, const FieldMapping& mapping);

/// The checks load_plan() runs after reading (coverage, containment in phases, codes, ids), on any Plan. Parcels with
/// an empty phase (in no phase: a zone away from the phases) are not checked for containment.
void validate(const Plan& plan, ProblemReporter& problems, const LoadOptions& options = {});

}  // namespace parksim::plan
