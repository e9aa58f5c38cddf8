#include "core/allocator.hpp"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace parksim {

bool tune_allocator() noexcept {
#if defined(__GLIBC__)
  const char* keep = std::getenv("PARKSIM_SYSTEM_MALLOC");
  if (keep != nullptr && *keep != '\0' && *keep != '0') return false;
  const bool mmap = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
  const bool trim = mallopt(M_TRIM_THRESHOLD, 128 << 20) == 1;
  return mmap && trim;
#else
  return false;
#endif
}

}  // namespace parksim
