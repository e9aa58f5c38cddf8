#include <gtest/gtest.h>

#include <set>

#include "core/error.hpp"
#include "io/vector.hpp"

namespace parksim::io {
namespace {

std::vector<std::string> names_for(std::vector<FieldDef> fields) { return shapefile_field_names(fields); }

TEST(ShapefileFieldNames, ascii_names_are_lower_cased_cleaned_and_cut_to_10_bytes) {
  EXPECT_EQ(names_for({{"FAR"}, {"land use code"}, {"Health-Land (mu)"}}),
            (std::vector<std::string>{"far", "land_use_c", "health_lan"}));
}

TEST(ShapefileFieldNames, chinese_name_falls_back_to_english_label_then_to_position) {
  EXPECT_EQ(names_for({{"用地性质", FieldType::string, "用地性质", "land use"}, {"容积率", FieldType::real, "容积率", ""}}),
            (std::vector<std::string>{"land_use", "f2"}));
}

TEST(ShapefileFieldNames, collisions_get_numbered_suffixes_that_still_fit) {
  EXPECT_EQ(names_for({{"phase_area_m2"}, {"phase_area_mu"}, {"phase_area_ha"}, {"Phase_Area"}}),
            (std::vector<std::string>{"phase_area", "phase_ar_1", "phase_ar_2", "phase_ar_3"}));
}

TEST(ShapefileFieldNames, leading_digit_gets_a_prefix_and_suffixes_avoid_taken_names) {
  EXPECT_EQ(names_for({{"2035_target"}, {"f1"}, {"规划"}}), (std::vector<std::string>{"f2035_targ", "f1", "f3"}));
  EXPECT_EQ(names_for({{"a"}, {"a_1"}, {"A"}}), (std::vector<std::string>{"a", "a_1", "a_2"}));
}

TEST(ShapefileFieldNames, many_chinese_fields_give_unique_ascii_names_of_at_most_10_bytes) {
  std::vector<FieldDef> fields;
  for (int i = 0; i < 120; ++i) fields.push_back({i % 2 == 0 ? "健康产业用地面积" : "Health industry land area"});
  const auto names = shapefile_field_names(fields);
  ASSERT_EQ(names.size(), fields.size());
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
  for (const auto& name : names) {
    EXPECT_LE(name.size(), 10u) << name;
    for (const char c : name) EXPECT_TRUE(static_cast<unsigned char>(c) < 0x80) << name;
  }
}

TEST(Utf8, accepts_chinese_and_rejects_gbk_truncated_overlong_and_surrogates) {
  EXPECT_TRUE(is_valid_utf8("中关村生命科学园 phase 3"));
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_FALSE(is_valid_utf8("\xB9\xE6\xBB\xAE"));          // "规划" in GBK
  EXPECT_FALSE(is_valid_utf8(std::string("\xE8\xA7", 2)));  // first two bytes of a 3-byte character
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                  // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));              // UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));          // above U+10FFFF
}

TEST(LayerAccess, values_are_found_by_field_name_and_converted_by_kind) {
  Layer layer;
  layer.name = "parcels";
  layer.fields = {{"parcel_id", FieldType::integer}, {"area_m2", FieldType::real}, {"zone"}};
  Feature f;
  f.fid = 7;
  f.values = {Value{std::int64_t{17}}, Value{2500.0}, Value{}};
  EXPECT_EQ(as_integer(layer.value(f, "parcel_id")), 17);
  EXPECT_EQ(as_real(layer.value(f, "parcel_id")), 17.0);
  EXPECT_EQ(as_real(layer.value(f, "area_m2")), 2500.0);
  EXPECT_FALSE(as_integer(layer.value(f, "area_m2")));
  EXPECT_FALSE(as_text(layer.value(f, "zone")));
  EXPECT_EQ(layer.find_field("zone"), 2u);
  EXPECT_FALSE(layer.find_field("Zone"));
}

TEST(LayerAccess, unknown_field_is_a_data_error_naming_layer_and_field) {
  Layer layer;
  layer.name = "parcels";
  try {
    (void)layer.field_index("far");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(e.context().layer, "parcels");
    EXPECT_EQ(e.context().key, "far");
  }
}

}  // namespace
}  // namespace parksim::io
