#include "geom/detail/geos_context.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>

namespace parksim::geom::detail {
namespace {

// Set when this thread's GEOS context has been finished (thread exit). Both are trivially destructible,
// so they stay usable while the thread's other thread_local and, for the main thread, static objects are
// destroyed. Objects destroyed that late are freed through with_cleanup_context(); any other GEOS call
// that late gets a teardown context that is never finished (one small allocation at thread end).
thread_local bool t_geos_finished = false;
thread_local GEOSContextHandle_t t_teardown_handle = nullptr;

// One per thread. GEOS calls the handler from inside its C API, so the handler must not throw: it only
// copies the message, and the funnel throws after GEOS has returned.
struct GeosThread {
  GEOSContextHandle_t handle = nullptr;
  std::string last_error;

  GeosThread() : handle(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(handle, &GeosThread::on_error, this);
    // Notices (e.g. "Self-intersection at ...") are informational; geom reports validity itself.
    GEOSContext_setNoticeMessageHandler_r(handle, nullptr, nullptr);
  }
  ~GeosThread() {
    GEOS_finish_r(handle);
    t_geos_finished = true;
  }
  GeosThread(const GeosThread&) = delete;
  GeosThread& operator=(const GeosThread&) = delete;

  static void on_error(const char* message, void* self) noexcept {
    try {
      static_cast<GeosThread*>(self)->last_error = message != nullptr ? message : "";
    } catch (...) {
      // Out of memory while copying a message: the funnel then reports the failure without it.
    }
  }
};

GeosThread& geos_thread() {
  thread_local GeosThread state;
  return state;
}

}  // namespace

bool geos_finished() noexcept { return t_geos_finished; }

GEOSContextHandle_t geos() {
  if (t_geos_finished) {
    if (t_teardown_handle == nullptr) t_teardown_handle = GEOS_init_r();
    return t_teardown_handle;
  }
  return geos_thread().handle;
}

void throw_geos_error(std::string_view op, const Context& where) {
  std::string message;
  if (!t_geos_finished) {
    message = std::move(geos_thread().last_error);
    geos_thread().last_error.clear();
  }
  if (message.empty()) message = "GEOS reported a failure without a message";
  throw Error(ErrorCode::geometry, fmt::format("{}: {}", op, message), where);
}

const GEOSGeometry* GeometryAccess::get(const Geometry& geometry) {
  if (geometry.m_geom == nullptr) {
    throw Error(ErrorCode::internal, "null geom::Geometry used (default-constructed or moved-from)");
  }
  return geometry.m_geom.get();
}

GeosGeometryPtr clone_raw(const Geometry& geometry) {
  return GeosGeometryPtr(check(GEOSGeom_clone_r(geos(), raw(geometry)), "clone"));
}

GeosGeometryPtr collection_of(std::span<const Geometry> geometries) {
  std::vector<const Geometry*> pointers;
  pointers.reserve(geometries.size());
  for (const Geometry& g : geometries) pointers.push_back(&g);
  return collection_of(std::span<const Geometry* const>(pointers));
}

GeosGeometryPtr collection_of(std::span<const Geometry* const> geometries) {
  std::vector<GeosGeometryPtr> owned;
  owned.reserve(geometries.size());
  for (const Geometry* g : geometries) owned.push_back(clone_raw(*g));
  std::vector<GEOSGeometry*> parts;
  parts.reserve(owned.size());
  for (auto& g : owned) parts.push_back(g.get());
  GEOSGeometry* collection = GEOSGeom_createCollection_r(
      geos(), GEOS_GEOMETRYCOLLECTION, parts.data(), static_cast<unsigned>(parts.size()));
  check(collection, "collect geometries");
  // The collection now owns the parts.
  for (auto& g : owned) static_cast<void>(g.release());
  return GeosGeometryPtr(collection);
}

}  // namespace parksim::geom::detail
