#include "core/progress.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace parksim {
namespace {

constexpr double kFractionTolerance = 1e-12;

TEST(Progress, sub_progress_is_scaled_into_the_parent_span) {
  std::vector<double> seen;
  Progress root([&](double f, std::string_view) {
    seen.push_back(f);
    return true;
  });
  const Progress second_half = root.sub(0.5, 1.0);
  const Progress last_quarter = second_half.sub(0.5, 1.0);
  second_half.report(0.0);
  last_quarter.report(0.5);
  last_quarter.report(1.0);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_NEAR(seen[0], 0.5, kFractionTolerance);
  EXPECT_NEAR(seen[1], 0.875, kFractionTolerance);
  EXPECT_NEAR(seen[2], 1.0, kFractionTolerance);
}

TEST(Progress, callback_returning_false_cancels_every_copy) {
  Progress root([](double f, std::string_view) { return f < 0.5; });
  const Progress child = root.sub(0.0, 1.0);
  EXPECT_TRUE(child.report(0.25));
  EXPECT_FALSE(child.report(0.75));
  EXPECT_TRUE(root.cancelled());
  EXPECT_FALSE(root.report(0.1));
  try {
    child.check(0.9);
    FAIL() << "check() did not throw after cancellation";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
}

TEST(Progress, fractions_never_go_backwards) {
  std::vector<double> seen;
  Progress root([&](double f, std::string_view) {
    seen.push_back(f);
    return true;
  });
  root.report(0.6);
  root.report(0.4);  // a slower worker reporting late
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_NEAR(seen[1], 0.6, kFractionTolerance);
}

TEST(Progress, silent_handle_can_still_be_cancelled) {
  Progress silent;
  EXPECT_TRUE(silent.report(0.3, "step"));
  silent.cancel();
  EXPECT_THROW(silent.throw_if_cancelled(), Error);
}

TEST(Progress, throwing_callback_cancels_instead_of_unwinding) {
  Progress root([](double, std::string_view) -> bool { throw std::runtime_error("ui closed"); });
  EXPECT_FALSE(root.report(0.1));
  EXPECT_TRUE(root.cancelled());
}

}  // namespace
}  // namespace parksim
