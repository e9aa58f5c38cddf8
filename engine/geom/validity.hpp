#pragma once
// Validity checks and repair of single geometries (OGC simple-feature rules, as GEOS implements them).

#include <optional>
#include <string>

#include "geom/geometry.hpp"

namespace parksim::geom {

/// Outcome of the full OGC validity check.
struct ValidityReport {
  bool valid = true;
  /// GEOS's reason when invalid ("Self-intersection", "Ring Self-intersection", "Too few points", ...);
  /// empty when valid.
  std::string reason;
  /// Where the first problem was found, in the geometry's coordinates; empty when valid.
  std::optional<Coordinate> location;
};

/// Full validity check (self-intersections, ring orientation is NOT a criterion, holes inside shells,
/// nested shells, too few points). Self-touching rings that form holes are invalid (strict OGC).
ValidityReport is_valid_detail(const Geometry& geometry);

enum class RepairStatus {
  already_valid,  ///< input was valid; geometry is a copy of it
  repaired,       ///< input was invalid; geometry is the valid repair
  rejected,       ///< the repair would change the area by more than allowed; geometry is the INPUT
};

struct RepairResult {
  RepairStatus status = RepairStatus::already_valid;
  Geometry geometry;
  /// Validity reason of the input (empty when it was valid).
  std::string reason;
  std::optional<Coordinate> location;
  /// Area the input rings enclose, and area of the repair (CRS units squared; m2 in the working CRS).
  double area_before = 0.0;
  double area_after = 0.0;
  /// |area_after - area_before| / area_before (0 when both are 0, +inf when only area_before is 0).
  double area_change_fraction = 0.0;
};

/// Makes an invalid geometry valid with GEOS MakeValid, method STRUCTURE (shells are unioned, holes are
/// subtracted, collapsed parts dropped). For polygonal input (Polygon, MultiPolygon) only polygonal parts
/// are kept, so the result is a Polygon or MultiPolygon (MULTIPOLYGON EMPTY if nothing is left).
///
/// The area check: `area_before` is the area enclosed by the input rings under the non-zero winding
/// rule - per ring, the faces the ring winds around at least once (so a bow-tie counts both of its
/// triangles and a ring that touches itself to form a hole does not count that hole), shells added,
/// holes subtracted - summed over the polygons. That is what the digitiser drew. A repair whose area
/// differs from it by more than max_area_change_fraction (DEFAULT 1e-6, i.e. 1 m2 per km2) is
/// rejected: the status says so and `geometry` is the unchanged input, so the caller reports a Problem
/// (and decides to skip or keep the feature) instead of silently losing or gaining land. Typical causes
/// are overlapping parts of one MultiPolygon and holes that stick out of their shell.
/// For points and lines the area check does not apply.
/// Throws Error(geometry) only if GEOS itself fails.
RepairResult repair(const Geometry& geometry, double max_area_change_fraction = 1e-6);

}  // namespace parksim::geom
