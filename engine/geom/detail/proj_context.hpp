#pragma once
// The PROJ side of geom: this thread's PROJ context, its cache of transformation operations, and the
// funnel that turns PROJ failures into parksim::Error(ErrorCode::crs). Include only from geom .cpp files.

#include <proj.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parksim::geom::detail {

struct PjDeleter {
  void operator()(PJ* p) const noexcept { proj_destroy(p); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

/// This thread's PROJ context (created on first use with network access off, destroyed at thread exit).
/// PROJ's log output is captured instead of going to stderr.
PJ_CONTEXT* proj();

/// Forgets the last captured PROJ message; call before a PROJ call whose failure you will report.
void clear_proj_error();
/// The last captured PROJ error message, else the text of the context's errno, else a fallback.
std::string proj_error_text(int error_code = 0);

/// A new, never reused id for a transformer (so this thread's cache can tell live ones from dead ones).
std::uint64_t register_transformer();
void unregister_transformer(std::uint64_t id) noexcept;
/// This thread's operation for a transformer id, or nullptr.
PJ* cached_operation(std::uint64_t id) noexcept;
/// Stores an operation for this thread; returns the stored pointer.
PJ* cache_operation(std::uint64_t id, PjPtr operation);
/// Destroys this thread's operation for the id, if any (other threads' copies go when those threads end
/// or when their cache is pruned).
void drop_operation(std::uint64_t id) noexcept;

}  // namespace parksim::geom::detail
