#pragma once
// Parameters declared as data: each parameter struct of this module has a static info() table, so the
// scenario module, the CLI and the docs can list names, units, defaults and ranges without duplicating
// them. The tables are checked against the structs' default values by the unit tests.

#include <string_view>

namespace parksim::model {

/// One parameter of a parameter struct. `default_value`, `min` and `max` are in `unit`.
struct ParamInfo {
  std::string_view name;         ///< member name, also the scenario key below the struct's section
  std::string_view unit;         ///< "m2", "1/year", "1" for dimensionless, ...
  double default_value;          ///< the DEFAULT of the struct member
  std::string_view description;  ///< one sentence
  double min;                    ///< smallest accepted value (inclusive)
  double max;                    ///< largest accepted value (inclusive)
};

}  // namespace parksim::model
