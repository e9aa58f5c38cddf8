#pragma once
// The memory budget: how much memory a run may plan to hold for data whose size comes from its input (rasters,
// layers, grids). Every reader whose allocation is sized by a file checks its estimate against this budget BEFORE
// allocating, so a small file that claims a huge size (a sparse 40000 x 40000 GeoTIFF, a 10^8-cell grid) is refused
// with a message instead of exhausting the machine.
//
// The budget is one number per process, like GDAL's block cache: the command line sets it once (`--max-memory`),
// Python through parksim.set_max_memory(); readers deep in the engine (io, calibrate, future raster sources) read it
// without it having to travel through every call. DEFAULT: half of the physical memory.
// Thread-safety: every function may be called from any thread (an atomic).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parksim {

/// Physical memory of this machine in bytes (sysconf); 0 when unknown.
std::uint64_t physical_memory_bytes() noexcept;

/// Half of physical_memory_bytes(), or 4 GiB when the physical memory is unknown.
std::uint64_t default_memory_budget_bytes() noexcept;

/// The budget in force: the last set_memory_budget_bytes() value, or default_memory_budget_bytes().
std::uint64_t memory_budget_bytes() noexcept;

/// Sets the budget for this process; 0 restores the DEFAULT.
void set_memory_budget_bytes(std::uint64_t bytes) noexcept;

/// "512 MiB", "3.2 GiB": bytes for people (binary units, as --max-memory takes them).
std::string format_bytes(std::uint64_t bytes);

/// Parses "8G", "512M", "1.5GiB", "2000000000" (bytes) into bytes; nullopt-like 0 for text that is no size.
/// Accepted suffixes (either case): K, M, G, T, with an optional "iB" or "B"; all are binary (1K = 1024).
std::uint64_t parse_bytes(std::string_view text) noexcept;

/// Throws Error(ErrorCode::data) when `estimate_bytes` exceeds memory_budget_bytes(). The message states `what`
/// (e.g. "raster of 40000 x 40000 cells"), the estimate, the budget and `remedy` (how to proceed: crop, coarser
/// cells) and that --max-memory raises the budget.
void check_memory_budget(std::uint64_t estimate_bytes, std::string_view what, std::string_view remedy,
                         const Context& where);

}  // namespace parksim
