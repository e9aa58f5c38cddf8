#include "study/classes.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace parksim::study {
namespace {

TEST(ClassTable, declarations_win_over_the_rasters_own_names_and_colours) {
  RasterClassHints hints;
  hints.category_names = {"", "Forest land", "Built-up"};
  hints.colour_table = {"#000000", "#00AA00", "#AA0000"};
  hints.attribute_table[3] = {"Other land", "#FDAE61"};
  ClassDeclaration built;
  built.code = 2;
  built.key = "urban";
  built.name_zh = "建设用地";
  built.built = true;
  const ClassTable t = classes_from_codes({1, 2, 3}, {built}, hints);
  ASSERT_EQ(t.count(), 3);
  EXPECT_EQ(t[0].key, "forest_land");  // from the category name
  EXPECT_EQ(t[0].colour, "#00AA00");    // from the colour table
  EXPECT_EQ(t[1].key, "urban");
  EXPECT_EQ(t[1].name_en, "Built-up");
  EXPECT_EQ(t[1].name_zh, "建设用地");
  EXPECT_TRUE(t[1].built);
  EXPECT_EQ(t[2].name_en, "Other land");  // the attribute table
  EXPECT_EQ(t[2].colour, "#FDAE61");
  EXPECT_EQ(t.index_of_code(3), 2);
  EXPECT_EQ(t.code_to_index()[2], 1);
  EXPECT_EQ(t.code_to_index()[0], no_class);
  EXPECT_TRUE(t[0].convertible());
}

TEST(ClassTable, classes_without_names_get_a_key_and_a_colour_of_their_own) {
  const ClassTable t = classes_from_codes({4, 7}, {}, {});
  EXPECT_EQ(t[0].key, "class_4");
  EXPECT_EQ(t[0].name_en, "class_4");
  EXPECT_NE(t[0].colour, t[1].colour);
  EXPECT_EQ(t[1].raster_value(), 7);
}

TEST(ClassTable, two_classes_with_one_key_and_a_code_outside_the_range_are_errors) {
  ClassDeclaration a{.code = 1, .key = "land"};
  ClassDeclaration b{.code = 2, .key = "land"};
  try {
    classes_from_codes({1, 2}, {a, b}, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_NE(std::string(e.what()).find("two classes have the key 'land'"), std::string::npos) << e.what();
  }
  ClassDeclaration c{.code = 300, .key = "x", .where = Context{.path = "s.toml", .key = "classes.codes.300"}};
  try {
    classes_from_codes({}, {c}, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "classes.codes.300");
  }
}

TEST(ClassTable, set_built_names_an_unknown_class_and_fixes_classes_no_longer_built) {
  ClassDeclaration a{.code = 1, .key = "urban", .built = true};
  ClassTable t = classes_from_codes({1, 2}, {a}, {});
  t.set_built({"class_2"}, {});
  EXPECT_FALSE(t[0].built);
  EXPECT_TRUE(t[0].fixed);  // its cells stay as they are
  EXPECT_TRUE(t[1].built);
  try {
    t.set_built({"roads"}, Context{.key = "classes.built"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_NE(std::string(e.what()).find("no class 'roads' (classes: urban, class_2)"), std::string::npos) << e.what();
  }
}

TEST(ClassTable, reads_a_csv_table_and_names_the_line_of_a_bad_value) {
  test_support::TempDir dir;
  std::ofstream(dir / "classes.csv") << "code,key,name_en,name_zh,built,colour\n1,forest,Forest,森林,false,#1B7837\n"
                                        "2,built,Built,建设用地,yes,#D7191C\n";
  const auto d = read_class_csv(dir / "classes.csv");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1].code, 2);
  EXPECT_EQ(d[1].name_zh, "建设用地");
  EXPECT_EQ(d[1].built, true);
  EXPECT_EQ(d[0].built, false);
  EXPECT_FALSE(d[0].fixed.has_value());
  std::ofstream(dir / "bad.csv") << "code,built\n1,true\n2,perhaps\n";
  try {
    read_class_csv(dir / "bad.csv");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().line, 3);
    EXPECT_EQ(e.context().key, "built");
    EXPECT_NE(std::string(e.what()).find("bad.csv"), std::string::npos) << e.what();
  }
}

TEST(ClassTable, slug_makes_keys_of_names) {
  EXPECT_EQ(slug("non-built / agricultural"), "non_built");
  EXPECT_EQ(slug("R&D (health industry)"), "r_d");
  EXPECT_EQ(slug("森林"), "");
}

}  // namespace
}  // namespace parksim::study
