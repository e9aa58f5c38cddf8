#pragma once
// Shared by the libFuzzer targets: what a target may throw (parksim::Error for bad input is the expected outcome;
// anything else - another exception, a crash, a sanitizer report, a leak, a timeout, running out of memory - is a
// finding), and the memory budget every target runs under so that a claimed size is refused rather than allocated.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string_view>

#include "core/budget.hpp"
#include "core/error.hpp"

namespace parksim::fuzz {

/// The budget of the targets: well below libFuzzer's -rss_limit_mb, so a reader that checks its estimate refuses
/// first and a reader that does not is caught as an out-of-memory.
inline constexpr std::uint64_t memory_budget_bytes = std::uint64_t{256} << 20;

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Runs `body`; parksim::Error is what bad input should give and is swallowed. Anything else escapes to libFuzzer,
/// which reports it as a crash (an uncaught exception aborts).
template <class Body>
int run_one(Body&& body) {
  set_memory_budget_bytes(memory_budget_bytes);
  try {
    body();
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace parksim::fuzz
