#include "core/budget.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace parksim {
namespace {

TEST(MemoryBudget, default_is_half_of_the_physical_memory) {
  set_memory_budget_bytes(0);
  ASSERT_GT(physical_memory_bytes(), 0u);
  EXPECT_EQ(memory_budget_bytes(), physical_memory_bytes() / 2);
}

TEST(MemoryBudget, sizes_with_binary_units_parse_and_anything_else_is_zero) {
  EXPECT_EQ(parse_bytes("8G"), std::uint64_t{8} << 30);
  EXPECT_EQ(parse_bytes("512M"), std::uint64_t{512} << 20);
  EXPECT_EQ(parse_bytes("1.5GiB"), std::uint64_t{3} << 29);
  EXPECT_EQ(parse_bytes("64kb"), std::uint64_t{64} << 10);
  EXPECT_EQ(parse_bytes("2000000000"), 2000000000u);
  EXPECT_EQ(parse_bytes("zz"), 0u);
  EXPECT_EQ(parse_bytes("-1G"), 0u);
  EXPECT_EQ(parse_bytes("8Q"), 0u);
  EXPECT_EQ(parse_bytes(""), 0u);
}

TEST(MemoryBudget, an_estimate_over_the_budget_is_a_data_error_stating_sizes_and_remedies) {
  set_memory_budget_bytes(std::uint64_t{1} << 30);
  EXPECT_NO_THROW(check_memory_budget(std::uint64_t{1} << 30, "a grid", "use coarser cells", Context{}));
  try {
    check_memory_budget(std::uint64_t{3} << 30, "a raster of 40000 x 40000 cells", "crop it",
                        Context{.path = "huge.tif"});
    ADD_FAILURE() << "expected Error(data)";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(std::string(e.what()),
              "huge.tif: a raster of 40000 x 40000 cells needs about 3.0 GiB of memory, more than the memory budget "
              "of 1.0 GiB; crop it (or raise the budget with --max-memory, e.g. --max-memory 4G, if the machine has "
              "the memory)");
  }
  set_memory_budget_bytes(0);
}

}  // namespace
}  // namespace parksim
