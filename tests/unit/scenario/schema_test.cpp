#include "scenario/schema.hpp"

#include <gtest/gtest.h>

namespace parksim::scenario {
namespace {

TEST(Schema, finds_exact_keys_and_wildcard_patterns) {
  const Schema& schema = scenario_schema();
  ASSERT_NE(schema.find("grid.cell_size_m"), nullptr);
  EXPECT_EQ(schema.find("grid.cell_size_m")->info.unit, "m");
  const KeySpec* phase = schema.find("phases.open_year.3");
  ASSERT_NE(phase, nullptr);
  EXPECT_EQ(phase->key, "phases.open_year.*");
  EXPECT_EQ(schema.find("grid.no_such_key"), nullptr);
}

TEST(Schema, suggests_the_closest_key_for_a_misspelling) {
  const Schema& schema = scenario_schema();
  EXPECT_EQ(schema.suggest("grid.cell_sise_m"), "grid.cell_size_m");
  EXPECT_EQ(schema.suggest("gird.cell_size_m"), "grid.cell_size_m");
  EXPECT_EQ(schema.suggest("totally.unrelated.thing"), std::nullopt);
}

TEST(Schema, module_parameter_tables_join_under_their_section) {
  Schema schema;
  ParamInfo weight;
  weight.name = "neighbourhood_weight";
  weight.default_value = 0.5;
  weight.min = 0;
  weight.max = 1;
  schema.add_section("sim", {weight});
  const KeySpec* spec = schema.find("sim.neighbourhood_weight");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->kind, ValueKind::real);
  EXPECT_DOUBLE_EQ(spec->info.default_value, 0.5);
}

TEST(EditDistance, counts_insertions_deletions_and_substitutions) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
}

}  // namespace
}  // namespace parksim::scenario
