#include "core/error.hpp"

#include <gtest/gtest.h>

namespace parksim {
namespace {

TEST(Error, message_is_prefixed_with_the_known_context) {
  Context where;
  where.path = "parcels.gpkg";
  where.layer = "parcels";
  where.feature_id = 12;
  where.feature_key = "P3-017";
  const Error error(ErrorCode::data, "ring self-intersects", where);
  EXPECT_STREQ(error.what(), "parcels.gpkg: layer 'parcels': feature 12 (P3-017): ring self-intersects");
  EXPECT_EQ(error.message(), "ring self-intersects");
  EXPECT_EQ(error.code(), ErrorCode::data);
  EXPECT_EQ(error.context().layer, "parcels");
}

TEST(Error, file_line_and_key_read_like_a_compiler_message) {
  Context where;
  where.path = "baseline.toml";
  where.line = 14;
  where.key = "demand.growth_rate";
  const Error error(ErrorCode::config, "must be >= 0, got -0.1", where);
  EXPECT_STREQ(error.what(), "baseline.toml:14: 'demand.growth_rate': must be >= 0, got -0.1");
}

TEST(Error, without_context_the_message_stands_alone) {
  const Error error(ErrorCode::internal, "boom");
  EXPECT_STREQ(error.what(), "boom");
  EXPECT_TRUE(error.context().empty());
}

TEST(Error, coordinate_is_printed_with_millimetre_precision) {
  Context where;
  where.coordinate = Coordinate{439299.4567, 4440164.8049};
  EXPECT_EQ(where.to_string(), "at (439299.457, 4440164.805)");
}

TEST(Error, is_catchable_as_runtime_error) {
  try {
    throw Error(ErrorCode::input, "cannot open", Context{.path = "missing.gpkg"});
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "missing.gpkg: cannot open");
    return;
  }
  FAIL() << "not caught as std::runtime_error";
}

TEST(ErrorCode, exit_codes_are_stable_and_distinct) {
  // These numbers are the CLI's documented exit codes: a change here breaks users' scripts.
  EXPECT_EQ(exit_code(ErrorCode::usage), 2);
  EXPECT_EQ(exit_code(ErrorCode::config), 3);
  EXPECT_EQ(exit_code(ErrorCode::input), 4);
  EXPECT_EQ(exit_code(ErrorCode::data), 5);
  EXPECT_EQ(exit_code(ErrorCode::crs), 6);
  EXPECT_EQ(exit_code(ErrorCode::geometry), 7);
  EXPECT_EQ(exit_code(ErrorCode::output), 8);
  EXPECT_EQ(exit_code(ErrorCode::output_exists), 9);
  EXPECT_EQ(exit_code(ErrorCode::cancelled), 10);
  EXPECT_EQ(exit_code(ErrorCode::infeasible), 11);
  EXPECT_EQ(exit_code(ErrorCode::database), 12);
  EXPECT_EQ(exit_code(ErrorCode::internal), 70);
  EXPECT_EQ(to_string(ErrorCode::output_exists), "output_exists");
}

}  // namespace
}  // namespace parksim
