#pragma once
// The scenario schema: every key a scenario file may contain, with its kind, unit, DEFAULT, range and description.
// Keys are dotted paths ("demand.enterprise_growth_rate"); a segment "*" matches any key (maps such as
// "phases.open_year.*"), and "name[]" is an array of tables whose entries have the keys "name[].field".
// Thread-safe after construction (read-only).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/params.hpp"

namespace parksim::scenario {

enum class ValueKind { boolean, integer, real, text, integer_list, real_list, text_list, table_array, table };

std::string_view to_string(ValueKind kind) noexcept;

struct KeySpec {
  std::string key;        ///< dotted path, may contain "*" segments and "[]" suffixes
  ValueKind kind = ValueKind::real;
  ParamInfo info;         ///< unit, DEFAULT, bounds, description, choices (info.name is unused)
  bool has_default = true;  ///< false: no default is written into the effective scenario
  bool required = false;    ///< the effective scenario must have it (from some file in the extends chain)
  bool path = false;        ///< text naming a file, relative to the file that sets it (Scenario::get_path)
};

class Schema {
 public:
  void add(KeySpec spec);
  /// Adds a module's declared parameters under `section` ("sim" → "sim.neighbourhood_weight").
  void add_section(std::string_view section, const std::vector<ParamInfo>& params);

  /// The spec matching a concrete key ("phases.open_year.3" matches "phases.open_year.*"), or nullptr.
  const KeySpec* find(std::string_view key) const;
  /// True when `key` is a table or table array that has keys below it in the schema.
  bool is_table_prefix(std::string_view key) const;
  /// The closest known key to a misspelt one (edit distance), if any is close enough.
  std::optional<std::string> suggest(std::string_view key) const;

  const std::vector<KeySpec>& keys() const noexcept { return m_keys; }

 private:
  std::vector<KeySpec> m_keys;
};

/// The schema of parksim scenario files (documented in docs/scenario-format.md).
const Schema& scenario_schema();

/// The allowed values of a text parameter, from ParamInfo::choices ("park,corridor" -> {"park", "corridor"}).
std::vector<std::string_view> split_choices(std::string_view choices);
/// The segments of a dotted key ("suitability.coefficients.urban.dist_built_m>632.5" → suitability, coefficients,
/// urban, dist_built_m>632.5): a segment runs to the next '.', except that from a '>' on (a hinge term's name, whose
/// knot has a decimal point) it is the rest of the key.
std::vector<std::string_view> split_key(std::string_view key);

/// Levenshtein edit distance (for suggestions).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace parksim::scenario
