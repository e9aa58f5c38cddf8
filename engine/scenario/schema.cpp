#include "scenario/schema.hpp"

#include <algorithm>
#include <numeric>

namespace parksim::scenario {

std::string_view to_string(ValueKind kind) noexcept {
  switch (kind) {
    case ValueKind::boolean: return "boolean";
    case ValueKind::integer: return "integer";
    case ValueKind::real: return "number";
    case ValueKind::text: return "string";
    case ValueKind::integer_list: return "array of integers";
    case ValueKind::real_list: return "array of numbers";
    case ValueKind::text_list: return "array of strings";
    case ValueKind::table_array: return "array of tables";
    case ValueKind::table: return "table";
  }
  return "value";
}

std::vector<std::string_view> split_key(std::string_view key) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto dot = key.find('.', start);
    // A hinge term's name ("dist_built_m>632.5") holds its knot's decimal point: from a '>' on, the segment is the
    // rest of the key.
    if (const auto hinge = key.find('>', start); hinge != std::string_view::npos && hinge < dot) {
      dot = std::string_view::npos;
    }
    parts.push_back(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

namespace {

std::vector<std::string_view> split(std::string_view key) { return split_key(key); }

// A concrete key segment matches a pattern segment when equal, or the pattern is "*"; "x[]" matches "x[]" only.
bool matches(std::string_view pattern, std::string_view key) {
  const auto p = split(pattern);
  const auto k = split(key);
  if (p.size() != k.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] != "*" && p[i] != k[i]) return false;
  }
  return true;
}

bool is_prefix_of(std::string_view prefix, std::string_view pattern) {
  const auto p = split(prefix);
  const auto k = split(pattern);
  if (p.size() >= k.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (k[i] != "*" && k[i] != p[i]) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string_view> split_choices(std::string_view choices) {
  std::vector<std::string_view> out;
  while (!choices.empty()) {
    const auto comma = choices.find(',');
    out.push_back(choices.substr(0, comma));
    if (comma == std::string_view::npos) break;
    choices.remove_prefix(comma + 1);
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void Schema::add(KeySpec spec) { m_keys.push_back(std::move(spec)); }

void Schema::add_section(std::string_view section, const std::vector<ParamInfo>& params) {
  for (const auto& p : params) {
    KeySpec spec;
    spec.key = std::string(section) + "." + std::string(p.name);
    switch (p.kind) {
      case ParamKind::boolean: spec.kind = ValueKind::boolean; break;
      case ParamKind::integer: spec.kind = ValueKind::integer; break;
      case ParamKind::real: spec.kind = ValueKind::real; break;
      case ParamKind::text: spec.kind = ValueKind::text; break;
    }
    spec.info = p;
    add(std::move(spec));
  }
}

const KeySpec* Schema::find(std::string_view key) const {
  // Exact keys win over patterns.
  for (const auto& spec : m_keys) {
    if (spec.key == key) return &spec;
  }
  for (const auto& spec : m_keys) {
    if (matches(spec.key, key)) return &spec;
  }
  return nullptr;
}

bool Schema::is_table_prefix(std::string_view key) const {
  return std::any_of(m_keys.begin(), m_keys.end(), [&](const KeySpec& s) { return is_prefix_of(key, s.key); });
}

std::optional<std::string> Schema::suggest(std::string_view key) const {
  const auto dot = key.rfind('.');
  const std::string_view parent = dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot);
  const std::string_view leaf = dot == std::string_view::npos ? key : key.substr(dot + 1);
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, leaf.size() / 3) + 1;
  auto consider = [&](std::string_view candidate_key, std::string_view candidate_leaf) {
    const std::size_t d = edit_distance(leaf, candidate_leaf);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate_key);
    }
  };
  for (const auto& spec : m_keys) {
    // Same parent: compare the leaf names; also offer a key of the same leaf name elsewhere (wrong section).
    const auto sdot = spec.key.rfind('.');
    const std::string_view sparent = sdot == std::string::npos ? std::string_view{} : std::string_view(spec.key).substr(0, sdot);
    const std::string_view sleaf = sdot == std::string::npos ? std::string_view(spec.key) : std::string_view(spec.key).substr(sdot + 1);
    if (sleaf == "*") continue;
    if (matches(sparent, parent) || sparent == parent) {
      consider(spec.key, sleaf);
    } else if (sleaf == leaf) {
      consider(spec.key, sleaf);
    }
    // Misspelt section name: compare whole keys.
    const std::size_t whole = edit_distance(key, spec.key);
    if (whole < best_distance && whole <= std::max<std::size_t>(2, key.size() / 4)) {
      best_distance = whole;
      best = spec.key;
    }
  }
  return best;
}

}  // namespace parksim::scenario
