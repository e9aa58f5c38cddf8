#pragma once
// Helpers for the report tests: directory listings (TempDir and read_bytes: tests/unit/temp_dir.hpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace parksim::report::testing {

using test_support::read_bytes;
using test_support::TempDir;

/// Every regular file below `dir`, relative, sorted.
inline std::vector<std::string> tree(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(std::filesystem::relative(e.path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Names directly in `dir`, sorted (also hidden ones: temporaries must not be left).
inline std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace parksim::report::testing
