// tune_allocator: glibc's thresholds are set unless PARKSIM_SYSTEM_MALLOC asks to keep the C library's own.
#include <cstdlib>

#include <gtest/gtest.h>

#include "core/allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace parksim {
namespace {

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PARKSIM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PARKSIM_ASAN 1
#endif

TEST(Allocator, keeps_the_c_librarys_settings_when_asked) {
  ASSERT_EQ(setenv("PARKSIM_SYSTEM_MALLOC", "1", 1), 0);
  EXPECT_FALSE(tune_allocator());
  ASSERT_EQ(unsetenv("PARKSIM_SYSTEM_MALLOC"), 0);
}

TEST(Allocator, sets_the_thresholds_under_glibc) {
#if defined(__GLIBC__) && !defined(PARKSIM_ASAN)
  ASSERT_EQ(unsetenv("PARKSIM_SYSTEM_MALLOC"), 0);
  EXPECT_TRUE(tune_allocator());
  // A freed block of 8 MB stays in the heap: the next one of that size reuses it instead of a fresh mapping.
  struct mallinfo2 before = mallinfo2();
  void* a = std::malloc(8 << 20);
  ASSERT_NE(a, nullptr);
  struct mallinfo2 held = mallinfo2();
  EXPECT_EQ(held.hblkhd, before.hblkhd);  // not an mmap'd block
  std::free(a);
  EXPECT_GE(mallinfo2().fordblks, std::size_t{8} << 20);  // kept as free heap, not trimmed
#else
  GTEST_SKIP() << "glibc's allocator is not the one in use";
#endif
}

}  // namespace
}  // namespace parksim
