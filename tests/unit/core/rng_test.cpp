#include "core/rng.hpp"

#include <cmath>
#include <algorithm>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

namespace parksim {
namespace {

// Golden values pin our distributions: a change in any of them changes every simulation result, so it
// must be deliberate (update the goldens and say why in the commit).
constexpr double kGoldenTolerance = 1e-15;

TEST(Philox, matches_the_random123_known_answer_vector) {
  // Random123 kat_vectors: philox4x64 10, counter 0 0 0 0, key 0 0.
  const auto out = philox4x64_block(0, 0, 0, 0);
  EXPECT_EQ(out[0], 0x16554d9eca36314cULL);
  EXPECT_EQ(out[1], 0xdb20fe9d672d0fdcULL);
  EXPECT_EQ(out[2], 0xd7e772cee186176bULL);
  EXPECT_EQ(out[3], 0x7e68b68aec7ba23bULL);
}

TEST(StreamTag, is_fnv1a_of_the_name) {
  EXPECT_EQ(stream_tag(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(stream_tag("a"), 0xaf63dc4c8601ec8cULL);  // FNV-1a 64 reference value
  static_assert(stream_tag("sim") != stream_tag("alloc"));
}

TEST(RngStream, same_seed_tag_and_index_give_the_same_sequence) {
  RngStream a(42, "sim.seed_patches", 7);
  RngStream b(42, "sim.seed_patches", 7);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
}

TEST(RngStream, seed_tag_and_index_each_change_the_sequence) {
  const auto first = [](RngStream s) { return s.next_u64(); };
  const std::uint64_t base = first(RngStream(42, "x", 0));
  EXPECT_NE(base, first(RngStream(43, "x", 0)));
  EXPECT_NE(base, first(RngStream(42, "y", 0)));
  EXPECT_NE(base, first(RngStream(42, "x", 1)));
}

TEST(RngStream, uniform_golden_values) {
  RngStream s(2026, "golden", 0);
  const double expected[] = {0.80083522000234397, 0.71362252541153059, 0.74989923375949119, 0.56049475917057445,
                             0.93007755413984838};
  for (double e : expected) EXPECT_NEAR(s.uniform(), e, kGoldenTolerance);
}

TEST(RngStream, normal_golden_values) {
  RngStream s(2026, "golden", 1);
  const double expected[] = {0.46872454141401343, -0.98574954450908303, -1.29011153072548, 0.40645764447146088,
                             0.80405676871389709};
  for (double e : expected) EXPECT_NEAR(s.normal(), e, 1e-12);
}

TEST(RngStream, poisson_golden_values_small_and_large_mean) {
  RngStream s(2026, "golden", 2);
  const std::uint64_t expected_small[] = {3, 4, 6, 2, 2, 8};
  for (auto e : expected_small) EXPECT_EQ(s.poisson(3.5), e);
  const std::uint64_t expected_large[] = {233, 219, 254, 276, 254, 231};
  for (auto e : expected_large) EXPECT_EQ(s.poisson(250.0), e);
}

TEST(RngStream, uniform_int_golden_values_and_range) {
  RngStream s(2026, "golden", 3);
  const std::uint64_t expected[] = {0, 7, 6, 7, 8, 9, 1, 8};
  for (auto e : expected) EXPECT_EQ(s.uniform_int(10), e);
  for (int i = 0; i < 10000; ++i) ASSERT_LT(s.uniform_int(7), 7u);
}

// Statistical sanity: a broken transform (wrong constant, swapped branch) shows up far outside these
// bounds, which are > 6 standard errors wide for n = 200 000.
constexpr int kSamples = 200'000;

TEST(RngStream, uniform_has_mean_one_half_and_variance_one_twelfth) {
  RngStream s(1, "stats", 0);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double u = s.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
  }
  const double mean = sum / kSamples;
  EXPECT_NEAR(mean, 0.5, 0.004);
  EXPECT_NEAR(sum2 / kSamples - mean * mean, 1.0 / 12.0, 0.002);
}

TEST(RngStream, normal_has_mean_zero_and_unit_variance) {
  RngStream s(1, "stats", 1);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double z = s.normal();
    sum += z;
    sum2 += z * z;
  }
  EXPECT_NEAR(sum / kSamples, 0.0, 0.015);
  EXPECT_NEAR(sum2 / kSamples, 1.0, 0.02);
}

TEST(RngStream, poisson_mean_and_variance_equal_lambda) {
  for (double lambda : {0.7, 4.0, 9.9, 10.0, 37.5, 1000.0}) {
    RngStream s(1, "stats.poisson", static_cast<std::uint64_t>(lambda * 10));
    double sum = 0, sum2 = 0;
    for (int i = 0; i < kSamples; ++i) {
      const double k = static_cast<double>(s.poisson(lambda));
      sum += k;
      sum2 += k * k;
    }
    const double mean = sum / kSamples;
    const double var = sum2 / kSamples - mean * mean;
    const double se = std::sqrt(lambda / kSamples);
    EXPECT_NEAR(mean, lambda, 6 * se) << "lambda " << lambda;
    EXPECT_NEAR(var / lambda, 1.0, 0.03) << "lambda " << lambda;
  }
}

TEST(RngStream, poisson_of_zero_mean_is_zero) {
  RngStream s(1, "p", 0);
  EXPECT_EQ(s.poisson(0.0), 0u);
  EXPECT_EQ(s.poisson(-1.0), 0u);
}

TEST(RngStream, exponential_has_mean_one_over_rate) {
  RngStream s(1, "stats.exp", 0);
  double sum = 0;
  for (int i = 0; i < kSamples; ++i) sum += s.exponential(0.5);
  EXPECT_NEAR(sum / kSamples, 2.0, 0.03);
}

TEST(RngStream, shuffle_is_a_deterministic_permutation) {
  std::vector<int> a(50), b(50);
  std::iota(a.begin(), a.end(), 0);
  std::iota(b.begin(), b.end(), 0);
  RngStream s1(9, "shuffle", 0), s2(9, "shuffle", 0);
  s1.shuffle(a.begin(), a.end());
  s2.shuffle(b.begin(), b.end());
  EXPECT_EQ(a, b);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> identity(50);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(sorted, identity);
  EXPECT_NE(a, identity);
}

}  // namespace
}  // namespace parksim
