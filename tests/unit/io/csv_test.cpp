#include "io/csv.hpp"

#include <gtest/gtest.h>

namespace parksim::io {
namespace {

TEST(CsvCell, plain_text_stays_as_it_is) {
  EXPECT_EQ(csv_cell("plan_total_km2"), "plan_total_km2");
  EXPECT_EQ(csv_cell("规划总面积"), "规划总面积");
  EXPECT_EQ(csv_cell(""), "");
}

TEST(CsvCell, commas_quotes_and_line_breaks_are_quoted_per_rfc_4180) {
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_cell("cr\rhere"), "\"cr\rhere\"");
}

}  // namespace
}  // namespace parksim::io
