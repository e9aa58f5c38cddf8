#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "io/text_file.hpp"
#include "scenario/schema.hpp"

namespace parksim::scenario {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxExtendsDepth = 8;

struct Origin {
  std::string file;
  int line = 0;
};

[[noreturn]] void fail(const Origin& origin, std::string_view key, std::string message) {
  Context where;
  where.path = origin.file;
  if (origin.line > 0) where.line = origin.line;
  where.key = std::string(key);
  throw Error(ErrorCode::config, std::move(message), where);
}

Origin origin_of(const toml::node& node, const std::string& file) {
  return Origin{file, static_cast<int>(node.source().begin.line)};
}

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

std::string unit_suffix(const KeySpec& spec) {
  return spec.info.unit.empty() ? std::string() : fmt::format(" {}", spec.info.unit);
}

void check_range(const KeySpec& spec, double v, const Origin& origin, std::string_view key) {
  const bool low = v < spec.info.min;
  const bool high = v > spec.info.max;
  if (!low && !high) return;
  std::string bound;
  if (std::isfinite(spec.info.min) && std::isfinite(spec.info.max)) {
    bound = fmt::format("must be between {} and {}{}", format_number(spec.info.min), format_number(spec.info.max),
                        unit_suffix(spec));
  } else if (low) {
    bound = fmt::format("must be >= {}{}", format_number(spec.info.min), unit_suffix(spec));
  } else {
    bound = fmt::format("must be <= {}{}", format_number(spec.info.max), unit_suffix(spec));
  }
  fail(origin, key, fmt::format("{}, got {}", bound, format_number(v)));
}

void check_choice(const KeySpec& spec, const std::string& v, const Origin& origin, std::string_view key) {
  if (spec.info.choices.empty()) return;
  const auto choices = split_choices(spec.info.choices);
  for (auto c : choices) {
    if (c == v) return;
  }
  std::string list;
  for (auto c : choices) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", c);
  fail(origin, key, fmt::format("must be one of {}, got \"{}\"", list, v));
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date/time";
  }
}

[[noreturn]] void wrong_type(const KeySpec& spec, const toml::node& node, const Origin& origin, std::string_view key) {
  fail(origin, key, fmt::format("must be {}, got {}", to_string(spec.kind), type_name(node)));
}

void check_scalar(const KeySpec& spec, const toml::node& node, const Origin& origin, std::string_view key) {
  switch (spec.kind) {
    case ValueKind::boolean:
      if (!node.is_boolean()) wrong_type(spec, node, origin, key);
      return;
    case ValueKind::integer:
      if (!node.is_integer()) wrong_type(spec, node, origin, key);
      check_range(spec, static_cast<double>(*node.value<std::int64_t>()), origin, key);
      return;
    case ValueKind::real:
      if (!node.is_number()) wrong_type(spec, node, origin, key);
      {
        const double v = *node.value<double>();
        if (!std::isfinite(v)) fail(origin, key, "must be a finite number");
        check_range(spec, v, origin, key);
      }
      return;
    case ValueKind::text:
      if (!node.is_string()) wrong_type(spec, node, origin, key);
      check_choice(spec, *node.value<std::string>(), origin, key);
      return;
    default:
      wrong_type(spec, node, origin, key);
  }
}

void check_list(const KeySpec& spec, const toml::array& array, const Origin& origin, std::string_view key) {
  KeySpec element = spec;
  element.kind = spec.kind == ValueKind::integer_list ? ValueKind::integer
                 : spec.kind == ValueKind::real_list  ? ValueKind::real
                                                      : ValueKind::text;
  for (std::size_t i = 0; i < array.size(); ++i) {
    check_scalar(element, *array.get(i), origin, fmt::format("{}[{}]", key, i));
  }
}

[[noreturn]] void unknown_key(const Schema& schema, const Origin& origin, std::string_view key) {
  if (auto s = schema.suggest(key)) fail(origin, key, fmt::format("unknown key; did you mean '{}'?", *s));
  fail(origin, key, "unknown key");
}

// Validates one file's table against the schema (before merging, so messages point into the right file).
void validate_table(const Schema& schema, const toml::table& table, const std::string& prefix, const std::string& spec_prefix,
                    const std::string& file, bool top) {
  for (const auto& [k, node] : table) {
    const std::string name(k.str());
    const std::string key = prefix.empty() ? name : prefix + "." + name;
    const std::string spec_key = spec_prefix.empty() ? name : spec_prefix + "." + name;
    const Origin origin = origin_of(node, file);
    if (top && name == "extends") {
      if (!node.is_string()) fail(origin, key, "must be a string (path of the scenario this one extends)");
      continue;
    }
    if (const auto* sub = node.as_table()) {
      const KeySpec* spec = schema.find(spec_key);
      if (spec && spec->kind == ValueKind::table) continue;
      // A key may be a value or a table of values (a driver's source: one file, or one file per year).
      if (spec && !schema.is_table_prefix(spec_key)) wrong_type(*spec, node, origin, key);
      if (!schema.is_table_prefix(spec_key)) unknown_key(schema, origin, key);
      validate_table(schema, *sub, key, spec_key, file, false);
      continue;
    }
    if (const auto* array = node.as_array()) {
      if (const KeySpec* spec = schema.find(spec_key + "[]"); spec && spec->kind == ValueKind::table_array) {
        for (std::size_t i = 0; i < array->size(); ++i) {
          const auto* entry = array->get(i)->as_table();
          const std::string entry_key = fmt::format("{}[{}]", key, i);
          if (!entry) fail(origin_of(*array->get(i), file), entry_key, "must be a table");
          validate_table(schema, *entry, entry_key, spec_key + "[]", file, false);
        }
        continue;
      }
      const KeySpec* spec = schema.find(spec_key);
      if (!spec) unknown_key(schema, origin, key);
      if (spec->kind != ValueKind::integer_list && spec->kind != ValueKind::real_list &&
          spec->kind != ValueKind::text_list) {
        wrong_type(*spec, node, origin, key);
      }
      check_list(*spec, *array, origin, key);
      continue;
    }
    const KeySpec* spec = schema.find(spec_key);
    if (!spec) {
      if (schema.is_table_prefix(spec_key)) fail(origin, key, "must be a table");
      unknown_key(schema, origin, key);
    }
    check_scalar(*spec, node, origin, key);
  }
}

// Records file:line of every leaf (and table-array entry) so later stages can point at the source.
void record_origins(const toml::table& table, const std::string& prefix, const std::string& file,
                    std::map<std::string, Origin>& origins) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      record_origins(*sub, key, file, origins);
    } else {
      // A table or array set again by a more specific file replaces what a base file said below it.
      for (auto it = origins.lower_bound(key + "."); it != origins.end() && it->first.rfind(key + ".", 0) == 0;) {
        it = origins.erase(it);
      }
      origins[key] = origin_of(node, file);
      if (const auto* array = node.as_array()) {
        for (std::size_t i = 0; i < array->size(); ++i) {
          if (const auto* entry = array->get(i)->as_table()) {
            record_origins(*entry, fmt::format("{}[{}]", key, i), file, origins);
          }
        }
      }
    }
  }
}

// Deep merge: tables merge key by key; everything else (values, arrays) is replaced.
void merge_into(toml::table& base, const toml::table& overlay) {
  for (const auto& [k, node] : overlay) {
    if (const auto* sub = node.as_table()) {
      if (auto* existing = base.get_as<toml::table>(k)) {
        merge_into(*existing, *sub);
        continue;
      }
    }
    base.insert_or_assign(k, node);
  }
}

toml::table defaults_table(const Schema& schema) {
  toml::table out;
  for (const auto& spec : schema.keys()) {
    if (!spec.has_default || spec.key.find('*') != std::string::npos || spec.key.find("[]") != std::string::npos) {
      continue;
    }
    toml::table* parent = &out;
    std::string_view rest = spec.key;
    std::size_t dot;
    while ((dot = rest.find('.')) != std::string_view::npos) {
      const std::string part(rest.substr(0, dot));
      if (!parent->contains(part)) parent->insert(part, toml::table{});
      parent = parent->get_as<toml::table>(part);
      rest = rest.substr(dot + 1);
    }
    const std::string leaf(rest);
    switch (spec.kind) {
      case ValueKind::boolean: parent->insert(leaf, spec.info.default_value != 0.0); break;
      case ValueKind::integer: parent->insert(leaf, static_cast<std::int64_t>(spec.info.default_value)); break;
      case ValueKind::real: parent->insert(leaf, spec.info.default_value); break;
      case ValueKind::text: parent->insert(leaf, std::string(spec.info.default_text)); break;
      case ValueKind::integer_list:
      case ValueKind::real_list:
      case ValueKind::text_list: parent->insert(leaf, toml::array{}); break;
      default: break;
    }
  }
  return out;
}

struct Loaded {
  toml::table table;
  std::map<std::string, Origin> origins;
  std::vector<fs::path> files;
};

toml::table parse_text(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    Context where;
    where.path = file;
    where.line = static_cast<int>(e.source().begin.line);
    throw Error(ErrorCode::config, fmt::format("not valid TOML: {}", e.description()), where);
  }
}

std::string read_file(const fs::path& path) { return io::read_text_file(path, "scenario file"); }

Loaded load_chain(std::string_view text, const fs::path& path, int depth, std::vector<fs::path>& stack) {
  const std::string file = path.string();
  toml::table table = parse_text(text, file);
  validate_table(scenario_schema(), table, "", "", file, true);
  Loaded out;
  if (auto extends = table["extends"].value<std::string>()) {
    const Origin origin = origin_of(*table.get("extends"), file);
    if (depth >= kMaxExtendsDepth) fail(origin, "extends", fmt::format("more than {} levels of extends", kMaxExtendsDepth));
    fs::path base = fs::path(*extends);
    if (base.is_relative()) base = path.parent_path() / base;
    base = base.lexically_normal();
    for (const auto& seen : stack) {
      if (fs::weakly_canonical(seen) == fs::weakly_canonical(base)) {
        fail(origin, "extends", fmt::format("'{}' extends itself (a cycle)", base.string()));
      }
    }
    std::error_code ec;
    const fs::file_status status = fs::status(base, ec);
    if (!fs::exists(status)) fail(origin, "extends", fmt::format("the scenario it extends, '{}', does not exist", base.string()));
    if (fs::is_directory(status)) {
      fail(origin, "extends", fmt::format("'{}' is a folder; extends names the scenario file (.toml) this one builds on",
                                          *extends));
    }
    if (!fs::is_regular_file(status)) {
      fail(origin, "extends", fmt::format("'{}' is not a regular file; extends names a scenario file (.toml)", *extends));
    }
    stack.push_back(base);
    out = load_chain(read_file(base), base, depth + 1, stack);
    stack.pop_back();
    table.erase("extends");
  }
  merge_into(out.table, table);
  record_origins(table, "", file, out.origins);
  out.files.push_back(path);
  return out;
}

const toml::node* node_at(const toml::table& table, std::string_view key) {
  if (key.find('>') == std::string_view::npos) return table.at_path(key).node();
  // A hinge term's name keeps its knot's decimal point (split_key): walk the segments.
  const auto parts = split_key(key);
  const toml::table* parent = &table;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const toml::node* n = parent->at_path(parts[i]).node();
    parent = n ? n->as_table() : nullptr;
    if (parent == nullptr) return nullptr;
  }
  return parent->get(parts.back());
}

}  // namespace

struct Scenario::Impl {
  toml::table effective;
  std::map<std::string, Origin> origins;
  std::vector<fs::path> files;
  fs::path path;

  [[noreturn]] void missing(std::string_view key, std::string_view expected) const {
    throw Error(ErrorCode::config, fmt::format("missing or not {}", expected),
                Context{.path = path.string(), .key = std::string(key)});
  }

  template <class T>
  T scalar(std::string_view key, std::string_view expected) const {
    const toml::node* n = node_at(effective, key);
    if (!n) missing(key, expected);
    if constexpr (std::is_same_v<T, double>) {
      if (!n->is_number()) missing(key, expected);
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
      if (!n->is_integer()) missing(key, expected);
    }
    auto v = n->value<T>();
    if (!v) missing(key, expected);
    return *v;
  }

  template <class T>
  std::vector<T> list(std::string_view key, std::string_view expected) const {
    const toml::node* n = node_at(effective, key);
    if (!n) return {};
    const auto* array = n->as_array();
    if (!array) missing(key, expected);
    std::vector<T> out;
    for (const auto& e : *array) {
      auto v = e.value<T>();
      if (!v) missing(key, expected);
      out.push_back(*v);
    }
    return out;
  }
};

Scenario::Scenario(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Scenario::Scenario(const Scenario& other) : m_impl(std::make_unique<Impl>(*other.m_impl)) {}
Scenario& Scenario::operator=(const Scenario& other) {
  if (this != &other) m_impl = std::make_unique<Impl>(*other.m_impl);
  return *this;
}
Scenario::Scenario(Scenario&&) noexcept = default;
Scenario& Scenario::operator=(Scenario&&) noexcept = default;
Scenario::~Scenario() = default;

Scenario Scenario::parse(std::string_view toml_text, const fs::path& origin) {
  std::vector<fs::path> stack{origin};
  Loaded loaded = load_chain(toml_text, origin, 0, stack);
  auto impl = std::make_unique<Impl>();
  impl->effective = defaults_table(scenario_schema());
  merge_into(impl->effective, loaded.table);
  impl->origins = std::move(loaded.origins);
  impl->files = std::move(loaded.files);
  impl->path = origin;
  for (const auto& spec : scenario_schema().keys()) {
    if (spec.required && !node_at(impl->effective, spec.key)) {
      throw Error(ErrorCode::config, "required key is missing", Context{.path = origin.string(), .key = spec.key});
    }
  }
  Scenario scenario(std::move(impl));
  if (scenario.has("years.end") && scenario.has("years.start") &&
      scenario.get_int("years.end") < scenario.get_int("years.start")) {
    const auto at = scenario.m_impl->origins.count("years.end") ? scenario.m_impl->origins.at("years.end")
                                                                 : Origin{origin.string(), 0};
    fail(at, "years.end",
         fmt::format("must not be before years.start ({}), got {}", scenario.get_int("years.start"),
                     scenario.get_int("years.end")));
  }
  return scenario;
}

Scenario Scenario::load(const fs::path& path) { return parse(read_file(path), path); }

const fs::path& Scenario::path() const noexcept { return m_impl->path; }
const std::vector<fs::path>& Scenario::files() const noexcept { return m_impl->files; }

bool Scenario::has(std::string_view key) const { return node_at(m_impl->effective, key) != nullptr; }
bool Scenario::get_bool(std::string_view key) const { return m_impl->scalar<bool>(key, "a boolean"); }
std::int64_t Scenario::get_int(std::string_view key) const { return m_impl->scalar<std::int64_t>(key, "an integer"); }
double Scenario::get_real(std::string_view key) const { return m_impl->scalar<double>(key, "a number"); }
std::string Scenario::get_text(std::string_view key) const { return m_impl->scalar<std::string>(key, "a string"); }
std::vector<std::int64_t> Scenario::get_int_list(std::string_view key) const {
  return m_impl->list<std::int64_t>(key, "an array of integers");
}
std::vector<double> Scenario::get_real_list(std::string_view key) const {
  return m_impl->list<double>(key, "an array of numbers");
}
std::vector<std::string> Scenario::get_text_list(std::string_view key) const {
  return m_impl->list<std::string>(key, "an array of strings");
}

std::vector<std::string> Scenario::child_keys(std::string_view key) const {
  std::vector<std::string> out;
  const toml::node* n = node_at(m_impl->effective, key);
  if (const auto* t = n ? n->as_table() : nullptr) {
    for (const auto& [k, v] : *t) out.emplace_back(k.str());
  }
  return out;  // toml::table keeps keys ordered
}

std::size_t Scenario::array_size(std::string_view key) const {
  const toml::node* n = node_at(m_impl->effective, key);
  const auto* a = n ? n->as_array() : nullptr;
  return a ? a->size() : 0;
}

fs::path Scenario::get_path(std::string_view key) const {
  const KeySpec* spec = scenario_schema().find(key);
  if (spec == nullptr || !spec->path) {
    throw Error(ErrorCode::usage, fmt::format("'{}' is not a file path key of the scenario schema", key),
                Context{.key = std::string(key)});
  }
  const fs::path value = get_text(key);
  if (value.empty() || value.is_absolute()) return value;
  const auto it = m_impl->origins.find(std::string(key));
  const fs::path base = it != m_impl->origins.end() ? fs::path(it->second.file) : m_impl->files.front();
  return (base.parent_path() / value).lexically_normal();
}

Context Scenario::context(std::string_view key) const {
  Context where{.path = m_impl->path.string(), .key = std::string(key)};
  auto it = m_impl->origins.find(std::string(key));
  if (it == m_impl->origins.end()) {
    // A table: where its first key was set.
    const std::string prefix = std::string(key) + ".";
    it = m_impl->origins.lower_bound(prefix);
    if (it != m_impl->origins.end() && it->first.rfind(prefix, 0) != 0) it = m_impl->origins.end();
  }
  if (it != m_impl->origins.end()) {
    where.path = it->second.file;
    if (it->second.line > 0) where.line = it->second.line;
  }
  return where;
}

std::string Scenario::where(std::string_view key) const {
  const auto it = m_impl->origins.find(std::string(key));
  if (it == m_impl->origins.end()) return {};
  return fmt::format("{}:{}", it->second.file, it->second.line);
}

void Scenario::set(std::string_view key, const Value& value) {
  const Schema& schema = scenario_schema();
  const KeySpec* spec = schema.find(key);
  const Origin origin{"(set)", 0};
  if (!spec || spec->kind == ValueKind::table || spec->kind == ValueKind::table_array) unknown_key(schema, origin, key);
  // Build the node, then validate it exactly like a file value.
  toml::table holder;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double> ||
                      std::is_same_v<T, std::string>) {
          holder.insert("v", v);
        } else {
          toml::array a;
          for (const auto& e : v) a.push_back(e);
          holder.insert("v", std::move(a));
        }
      },
      value);
  const toml::node& node = *holder.get("v");
  if (const auto* array = node.as_array()) {
    if (spec->kind != ValueKind::integer_list && spec->kind != ValueKind::real_list && spec->kind != ValueKind::text_list) {
      wrong_type(*spec, node, origin, key);
    }
    check_list(*spec, *array, origin, key);
  } else {
    check_scalar(*spec, node, origin, key);
  }
  // Insert at the dotted path, creating tables.
  toml::table* parent = &m_impl->effective;
  const auto parts = split_key(key);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string part(parts[i]);
    if (!parent->get_as<toml::table>(part)) parent->insert_or_assign(part, toml::table{});
    parent = parent->get_as<toml::table>(part);
  }
  parent->insert_or_assign(std::string(parts.back()), node);
  m_impl->origins[std::string(key)] = origin;
}

namespace {

void collect_keys(const toml::table& table, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      collect_keys(*sub, key, out);
    } else if (const auto* array = node.as_array(); array && !array->empty() && array->get(0)->is_table()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        if (const auto* entry = array->get(i)->as_table()) collect_keys(*entry, fmt::format("{}[{}]", key, i), out);
      }
    } else {
      out.push_back(key);
    }
  }
}

}  // namespace

std::vector<std::string> Scenario::keys() const {
  std::vector<std::string> out;
  collect_keys(m_impl->effective, "", out);
  std::sort(out.begin(), out.end());
  return out;
}

Scenario Scenario::with_absolute_paths() const {
  Scenario copy = *this;
  for (const auto& key : keys()) {
    const KeySpec* spec = scenario_schema().find(key);
    if (spec == nullptr || !spec->path || get_text(key).empty()) continue;
    const auto origin = m_impl->origins.find(key);
    std::filesystem::path p = get_path(key);
    if (p.is_relative()) p = std::filesystem::absolute(p);
    copy.set(key, p.lexically_normal().string());
    if (origin != m_impl->origins.end()) copy.m_impl->origins[key] = origin->second;
  }
  return copy;
}

Scenario Scenario::with_paths_relative_to(const std::filesystem::path& folder) const {
  Scenario copy = with_absolute_paths();
  const std::filesystem::path base = std::filesystem::absolute(folder).lexically_normal();
  for (const auto& key : copy.keys()) {
    const KeySpec* spec = scenario_schema().find(key);
    if (spec == nullptr || !spec->path || copy.get_text(key).empty()) continue;
    const auto origin = copy.m_impl->origins.find(key);
    const Origin kept = origin != copy.m_impl->origins.end() ? origin->second : Origin{};
    copy.set(key, std::filesystem::path(copy.get_text(key)).lexically_relative(base).string());
    copy.m_impl->origins[key] = Origin{(base / "scenario.toml").string(), kept.line};
  }
  return copy;
}

void Scenario::remove(std::string_view key) {
  toml::table* parent = &m_impl->effective;
  const auto parts = split_key(key);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    parent = parent->get_as<toml::table>(std::string(parts[i]));
    if (parent == nullptr) return;
  }
  const std::string rest(parts.back());
  parent->erase(rest);
  const std::string prefix = std::string(key) + ".";
  for (auto it = m_impl->origins.begin(); it != m_impl->origins.end();) {
    it = it->first == key || it->first.rfind(prefix, 0) == 0 ? m_impl->origins.erase(it) : std::next(it);
  }
  // A key with a default takes it again.
  if (const KeySpec* spec = scenario_schema().find(key); spec != nullptr && spec->has_default &&
                                                          spec->key.find('*') == std::string::npos) {
    toml::table defaults = defaults_table(scenario_schema());
    if (const toml::node* n = node_at(defaults, key)) parent->insert_or_assign(rest, *n);
  }
}

std::string Scenario::to_toml() const {
  std::ostringstream out;
  out << toml::toml_formatter{m_impl->effective} << "\n";
  return out.str();
}

std::string Scenario::to_json() const {
  std::ostringstream out;
  out << toml::json_formatter{m_impl->effective} << "\n";
  return out.str();
}

}  // namespace parksim::scenario
