#pragma once
// Parameters declared as data. Each module's parameter struct (sim::Params, alloc::Params, ...) publishes a table of
// ParamInfo so the scenario loader, the CLI's documentation, the report and Python can all list names, units,
// defaults and ranges from one place, instead of each repeating them.

#include <limits>
#include <string_view>
#include <vector>

namespace parksim {

enum class ParamKind { boolean, integer, real, text };

/// Declaration of one parameter. `name` is the key inside the module's scenario section (e.g. "neighbourhood_weight"
/// in [sim]); `unit` is empty for dimensionless values ("m", "m2", "mu", "1/yr", "yr", "s", "%").
struct ParamInfo {
  std::string_view name;
  ParamKind kind = ParamKind::real;
  std::string_view unit;
  double default_value = 0.0;         ///< DEFAULT for boolean/integer/real (booleans: 0 or 1)
  std::string_view default_text;      ///< DEFAULT for text parameters
  double min = -std::numeric_limits<double>::infinity();  ///< inclusive bounds for numbers
  double max = std::numeric_limits<double>::infinity();
  std::string_view description;
  std::vector<std::string_view> choices = {};  ///< allowed values of a text parameter (empty: any)
};

}  // namespace parksim
