#pragma once
// The C library's allocator, set for how the engine allocates: many grids of a few MB each, made and freed every
// year of every run. glibc's defaults give such blocks back to the system when freed (mmap above a threshold that
// starts at 128 KiB; the heap trimmed above 128 KiB free), so each new grid comes back as fresh pages - page faults
// and zeroing that took half of a plan search's CPU time (bench/optimize/RESULTS.md). tune_allocator() raises the
// mmap threshold to 32 MiB and the trim threshold to 128 MiB: freed grids are reused, and a process keeps at most
// 128 MiB of freed memory beyond what it uses.
// Called first by the command line (cli/main.cpp) and when the Python module is imported. Results do not depend on
// it. PARKSIM_SYSTEM_MALLOC=1 in the environment leaves the C library's settings as they are. No-op outside glibc.

namespace parksim {

/// Sets the allocator's thresholds as above (once per process is enough; repeating is harmless). Returns whether it
/// changed them (false outside glibc or with PARKSIM_SYSTEM_MALLOC set).
bool tune_allocator() noexcept;

}  // namespace parksim
