#include "study/classes.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "io/raster.hpp"
#include "io/vector.hpp"

namespace parksim::study {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool agricultural_or_idle(const std::string& code) {
  // National first-level groups 01-06 (farmland, orchards, forest, grassland, wetland, agricultural facilities),
  // rural homesteads 0703 and other land 23 (idle land 2301) are not built-up land.
  for (const char* p : {"01", "02", "03", "04", "05", "06", "0703", "23"}) {
    if (starts_with(code, p)) return true;
  }
  return false;
}

bool plain_key(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Colours of classes nobody gave a colour: ColorBrewer "Set3" and "Paired" (qualitative), by position.
constexpr const char* kPalette[] = {"#8DD3C7", "#BEBADA", "#FB8072", "#80B1D3", "#FDB462", "#B3DE69",
                                    "#FCCDE5", "#BC80BD", "#CCEBC5", "#FFED6F", "#A6CEE3", "#1F78B4",
                                    "#B2DF8A", "#33A02C", "#FB9A99", "#E31A1C"};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return text;
}

}  // namespace

std::string slug(std::string_view text) {
  const auto cut = text.find_first_of("/(");
  text = text.substr(0, cut);
  std::string out;
  bool pending = false;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      if (pending && !out.empty()) out += '_';
      pending = false;
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else {
      pending = true;
    }
  }
  return out;
}

ClassTable::ClassTable(std::vector<ClassInfo> classes) : m_classes(std::move(classes)) {
  for (std::size_t k = 0; k < m_classes.size(); ++k) {
    m_classes[k].id = static_cast<int>(k);
    if (m_classes[k].code < 0) m_classes[k].code = m_classes[k].id;
  }
  validate();
}

int ClassTable::find(std::string_view key) const noexcept {
  for (const auto& c : m_classes) {
    if (c.key == key) return c.id;
  }
  return -1;
}

int ClassTable::index_of_code(int code) const noexcept {
  for (const auto& c : m_classes) {
    if (c.code == code) return c.id;
  }
  return -1;
}

std::vector<std::string> ClassTable::keys() const {
  std::vector<std::string> out;
  for (const auto& c : m_classes) out.push_back(c.key);
  return out;
}

std::array<std::uint8_t, 256> ClassTable::code_to_index() const {
  std::array<std::uint8_t, 256> out;
  out.fill(no_class);
  for (const auto& c : m_classes) out[static_cast<std::size_t>(c.code)] = static_cast<std::uint8_t>(c.id);
  return out;
}

void ClassTable::set_built(const std::vector<std::string>& keys, const Context& where) {
  std::vector<bool> built(m_classes.size(), false);
  for (const auto& key : keys) {
    const int k = find(key);
    if (k < 0) {
      throw Error(ErrorCode::config,
                  fmt::format("no class '{}' (classes: {})", key, fmt::join(this->keys(), ", ")), where);
    }
    built[static_cast<std::size_t>(k)] = true;
  }
  for (std::size_t k = 0; k < m_classes.size(); ++k) {
    // A class that was built and is not any more keeps its cells: it becomes fixed, not convertible.
    if (m_classes[k].built && !built[k]) m_classes[k].fixed = true;
    m_classes[k].built = built[k];
    if (built[k]) m_classes[k].fixed = false;
  }
}

void ClassTable::validate() const {
  const Context where{.key = "classes"};
  if (m_classes.empty()) throw Error(ErrorCode::data, "the study has no land-use class", where);
  if (count() > max_classes) {
    throw Error(ErrorCode::data, fmt::format("{} land-use classes; at most {} can be simulated", count(), max_classes),
                where);
  }
  std::set<int> codes;
  std::set<std::string> keys;
  for (const auto& c : m_classes) {
    if (c.code < 0 || c.code > 254) {
      throw Error(ErrorCode::data, fmt::format("class '{}' has code {}; codes are 0..254 (255 is no data)", c.key, c.code),
                  where);
    }
    if (!codes.insert(c.code).second) {
      throw Error(ErrorCode::data, fmt::format("two classes have code {}", c.code), where);
    }
    if (!plain_key(c.key)) {
      throw Error(ErrorCode::data,
                  fmt::format("class {} has key '{}': keys are ASCII letters, digits and '_'", c.code, c.key), where);
    }
    if (!keys.insert(c.key).second) {
      throw Error(ErrorCode::data, fmt::format("two classes have the key '{}': give them different keys", c.key),
                  where);
    }
    if (!c.colour.empty() && !io::parse_colour(c.colour)) {
      throw Error(ErrorCode::data, fmt::format("class '{}' has colour '{}', not #RRGGBB", c.key, c.colour), where);
    }
  }
}

ClassTable classes_from_plan(const plan::Plan& plan, const std::map<int, plan::SimClassName>& names) {
  int count = 0;
  for (const auto& lc : plan.classes) count = std::max(count, lc.sim_class + 1);
  if (count <= 0) {
    throw Error(ErrorCode::data, "no land-use class has a sim_class", Context{.layer = "landuse_classes"});
  }
  if (count > max_classes) {
    throw Error(ErrorCode::data, fmt::format("{} simulation classes; at most {}", count, max_classes),
                Context{.layer = "landuse_classes"});
  }
  std::vector<ClassInfo> info(static_cast<std::size_t>(count));
  std::vector<bool> all_developable(static_cast<std::size_t>(count), true);
  std::vector<bool> any_agricultural(static_cast<std::size_t>(count), false);
  for (int k = 0; k < count; ++k) {
    info[static_cast<std::size_t>(k)].id = k;
    info[static_cast<std::size_t>(k)].code = k;
  }
  for (const auto& lc : plan.classes) {
    if (lc.sim_class < 0) continue;
    const auto k = static_cast<std::size_t>(lc.sim_class);
    auto& c = info[k];
    if (c.landuse_codes.empty()) {
      c.colour = lc.colour;
      c.name_en = lc.name_en;
      c.name_zh = lc.name_zh;
    }
    c.landuse_codes.push_back(lc.code);
    if (!lc.developable) all_developable[k] = false;
    if (agricultural_or_idle(lc.code)) any_agricultural[k] = true;
  }
  std::set<std::string> keys;
  for (int k = 0; k < count; ++k) {
    const auto i = static_cast<std::size_t>(k);
    auto& c = info[i];
    if (auto it = names.find(k); it != names.end()) {
      c.name_en = it->second.en;
      c.name_zh = it->second.zh;
    }
    if (c.name_en.empty()) c.name_en = fmt::format("class {}", k);
    c.key = slug(c.name_en);
    if (c.key.empty() || keys.count(c.key)) c.key = fmt::format("class{}", k);
    keys.insert(c.key);
    const bool has_codes = !c.landuse_codes.empty();
    c.built = has_codes && all_developable[i] && !any_agricultural[i];
    const bool source = has_codes && all_developable[i] && any_agricultural[i];
    c.fixed = !c.built && !source;
  }
  return ClassTable(std::move(info));
}

ClassTable classes_from_codes(const std::vector<int>& codes, const std::vector<ClassDeclaration>& declarations,
                              const RasterClassHints& hints) {
  std::set<int> all(codes.begin(), codes.end());
  for (const auto& d : declarations) {
    if (d.code < 0 || d.code > 254) {
      throw Error(ErrorCode::config, fmt::format("class code {} is outside 0..254 (255 is no data)", d.code), d.where);
    }
    all.insert(d.code);
  }
  std::vector<ClassInfo> out;
  for (const int code : all) {
    ClassInfo c;
    c.code = code;
    const auto v = static_cast<std::size_t>(code);
    if (auto it = hints.attribute_table.find(code); it != hints.attribute_table.end()) {
      c.name_en = it->second.first;
      c.colour = it->second.second;
    }
    if (c.name_en.empty() && v < hints.category_names.size()) c.name_en = hints.category_names[v];
    if (c.colour.empty() && v < hints.colour_table.size()) c.colour = hints.colour_table[v];
    for (const auto& d : declarations) {
      if (d.code != code) continue;
      if (!d.key.empty()) c.key = d.key;
      if (!d.name_en.empty()) c.name_en = d.name_en;
      if (!d.name_zh.empty()) c.name_zh = d.name_zh;
      if (!d.colour.empty()) c.colour = d.colour;
      if (d.built) c.built = *d.built;
      if (d.fixed) c.fixed = *d.fixed;
    }
    if (c.key.empty()) c.key = slug(c.name_en);
    if (c.key.empty()) c.key = fmt::format("class_{}", code);
    if (c.name_en.empty()) c.name_en = c.key;
    if (c.colour.empty()) c.colour = kPalette[out.size() % std::size(kPalette)];
    if (c.built) c.fixed = false;
    out.push_back(std::move(c));
  }
  return ClassTable(std::move(out));
}

std::vector<ClassDeclaration> read_class_csv(const std::filesystem::path& path) {
  // GDAL's CSV driver reads the file as a table of text fields (line 1 = header).
  const io::Layer table = io::read_layer(path, path.stem().string());
  if (!table.find_field("code")) {
    throw Error(ErrorCode::config, "the class table needs a 'code' column (and may have key, name_en, name_zh, built, fixed, colour)",
                Context{.path = path.string()});
  }
  std::vector<ClassDeclaration> out;
  int line = 1;
  for (const auto& f : table.features) {
    ++line;
    ClassDeclaration d;
    d.where = Context{.path = path.string(), .line = line};
    auto text = [&](const char* field) -> std::string {
      if (!table.find_field(field)) return {};
      const io::Value& v = table.value(f, field);
      if (auto t = io::as_text(v)) return std::string(*t);
      if (auto i = io::as_integer(v)) return std::to_string(*i);
      if (auto r = io::as_real(v)) return fmt::format("{}", *r);
      return {};
    };
    auto flag = [&](const char* field) -> std::optional<bool> {
      const std::string t = lower(text(field));
      if (t.empty()) return std::nullopt;
      if (t == "true" || t == "1" || t == "yes") return true;
      if (t == "false" || t == "0" || t == "no") return false;
      d.where.key = field;
      throw Error(ErrorCode::config, fmt::format("'{}' is not a boolean (true/false, 1/0, yes/no)", t), d.where);
    };
    const std::string code = text("code");
    try {
      std::size_t used = 0;
      d.code = std::stoi(code, &used);
      if (used != code.size()) throw std::invalid_argument(code);
    } catch (const std::exception&) {
      d.where.key = "code";
      throw Error(ErrorCode::config, fmt::format("code '{}' is not an integer", code), d.where);
    }
    d.key = text("key");
    d.name_en = text("name_en");
    d.name_zh = text("name_zh");
    d.colour = text("colour");
    d.built = flag("built");
    d.fixed = flag("fixed");
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace parksim::study
