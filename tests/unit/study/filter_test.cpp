#include "study/filter.hpp"

#include <map>

#include <gtest/gtest.h>

namespace parksim::study {
namespace {

FeatureFilter::Lookup feature(std::map<std::string, std::string> values) {
  return [values](std::string_view field) -> std::optional<std::string> {
    const auto it = values.find(std::string(field));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(FeatureFilter, and_binds_tighter_than_or_and_numbers_compare_as_numbers) {
  const auto f = FeatureFilter::parse("name = 'G6' or kind = \"motorway\" and opens = 2029");
  EXPECT_TRUE(f.matches(feature({{"name", "G6"}})));
  EXPECT_TRUE(f.matches(feature({{"kind", "motorway"}, {"opens", "2029.0"}})));
  EXPECT_FALSE(f.matches(feature({{"kind", "motorway"}, {"opens", "2030"}})));
  EXPECT_FALSE(f.matches(feature({{"name", "G7"}})));
  EXPECT_EQ(f.fields(), (std::vector<std::string>{"name", "kind", "opens"}));
  EXPECT_TRUE(FeatureFilter::parse("").matches(feature({})));
}

TEST(FeatureFilter, orders_and_inequality_compare_numbers) {
  const auto later = FeatureFilter::parse("opens > 0 and line != 'S2'");
  EXPECT_TRUE(later.matches(feature({{"opens", "2029"}, {"line", "Line 19"}})));
  EXPECT_FALSE(later.matches(feature({{"opens", "0"}, {"line", "Line 19"}})));
  EXPECT_FALSE(later.matches(feature({{"opens", "2029"}, {"line", "S2"}})));
  EXPECT_FALSE(later.matches(feature({{"opens", "soon"}, {"line", "Line 19"}})));  // an order needs a number
  EXPECT_TRUE(FeatureFilter::parse("opens <= 2029").matches(feature({{"opens", "2029.0"}})));
  EXPECT_FALSE(FeatureFilter::parse("opens < 2029").matches(feature({{"opens", "2029"}})));
  EXPECT_TRUE(FeatureFilter::parse("opens >= 2029").matches(feature({{"opens", "2032"}})));
  // an operator inside a quoted value is part of the value
  EXPECT_TRUE(FeatureFilter::parse("name = 'a<b'").matches(feature({{"name", "a<b"}})));
}

TEST(FeatureFilter, a_clause_without_equals_is_a_config_error_naming_it) {
  try {
    FeatureFilter::parse("name is G6", Context{.path = "s.toml", .key = "drivers.g6.where", .line = 4});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "drivers.g6.where");
    EXPECT_NE(std::string(e.what()).find("'name is G6' is not of the form field = 'value'"), std::string::npos);
  }
  try {
    require_fields(FeatureFilter::parse("colour = 'red'"), {"name", "kind"}, Context{.key = "w"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown field 'colour' (fields: name, kind)"), std::string::npos);
  }
}

TEST(Openings, set_the_year_of_matching_plan_features_and_warn_when_nothing_matches) {
  plan::Plan p;
  plan::Feature a;
  a.name = "North";
  a.kind = "Line 19";
  a.opens_year = 2029;
  plan::Feature b = a;
  b.name = "South";
  b.kind = "Changping";
  b.opens_year = 0;
  p.stations = {a, b};
  ProblemReporter problems;
  apply_openings(p, {{2032, "stations", "line = 'Line 19'", "Line 19 late", Context{.key = "infrastructure[0]"}},
                     {2030, "stations", "line = 'Line 99'", "", Context{.key = "infrastructure[1]"}}},
                 problems);
  EXPECT_EQ(p.stations[0].opens_year, 2032);
  EXPECT_EQ(p.stations[1].opens_year, 0);
  const auto found = problems.sorted();
  ASSERT_EQ(found.size(), 2u);
  bool warned = false;
  for (const auto& pr : found) warned = warned || (pr.code == "infrastructure.no_match" && pr.where.key == "infrastructure[1]");
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace parksim::study
