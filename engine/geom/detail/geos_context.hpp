#pragma once
// The GEOS side of geom: this thread's GEOS context and the one checking funnel through which every GEOS
// call's failure becomes parksim::Error(ErrorCode::geometry). Include only from geom .cpp files.

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>

#include <memory>
#include <string_view>

#include "core/error.hpp"
#include "geom/geometry.hpp"

namespace parksim::geom::detail {

/// This thread's GEOS context (created on first use, finished at thread exit). Its error handler stores
/// GEOS's message; the check functions below take it out.
GEOSContextHandle_t geos();

/// True once this thread's GEOS context has been finished (during thread exit).
bool geos_finished() noexcept;

/// Runs f(handle) for freeing GEOS objects: with this thread's context, or - during thread exit, after the
/// context is gone - with a short-lived one.
template <class F>
void with_cleanup_context(F&& f) noexcept {
  if (!geos_finished()) {
    f(geos());
    return;
  }
  GEOSContextHandle_t handle = GEOS_init_r();
  f(handle);
  GEOS_finish_r(handle);
}

/// Throws Error(geometry, "<op>: <last GEOS message>") and clears the message.
[[noreturn]] void throw_geos_error(std::string_view op, const Context& where = {});

/// For functions returning a pointer, NULL on failure.
template <class T>
T* check(T* result, std::string_view op, const Context& where = {}) {
  if (result == nullptr) throw_geos_error(op, where);
  return result;
}
/// For functions returning int with 0 on failure (GEOSArea_r, ...).
inline void check_status(int status, std::string_view op) {
  if (status == 0) throw_geos_error(op);
}
/// For predicates returning char: 1 true, 0 false, 2 failure.
inline bool check_predicate(char result, std::string_view op) {
  if (result == 2) throw_geos_error(op);
  return result == 1;
}

/// Owning pointer for temporary GEOS geometries inside geom's implementation.
struct GeosGeometryDeleter {
  void operator()(GEOSGeometry* g) const noexcept {
    with_cleanup_context([g](GEOSContextHandle_t h) { GEOSGeom_destroy_r(h, g); });
  }
};
using GeosGeometryPtr = std::unique_ptr<GEOSGeometry, GeosGeometryDeleter>;

/// The bridge between Geometry and raw GEOS pointers.
struct GeometryAccess {
  /// The stored geometry; throws Error(internal) for a null Geometry.
  static const GEOSGeometry* get(const Geometry& geometry);
  /// Takes ownership of a non-null GEOS geometry.
  static Geometry adopt(GEOSGeometry* owned) noexcept { return Geometry(owned); }
  static Geometry adopt(GeosGeometryPtr owned) noexcept { return Geometry(owned.release()); }
};

inline const GEOSGeometry* raw(const Geometry& geometry) { return GeometryAccess::get(geometry); }
inline Geometry adopt(GEOSGeometry* owned) noexcept { return GeometryAccess::adopt(owned); }

/// Clone of a stored geometry, owned by the caller.
GeosGeometryPtr clone_raw(const Geometry& geometry);
/// Builds a GEOMETRYCOLLECTION from clones of the given geometries.
GeosGeometryPtr collection_of(std::span<const Geometry> geometries);
GeosGeometryPtr collection_of(std::span<const Geometry* const> geometries);

}  // namespace parksim::geom::detail
