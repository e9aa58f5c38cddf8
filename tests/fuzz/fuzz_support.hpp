#pragma once
// Shared by the libFuzzer targets: what a target may throw (parksim::Error for bad input is the expected outcome;
// anything else - another exception, a crash, a sanitizer report, a leak, a timeout, running out of memory - is a
// finding), and the memory budget every target runs under so that a claimed size is refused rather than allocated.

#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <list>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/budget.hpp"
#include "core/error.hpp"

namespace parksim::fuzz {

/// The budget of the targets: well below libFuzzer's -rss_limit_mb, so a reader that checks its estimate refuses
/// first and a reader that does not is caught as an out-of-memory.
inline constexpr std::uint64_t memory_budget_bytes = std::uint64_t{256} << 20;

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A folder of this process for the files a target writes (`name` tells the targets apart): made on the call,
/// removed with its contents when the process exits normally (a crash leaves it for inspection).
inline std::filesystem::path private_folder(const std::string& name) {
  struct RemovedAtExit {
    std::filesystem::path dir;
    explicit RemovedAtExit(std::filesystem::path d) : dir(std::move(d)) {}
    RemovedAtExit(const RemovedAtExit&) = delete;
    RemovedAtExit& operator=(const RemovedAtExit&) = delete;
    ~RemovedAtExit() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  };
  static std::list<RemovedAtExit> folders;
  auto dir = std::filesystem::temp_directory_path() / ("parksim-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  folders.emplace_back(dir);
  return dir;
}

/// Runs `body`; parksim::Error is what bad input should give and is swallowed (printed to stderr when the
/// environment sets PARKSIM_FUZZ_VERBOSE, to see why a seed stops early). Anything else escapes to libFuzzer, which
/// reports it as a crash (an uncaught exception aborts).
template <class Body>
int run_one(Body&& body) {
  static const bool verbose = std::getenv("PARKSIM_FUZZ_VERBOSE") != nullptr;
  set_memory_budget_bytes(memory_budget_bytes);
  try {
    body();
  } catch (const Error& e) {
    if (verbose) std::fprintf(stderr, "parksim::Error: %s\n", e.what());
  }
  return 0;
}

}  // namespace parksim::fuzz
