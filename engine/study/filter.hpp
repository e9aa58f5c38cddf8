#pragma once
// Attribute filters of vector features ("where" in scenario files): which roads, stations or corridor axes a driver
// or an infrastructure entry means. Which feature matters is data, chosen by the scenario - never a name in C++.
//
// Syntax: clauses `field = 'text'`, `field = number`, `field != value` or an order `field < number` (<=, >, >=),
// joined by ` and `; groups joined by ` or ` (and binds tighter). "" matches every feature. Values compare as
// numbers when both sides are numbers ("2029" = 2029.0), else as exact text; an order matches only numbers. Plain value; thread-safe to read.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "plan/plan.hpp"

namespace parksim::study {

class FeatureFilter {
 public:
  FeatureFilter() = default;
  /// Throws Error(config, where) naming the part that is not of the form field = value.
  static FeatureFilter parse(std::string_view text, const Context& where = {});

  /// The value of a field of one feature as text; nullopt when the feature has no such field (no match).
  using Lookup = std::function<std::optional<std::string>(std::string_view field)>;
  bool matches(const Lookup& value_of) const;

  bool empty() const noexcept { return m_groups.empty(); }
  const std::string& text() const noexcept { return m_text; }
  /// Every field the filter names, in order of appearance, without repeats.
  std::vector<std::string> fields() const;

 private:
  struct Clause {
    std::string field, value;
    std::string op = "=";  ///< =, !=, <, <=, >, >=
  };
  std::string m_text;
  std::vector<std::vector<Clause>> m_groups;  // or of and
};

/// The fields a filter may name on a plan layer's features: name, name_zh, kind (the layer's category: the axis of
/// `corridor`, the tier of `corridor_band` and `bases`, the line of `stations`, the class of `roads`; also called
/// line, class and tier) and opens (the opening year).
inline constexpr const char* plan_feature_fields = "name, name_zh, kind (or line, class, tier), opens";
std::optional<std::string> plan_feature_value(const plan::Feature& feature, std::string_view field);

/// Throws Error(config, where) when the filter names a field outside `known` (listing them).
void require_fields(const FeatureFilter& filter, const std::vector<std::string>& known, const Context& where);

/// One entry of an infrastructure timeline: the features of a plan layer (stations or roads) matching `where` open
/// in `year`.
struct Opening {
  int year = 0;
  std::string layer, where, name;  ///< name: label in the report (DEFAULT the filter text)
  Context context;                 ///< where the entry was declared
};

/// Sets the opening year of the matching plan features. A filter that matches nothing is a warning Problem
/// ("infrastructure.no_match"), each applied entry an info Problem. Throws Error(config, context) for a layer other
/// than stations and roads or a filter on an unknown field.
void apply_openings(plan::Plan& plan, const std::vector<Opening>& openings, ProblemReporter& problems);

}  // namespace parksim::study
