#pragma once
// Parameters declared as data. Each module's parameter struct (sim::Params, model::EnterpriseParams, ...) publishes a
// table of ParamInfo so the scenario loader, the CLI's documentation, the report and Python can all list names,
// units, defaults and ranges from one place, instead of each repeating them. A literal type: tables can be
// constexpr arrays, e.g. {"floor_area_ratio", "1", 1.5, "floor area ratio of new plots", 0.05, 20.0}.

#include <limits>
#include <string_view>

namespace parksim {

enum class ParamKind { boolean, integer, real, text };

/// Declaration of one parameter. `name` is the key inside the module's scenario section (e.g. "neighbourhood_weight"
/// in [sim]); `unit` is "1" or empty for dimensionless values ("m", "m2", "mu", "1/yr", "yr", "s", "%").
struct ParamInfo {
  std::string_view name;
  std::string_view unit;
  double default_value = 0.0;  ///< DEFAULT for boolean/integer/real (booleans: 0 or 1), in `unit`
  std::string_view description;
  double min = -std::numeric_limits<double>::infinity();  ///< inclusive bounds for numbers, in `unit`
  double max = std::numeric_limits<double>::infinity();
  ParamKind kind = ParamKind::real;
  std::string_view default_text;  ///< DEFAULT for text parameters
  std::string_view choices;       ///< allowed values of a text parameter, comma-separated ("park,corridor"); empty: any
};

}  // namespace parksim
