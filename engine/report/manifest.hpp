#pragma once
// manifest.json: what a bundle was made from and what it holds - input hashes, the effective scenario, seed, runs,
// threads, library versions, start/end time, and every file of the bundle with its size and SHA-256.
// Thread-safety: pure functions (reading files).

#include <cstdint>
#include <filesystem>
#include <string>

#include "report/run_result.hpp"

namespace parksim::report {

/// Lower-case hex SHA-256 of the bytes of `path` (OpenSSL EVP). Throws Error(ErrorCode::input) naming the path
/// when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

/// Lower-case hex SHA-256 of `bytes`.
std::string sha256_text(std::string_view bytes);

/// The manifest of the bundle directory `bundle_dir` (JSON text, UTF-8, 2-space indent, "\n" at the end):
///   parksim_version, scenario, question, description, seed, runs, threads, start_year, end_year, key_years,
///   started, finished, inputs [{path, size_bytes, sha256}] (a directory input lists each regular file below it,
///   sorted), library_versions {name: version},
///   classes [{id, code (the cell value in the class rasters), key, name_en, name_zh, colour, built,
///   fixed, landuse_codes}], input_layers [{name, features, schematic, surveyed}] (the plan's layers and what they rest
///   on), schematic_layers [name] (those with schematic features), effective_scenario (TOML text),
///   files [{path, size_bytes, sha256}]: every regular file below bundle_dir except manifest.json, by path
///   relative to bundle_dir with "/" separators, sorted.
/// Only `started` / `finished` (copied as given) depend on the clock. Throws Error(ErrorCode::input) naming an
/// input file that is missing or unreadable.
std::string manifest_json(const RunResult& result, const std::filesystem::path& bundle_dir,
                          const std::string& started, const std::string& finished);

}  // namespace parksim::report
