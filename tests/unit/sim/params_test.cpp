#include "sim/params.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace parksim::sim {
namespace {

TEST(SimParams, info_lists_every_parameter_once_with_the_struct_defaults) {
  const std::vector<ParamInfo> info = Params::info();
  std::set<std::string> names;
  for (const ParamInfo& p : info) {
    EXPECT_TRUE(names.insert(std::string(p.name)).second) << p.name;
    EXPECT_FALSE(p.description.empty()) << p.name;
    EXPECT_GE(p.default_value, p.min) << p.name;
    EXPECT_LE(p.default_value, p.max) << p.name;
  }
  EXPECT_EQ(info.size(), 15U);
  const Params d;
  auto find = [&](std::string_view name) {
    for (const ParamInfo& p : info) {
      if (p.name == name) return p.default_value;
    }
    ADD_FAILURE() << "missing " << name;
    return -1.0;
  };
  EXPECT_EQ(find("neighbourhood_window"), d.neighbourhood_window);
  EXPECT_EQ(find("neighbourhood_weight"), d.neighbourhood_weight);
  EXPECT_EQ(find("patch_share"), d.patch_share);
  EXPECT_EQ(find("max_rounds"), d.max_rounds);
  EXPECT_EQ(find("phase_full_share"), d.phase_full_share);
  EXPECT_EQ(find("selection_exponent"), d.selection_exponent);
  EXPECT_NO_THROW(d.validate(8));
}

TEST(SimParams, rejects_an_even_window_naming_the_key) {
  Params p;
  p.neighbourhood_window = 4;
  try {
    p.validate(3);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "sim.neighbourhood_window");
  }
}

TEST(SimParams, rejects_a_neighbourhood_weight_above_one_and_a_wrong_class_list) {
  Params p;
  p.neighbourhood_weight = 1.01;
  EXPECT_THROW(p.validate(3), Error);
  Params q;
  q.class_neighbourhood_weight = {0.5, 0.5};
  try {
    q.validate(3);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.context().key, "sim.class_neighbourhood_weight");
  }
}

TEST(SimParams, rejects_an_observed_patch_size_below_one_cell) {
  Params p;
  p.patch_sizes_cells = {1, 4, 0};
  try {
    p.validate(2);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.context().key, "sim.patch_sizes_cells");
    EXPECT_NE(std::string(e.what()).find("got 0"), std::string::npos) << e.what();
  }
  p.patch_sizes_cells = {1, 4, 9};
  EXPECT_NO_THROW(p.validate(2));
}

}  // namespace
}  // namespace parksim::sim
