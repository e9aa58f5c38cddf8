#pragma once
// The `parksim` command's subcommands. Each returns the process exit code; errors are parksim::Error, which
// main() prints to stderr and maps to the stable exit codes (core/error.hpp). Output for people goes to stdout;
// diagnostics and progress to stderr.

#include <filesystem>
#include <iosfwd>
#include <string>

namespace parksim::cli {

struct InfoOptions {
  std::filesystem::path dataset;
  std::filesystem::path mapping;  ///< field-mapping TOML; empty = identity
  std::string assume_crs;         ///< --crs: CRS of layers that have none
  bool json = false;
};
int run_info(const InfoOptions& options, std::ostream& out, std::ostream& err);

struct ValidateOptions {
  std::filesystem::path target;   ///< a scenario (.toml) or a dataset
  std::filesystem::path mapping;
  std::string assume_crs;
};
int run_validate(const ValidateOptions& options, std::ostream& out, std::ostream& err);

/// Entry point behind main(): parses the command line and runs a subcommand.
int main(int argc, char** argv);

}  // namespace parksim::cli
