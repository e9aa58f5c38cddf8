#pragma once
// Deterministic random numbers: counter-based Philox4x64-10 (Random123) keyed by (seed, stream tag),
// counted by (index, block). A stream is fully defined by (seed, tag, index), so run 17 of an ensemble or
// cell 40 123 of a grid draws the same numbers whichever thread computes it and in whatever order.
//
// The distributions are our own (never std::*_distribution, whose algorithms differ between standard
// libraries); their outputs are pinned by golden-value tests.
//
// RngStream is a small value type (copyable: a copy continues independently from the same position).
// Not thread-safe: use one stream per task.

#include <array>
#include <cstdint>
#include <string_view>

namespace parksim {

/// 64-bit FNV-1a hash of a name: the stream tag of a purpose ("sim.seed_patches", "ensemble.run").
constexpr std::uint64_t stream_tag(std::string_view name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// The raw generator: four 64-bit words for (seed, tag, index, block). Pure function.
std::array<std::uint64_t, 4> philox4x64_block(std::uint64_t seed, std::uint64_t tag, std::uint64_t index,
                                        std::uint64_t block) noexcept;

/// Uniform double in [0, 1) from the top 53 bits of a 64-bit word.
constexpr double u64_to_unit(std::uint64_t x) noexcept {
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

class RngStream {
 public:
  RngStream(std::uint64_t seed, std::uint64_t tag, std::uint64_t index = 0) noexcept;
  RngStream(std::uint64_t seed, std::string_view tag, std::uint64_t index = 0) noexcept
      : RngStream(seed, stream_tag(tag), index) {}

  /// Next 64 random bits.
  std::uint64_t next_u64() noexcept;
  /// Uniform in [0, 1).
  double uniform() noexcept { return u64_to_unit(next_u64()); }
  /// Uniform in [low, high).
  double uniform(double low, double high) noexcept { return low + (high - low) * uniform(); }
  /// Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). n must be > 0.
  std::uint64_t uniform_int(std::uint64_t n) noexcept;
  /// Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  double normal() noexcept;
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }
  /// Exponential with the given rate (> 0).
  double exponential(double rate) noexcept;
  /// Poisson with the given mean (>= 0): inversion below mean 10, Hoermann's PTRS above.
  std::uint64_t poisson(double mean) noexcept;

  /// Fisher-Yates shuffle of [first, last) with this stream (std::shuffle's algorithm is not portable).
  template <class RandomIt>
  void shuffle(RandomIt first, RandomIt last) noexcept {
    const auto n = last - first;
    for (auto i = n - 1; i > 0; --i) {
      const auto j = static_cast<decltype(i)>(uniform_int(static_cast<std::uint64_t>(i) + 1));
      using std::swap;
      swap(first[i], first[j]);
    }
  }

  std::uint64_t seed() const noexcept { return m_seed; }
  std::uint64_t tag() const noexcept { return m_tag; }
  std::uint64_t index() const noexcept { return m_index; }

 private:
  std::uint64_t m_seed;
  std::uint64_t m_tag;
  std::uint64_t m_index;
  std::uint64_t m_block = 0;
  std::array<std::uint64_t, 4> m_buffer{};
  unsigned m_used = 4;
  bool m_has_spare_normal = false;
  double m_spare_normal = 0.0;
};

}  // namespace parksim
