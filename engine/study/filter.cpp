#include "study/filter.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace parksim::study {

namespace {

std::string trim(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return std::string(t);
}

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> out;
  while (true) {
    const auto at = text.find(separator);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text = text.substr(at + separator.size());
  }
  return out;
}

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

bool same_value(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const auto x = number(a), y = number(b);
  return x && y && *x == *y;
}

// The comparison operators, longest first so that "<=" is not read as "<".
constexpr std::string_view operators[] = {"!=", "<=", ">=", "=", "<", ">"};

// Where the clause's operator starts (before any quoted value) and which it is; npos when there is none.
std::pair<std::size_t, std::string_view> find_operator(std::string_view part) {
  const std::size_t quote = part.find_first_of("'\"");
  const std::string_view head = part.substr(0, quote);
  const std::size_t at = head.find_first_of("!<>=");
  if (at == std::string_view::npos) return {at, {}};
  for (std::string_view op : operators) {
    if (head.substr(at, op.size()) == op) return {at, op};
  }
  return {std::string_view::npos, {}};
}

bool compare(const std::string& value, const std::string& op, const std::string& wanted) {
  if (op == "=") return same_value(value, wanted);
  if (op == "!=") return !same_value(value, wanted);
  const auto x = number(value), y = number(wanted);
  if (!x || !y) return false;  // an order needs two numbers
  if (op == "<") return *x < *y;
  if (op == "<=") return *x <= *y;
  if (op == ">") return *x > *y;
  return *x >= *y;
}

}  // namespace

FeatureFilter FeatureFilter::parse(std::string_view text, const Context& where) {
  FeatureFilter f;
  f.m_text = trim(text);
  if (f.m_text.empty()) return f;
  for (std::string_view group : split(f.m_text, " or ")) {
    std::vector<Clause> clauses;
    for (std::string_view part : split(group, " and ")) {
      const auto [at, op] = find_operator(part);
      if (at == std::string_view::npos || trim(part.substr(0, at)).empty()) {
        throw Error(ErrorCode::config,
                    fmt::format("'{}' is not of the form field = 'value' (or !=, <, <=, >, >= a number; clauses "
                                "joined by ' and ' / ' or ')",
                                trim(part)),
                    where);
      }
      Clause c{trim(part.substr(0, at)), trim(part.substr(at + op.size())), std::string(op)};
      if (c.value.size() >= 2 && (c.value.front() == '\'' || c.value.front() == '"') &&
          c.value.back() == c.value.front()) {
        c.value = c.value.substr(1, c.value.size() - 2);
      }
      clauses.push_back(std::move(c));
    }
    f.m_groups.push_back(std::move(clauses));
  }
  return f;
}

bool FeatureFilter::matches(const Lookup& value_of) const {
  if (m_groups.empty()) return true;
  for (const auto& group : m_groups) {
    bool all = true;
    for (const auto& c : group) {
      const auto v = value_of(c.field);
      if (!v || !compare(*v, c.op, c.value)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

std::vector<std::string> FeatureFilter::fields() const {
  std::vector<std::string> out;
  for (const auto& group : m_groups) {
    for (const auto& c : group) {
      if (std::find(out.begin(), out.end(), c.field) == out.end()) out.push_back(c.field);
    }
  }
  return out;
}

std::optional<std::string> plan_feature_value(const plan::Feature& feature, std::string_view field) {
  if (field == "name") return feature.name;
  if (field == "name_zh") return feature.name_zh;
  if (field == "kind" || field == "line" || field == "class" || field == "tier") return feature.kind;
  if (field == "opens") return std::to_string(feature.opens_year);
  return std::nullopt;
}

void require_fields(const FeatureFilter& filter, const std::vector<std::string>& known, const Context& where) {
  for (const auto& field : filter.fields()) {
    if (std::find(known.begin(), known.end(), field) == known.end()) {
      throw Error(ErrorCode::config, fmt::format("unknown field '{}' (fields: {})", field, fmt::join(known, ", ")),
                  where);
    }
  }
}

void apply_openings(plan::Plan& plan, const std::vector<Opening>& openings, ProblemReporter& problems) {
  for (const auto& o : openings) {
    Context where_key = o.context;
    where_key.key += ".where";
    if (o.layer != "stations" && o.layer != "roads") {
      Context at = o.context;
      at.key += ".layer";
      throw Error(ErrorCode::config, fmt::format("layer must be stations or roads, got \"{}\"", o.layer), at);
    }
    const FeatureFilter filter = FeatureFilter::parse(o.where, where_key);
    require_fields(filter, {"name", "name_zh", "line", "class", "kind", "opens"}, where_key);
    auto& features = o.layer == "stations" ? plan.stations : plan.roads;
    int matched = 0;
    for (auto& f : features) {
      if (filter.matches([&](std::string_view field) { return plan_feature_value(f, field); })) {
        f.opens_year = o.year;
        ++matched;
      }
    }
    // Problems name the entry by key, not by file line (a scenario sent to another process is re-read from its
    // effective text).
    const Context at{.layer = o.layer, .key = o.context.key};
    if (matched == 0) {
      problems.report(Severity::warning, "infrastructure.no_match",
                      fmt::format("'{}' matches no feature of layer '{}'", o.where, o.layer), at);
    } else {
      problems.report(Severity::info, "infrastructure.opens",
                      fmt::format("{}: {} feature(s) of '{}' open in {}", o.name, matched, o.layer, o.year), at);
    }
  }
}

}  // namespace parksim::study
