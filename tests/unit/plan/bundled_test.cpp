// The bundled park dataset through the plan loader: what `parksim info` shows planners.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "core/units.hpp"
#include "plan/accounting.hpp"
#include "plan/loader.hpp"

namespace parksim::plan {
namespace {

const char* const kBundled = PARKSIM_SOURCE_DIR "/geodata/zgc_life_science_park.gpkg";
constexpr double kPlanTolerance = 0.001;  // 0.1 % of the published areas

class BundledPlan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_problems = new ProblemReporter;
    s_plan = new Plan(load_plan(kBundled, {}, *s_problems));
  }
  static void TearDownTestSuite() {
    delete s_plan;
    delete s_problems;
  }
  static Plan* s_plan;
  static ProblemReporter* s_problems;
};
Plan* BundledPlan::s_plan = nullptr;
ProblemReporter* BundledPlan::s_problems = nullptr;

TEST_F(BundledPlan, loads_without_errors) {
  for (const auto& p : s_problems->sorted()) {
    EXPECT_NE(p.severity, Severity::error) << p.to_string();
  }
}

TEST_F(BundledPlan, phases_add_up_to_the_seven_point_two_square_kilometre_plan) {
  const Accounting a = account(*s_plan);
  EXPECT_NEAR(units::m2_to_km2(a.phases_m2), 7.2, 7.2 * kPlanTolerance);
  const Phase* p12 = s_plan->find_phase("1-2");
  const Phase* p3 = s_plan->find_phase("3");
  ASSERT_NE(p12, nullptr);
  ASSERT_NE(p3, nullptr);
  EXPECT_NEAR(units::m2_to_km2(p12->area_m2), 2.5, 2.5 * kPlanTolerance);
  EXPECT_NEAR(units::m2_to_km2(p3->area_m2), 4.7, 4.7 * kPlanTolerance);
  for (const auto& t : a.targets) {
    if (t.unit == "km2") {
      EXPECT_TRUE(t.met) << t.id << ": " << t.actual << " vs " << t.target;
    }
  }
}

TEST_F(BundledPlan, parcels_tile_the_phases) {
  EXPECT_GE(s_plan->parcels.size(), 150u);
  const Accounting a = account(*s_plan);
  double in_phases_m2 = 0.0;
  for (const auto& row : a.by_phase) in_phases_m2 += row.key.empty() ? 0.0 : row.area_m2;
  EXPECT_NEAR(in_phases_m2, a.phases_m2, 10.0);  // tiling within 10 m2 over 7.2 km2
  EXPECT_EQ(s_problems->count("coverage.overlap"), 0u);
  EXPECT_EQ(s_problems->count("parcel.outside_phases"), 0u);
}

TEST_F(BundledPlan, every_parcel_code_has_a_class_with_a_colour) {
  ASSERT_FALSE(s_plan->classes.empty());
  for (const auto& p : s_plan->parcels) {
    const LandUseClass* c = s_plan->find_class(p.landuse);
    ASSERT_NE(c, nullptr) << p.id << " " << p.landuse;
    EXPECT_EQ(c->colour.size(), 7u) << c->code;
    EXPECT_EQ(c->colour[0], '#') << c->code;
  }
}

TEST_F(BundledPlan, says_which_layers_are_schematic) {
  const auto schematic = s_plan->schematic_layers();
  EXPECT_NE(std::find(schematic.begin(), schematic.end(), "phases"), schematic.end());
  EXPECT_NE(std::find(schematic.begin(), schematic.end(), "parcels"), schematic.end());
  // Stations are real OSM points.
  std::size_t surveyed = 0;
  for (const auto& s : s_plan->stations) surveyed += s.provenance.status == DataStatus::surveyed_osm ? 1 : 0;
  EXPECT_GT(surveyed, 10u);
}

TEST_F(BundledPlan, has_the_three_new_zones_and_the_corridor_axes) {
  for (const char* zone : {"frontier_tech", "medical_device", "beauty_health"}) {
    EXPECT_NE(s_plan->find_zone(zone), nullptr) << zone;
  }
  std::set<std::string> axes;
  for (const auto& f : s_plan->corridor) axes.insert(f.kind);
  EXPECT_TRUE(axes.count("G6"));
  EXPECT_TRUE(axes.count("G7"));
}

TEST_F(BundledPlan, beauty_health_parcels_are_in_no_phase_and_leave_the_phase_areas_as_published) {
  constexpr double kTilingM2 = 10.0;
  const Zone* zone = s_plan->find_zone("beauty_health");
  ASSERT_NE(zone, nullptr);
  double zone_parcels_m2 = 0.0;
  for (const auto& p : s_plan->parcels) {
    if (p.zone != "beauty_health") continue;
    EXPECT_EQ(p.phase, "") << p.id;
    EXPECT_EQ(p.status, DevelopmentStatus::planned) << p.id;
    zone_parcels_m2 += p.area_m2;
  }
  EXPECT_NEAR(zone_parcels_m2, zone->area_m2, kTilingM2);
  const Accounting a = account(*s_plan);
  const auto none = std::find_if(a.by_phase.begin(), a.by_phase.end(), [](const AreaRow& r) { return r.key.empty(); });
  ASSERT_NE(none, a.by_phase.end());
  EXPECT_EQ(none->label, "in no phase");
  EXPECT_NEAR(none->area_m2, zone_parcels_m2, kTilingM2);
  EXPECT_EQ(s_problems->count("parcel.outside_phases"), 0u);
}

TEST_F(BundledPlan, health_industry_target_is_three_thousand_mu_and_there_is_room_for_it) {
  const Target* t = s_plan->find_target("health_industry_land_mu");
  ASSERT_NE(t, nullptr);
  EXPECT_DOUBLE_EQ(t->value, 3000.0);
  const Accounting a = account(*s_plan);
  // The expansion must be able to hold it: what it has plus its vacant and planned land.
  EXPECT_GT(units::m2_to_mu(a.developable_m2 + a.health_industry_expansion_m2), 3000.0);
}

}  // namespace
}  // namespace parksim::plan
