#include <gtest/gtest.h>

#include <cstdio>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "report/styles.hpp"
#include "report_fixture.hpp"

namespace parksim::report {
namespace {

// "r,g,b,a" (QGIS) -> "#RRGGBB".
std::string hex_of(const std::string& qgis) {
  int r = 0, g = 0, b = 0, a = 0;
  EXPECT_EQ(std::sscanf(qgis.c_str(), "%d,%d,%d,%d", &r, &g, &b, &a), 4) << qgis;
  return fmt::format("#{:02X}{:02X}{:02X}", r, g, b);
}

std::string option(const pugi::xml_node& symbol, const char* name) {
  return symbol.select_node(fmt::format("layer/Option/Option[@name='{}']", name).c_str()).node().attribute("value").value();
}

TEST(Qml, parcels_style_parses_and_its_category_colours_are_the_plan_class_colours) {
  const auto plan = testing::fixture_plan();
  const std::string qml = make_qml(landuse_style(plan, "landuse"));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(qml.c_str())) << qml;
  const auto renderer = doc.child("qgis").child("renderer-v2");
  EXPECT_STREQ(renderer.attribute("type").value(), "categorizedSymbol");
  EXPECT_STREQ(renderer.attribute("attr").value(), "landuse");
  const auto categories = renderer.child("categories");
  std::size_t n = 0;
  for (const auto& category : categories.children("category")) {
    const std::string value = category.attribute("value").value();
    if (value.empty()) continue;  // "all other values"
    ASSERT_LT(n, plan.classes.size());
    EXPECT_EQ(value, plan.classes[n].code);
    const auto symbol = renderer.child("symbols").find_child_by_attribute("symbol", "name", category.attribute("symbol").value());
    ASSERT_TRUE(symbol) << value;
    EXPECT_EQ(hex_of(option(symbol, "color")), plan.classes[n].colour) << value;
    EXPECT_NE(std::string(category.attribute("label").value()).find(plan.classes[n].name_zh), std::string::npos);
    ++n;
  }
  EXPECT_EQ(n, plan.classes.size());
  EXPECT_STREQ(doc.child("qgis").child("layerGeometryType").text().get(), "2");
}

TEST(Qml, is_deterministic_and_escapes_xml_special_characters_in_labels) {
  LayerStyle style;
  style.field = "zone";
  style.categories.push_back({"a&b", "<Frontier> & \"Tech\"", Symbol{}});
  const std::string qml = make_qml(style);
  EXPECT_EQ(qml, make_qml(style));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(qml.c_str()));
  const auto category = doc.child("qgis").child("renderer-v2").child("categories").child("category");
  EXPECT_STREQ(category.attribute("label").value(), "<Frontier> & \"Tech\"");
  EXPECT_STREQ(category.attribute("value").value(), "a&b");
}

TEST(Qml, colour_that_is_not_hex_is_an_internal_error) {
  LayerStyle style;
  style.symbol.colour = "red";
  try {
    make_qml(style);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::internal);
  }
}

TEST(Qml, default_styles_cover_every_spatial_layer_with_the_right_geometry_type) {
  const auto styles = default_styles(testing::fixture_plan());
  const std::map<std::string, std::string> expected = {{"parcels", "2"},       {"zones", "2"}, {"phases", "2"},
                                                       {"corridor", "1"},      {"corridor_band", "2"},
                                                       {"bases", "0"},         {"stations", "0"}};
  ASSERT_EQ(styles.size(), expected.size());
  for (const auto& [layer, geometry_type] : expected) {
    ASSERT_EQ(styles.count(layer), 1u) << layer;
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(styles.at(layer).c_str())) << layer;
    EXPECT_EQ(std::string(doc.child("qgis").child("layerGeometryType").text().get()), geometry_type) << layer;
  }
  pugi::xml_document zones;
  ASSERT_TRUE(zones.load_string(styles.at("zones").c_str()));
  EXPECT_STREQ(zones.child("qgis").child("renderer-v2").attribute("attr").value(), "zone_id");
}

}  // namespace
}  // namespace parksim::report
