#include "core/rng.hpp"

#include <cmath>
#include <numbers>

#include <Random123/philox.h>

namespace parksim {

std::array<std::uint64_t, 4> philox4x64_block(std::uint64_t seed, std::uint64_t tag, std::uint64_t index,
                                        std::uint64_t block) noexcept {
  r123::Philox4x64 generator;
  const r123::Philox4x64::key_type key = {{seed, tag}};
  const r123::Philox4x64::ctr_type counter = {{index, block, 0, 0}};
  const auto out = generator(counter, key);
  return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

RngStream::RngStream(std::uint64_t seed, std::uint64_t tag, std::uint64_t index) noexcept
    : m_seed(seed), m_tag(tag), m_index(index) {}

std::uint64_t RngStream::next_u64() noexcept {
  if (m_used == 4) {
    m_buffer = philox4x64_block(m_seed, m_tag, m_index, m_block++);
    m_used = 0;
  }
  return m_buffer[m_used++];
}

std::uint64_t RngStream::uniform_int(std::uint64_t n) noexcept {
  // Lemire, "Fast random integer generation in an interval" (2019).
  __extension__ using u128 = unsigned __int128;  // GCC/Clang extension; -Wpedantic accepts it marked so
  u128 m = static_cast<u128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<u128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double RngStream::normal() noexcept {
  if (m_has_spare_normal) {
    m_has_spare_normal = false;
    return m_spare_normal;
  }
  // 1 - u is in (0, 1], so the log is finite.
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 2.0 * std::numbers::pi * u2;
  m_spare_normal = r * std::sin(theta);
  m_has_spare_normal = true;
  return r * std::cos(theta);
}

double RngStream::exponential(double rate) noexcept { return -std::log(1.0 - uniform()) / rate; }

std::uint64_t RngStream::poisson(double mean) noexcept {
  if (!(mean > 0.0)) return 0;
  if (mean < 10.0) {
    // Inversion by sequential search.
    double p = std::exp(-mean);
    double cumulative = p;
    const double u = uniform();
    std::uint64_t k = 0;
    while (u > cumulative) {
      ++k;
      p *= mean / static_cast<double>(k);
      const double next = cumulative + p;
      if (next == cumulative) break;  // tail below double resolution
      cumulative = next;
    }
    return k;
  }
  // PTRS: W. Hoermann, "The transformed rejection method for generating Poisson random variables",
  // Insurance: Mathematics and Economics 12 (1993) 39-45.
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform() - 0.5;
    const double v = uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - std::lgamma(k + 1.0)) {
      return static_cast<std::uint64_t>(k);
    }
  }
}

}  // namespace parksim
