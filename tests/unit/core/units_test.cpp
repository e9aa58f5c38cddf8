#include "core/units.hpp"

#include <gtest/gtest.h>

namespace parksim::units {
namespace {

TEST(Units, one_mu_is_two_thousand_thirds_square_metres_exactly) {
  EXPECT_DOUBLE_EQ(mu_to_m2(1.0), 2000.0 / 3.0);
  EXPECT_DOUBLE_EQ(mu_to_m2(15.0), 10'000.0);  // 15 mu = 1 ha
  EXPECT_DOUBLE_EQ(m2_to_mu(10'000.0), 15.0);
}

TEST(Units, three_thousand_mu_is_two_square_kilometres) {
  EXPECT_DOUBLE_EQ(mu_to_km2(3000.0), 2.0);
  EXPECT_DOUBLE_EQ(km2_to_mu(7.2), 10'800.0);
}

TEST(Units, square_kilometres_and_hectares) {
  EXPECT_DOUBLE_EQ(km2_to_m2(2.5), 2'500'000.0);
  EXPECT_DOUBLE_EQ(m2_to_km2(4'700'000.0), 4.7);
  EXPECT_DOUBLE_EQ(m2_to_ha(379'300.0), 37.93);
  EXPECT_DOUBLE_EQ(ha_to_m2(37.93), 379'300.0);
}

}  // namespace
}  // namespace parksim::units
