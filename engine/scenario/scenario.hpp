#pragma once
// A scenario: the effective parameters of one run, read from a TOML file (and the files it `extends`), validated
// against the scenario schema (schema.hpp), with every default resolved. Format: docs/scenario-format.md.
//
// Errors (ErrorCode::config, or ErrorCode::input for an unreadable file) name `file:line` and the key, e.g.
//   what-if.toml:7: 'sim.neighbourhod_size': unknown key; did you mean 'sim.neighbourhood_size'?
// Value type: copyable, not thread-safe for concurrent set(); concurrent reads are fine.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace parksim::scenario {

using Value = std::variant<bool, std::int64_t, double, std::string, std::vector<std::int64_t>, std::vector<double>,
                           std::vector<std::string>>;

class Scenario {
 public:
  /// Reads `path` and its extends chain (at most 8 deep; cycles are errors).
  static Scenario load(const std::filesystem::path& path);
  /// Parses TOML text; `origin` names it in messages, and its parent folder resolves relative paths and `extends`.
  static Scenario parse(std::string_view toml_text, const std::filesystem::path& origin);

  Scenario(const Scenario& other);
  Scenario& operator=(const Scenario& other);
  Scenario(Scenario&&) noexcept;
  Scenario& operator=(Scenario&&) noexcept;
  ~Scenario();

  /// The file given to load() (or the origin given to parse()).
  const std::filesystem::path& path() const noexcept;
  /// The extends chain, most basic file first, the scenario file last.
  const std::vector<std::filesystem::path>& files() const noexcept;
  std::string name() const { return get_text("name"); }

  /// True when the effective scenario has a value at `key` (dotted; "infrastructure[0].year" for table arrays).
  bool has(std::string_view key) const;
  bool get_bool(std::string_view key) const;
  std::int64_t get_int(std::string_view key) const;
  double get_real(std::string_view key) const;  ///< integers are accepted
  std::string get_text(std::string_view key) const;
  std::vector<std::int64_t> get_int_list(std::string_view key) const;
  std::vector<double> get_real_list(std::string_view key) const;
  std::vector<std::string> get_text_list(std::string_view key) const;
  /// Keys of the table at `key`, sorted ("phases.open_year" → {"1-2", "3"}); empty when absent.
  std::vector<std::string> child_keys(std::string_view key) const;
  /// Number of entries of the array at `key`; 0 when absent.
  std::size_t array_size(std::string_view key) const;
  /// A path-valued key (KeySpec::path) resolved against the folder of the file that set it (absolute paths stay
  /// as they are; a value set() in code resolves against the working directory). Error(usage) for any other key.
  std::filesystem::path get_path(std::string_view key) const;
  /// Every key with a value (leaves, dotted; "infrastructure[0].year" for table arrays), sorted.
  std::vector<std::string> keys() const;
  /// A copy whose file-path keys (KeySpec::path, also in maps such as study.maps.<year>) hold absolute paths, so it
  /// reads the same files from any folder or process. Keys and lines of the origin are kept.
  Scenario with_absolute_paths() const;
  /// A copy whose file-path keys hold paths relative to `folder` (for a scenario file written there).
  Scenario with_paths_relative_to(const std::filesystem::path& folder) const;

  /// "file.toml:12" of the file and line that set `key`, or "" for a default: for later stages' messages.
  std::string where(std::string_view key) const;
  /// Where `key` was set as an error Context: the file and line that set it (the scenario file for a default)
  /// and the key.
  Context context(std::string_view key) const;

  /// Changes one value, validated against the schema exactly as a file's value would be (ErrorCode::config).
  void set(std::string_view key, const Value& value);
  /// Removes a value or a whole table ("suitability.coefficients"); nothing happens when it is absent. A key with a
  /// DEFAULT goes back to it.
  void remove(std::string_view key);

  /// The effective scenario as TOML / JSON: every default resolved, keys sorted — deterministic text.
  std::string to_toml() const;
  std::string to_json() const;

 private:
  struct Impl;
  explicit Scenario(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace parksim::scenario
