#include "scenario/mapping.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "io/text_file.hpp"
#include "scenario/schema.hpp"

namespace parksim::scenario {

namespace fs = std::filesystem;

namespace {

// Our layers and the logical fields each understands (plan/loader.cpp reads these names).
const std::map<std::string, std::vector<std::string>>& known_fields() {
  static const std::map<std::string, std::vector<std::string>> fields = {
      {"parcels", {"parcel_id", "phase", "zone", "landuse", "status", "far", "name_zh", "data_status", "accuracy_m",
                   "source", "licence"}},
      {"phases", {"phase", "name_zh", "name_en", "status", "accuracy_m", "source", "licence"}},
      {"zones", {"zone_id", "name_zh", "name_en", "focus", "status", "accuracy_m", "source", "licence"}},
      {"corridor", {"name", "name_zh", "status", "accuracy_m", "source", "licence"}},
      {"corridor_band", {"name", "name_zh", "tier", "status", "accuracy_m", "source", "licence"}},
      {"bases", {"name_en", "name_zh", "tier", "status", "accuracy_m", "source", "licence"}},
      {"stations", {"name_en", "name_zh", "line", "opens", "status", "accuracy_m", "source", "licence"}},
      {"roads", {"name", "name_zh", "class", "status", "accuracy_m", "source", "licence"}},
      {"constraints", {"name", "name_zh", "kind", "status", "accuracy_m", "source", "licence"}},
      {"ftz", {"name", "name_zh", "status", "accuracy_m", "source", "licence"}},
      {"landuse_classes", {"code", "name_zh", "name_en", "colour", "health_industry", "developable", "sim_class"}},
      {"plan_targets", {"target_id", "label_zh", "label_en", "value", "unit", "source"}},
  };
  return fields;
}

[[noreturn]] void fail(const std::string& file, const toml::node& node, const std::string& key, std::string message) {
  throw Error(ErrorCode::config, std::move(message),
              Context{.path = file, .key = key, .line = static_cast<int>(node.source().begin.line)});
}

std::string closest(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

[[noreturn]] void unknown(const std::string& file, const toml::node& node, const std::string& key,
                          const std::string& leaf, const std::vector<std::string>& candidates) {
  const std::string suggestion = closest(leaf, candidates);
  fail(file, node, key, suggestion.empty() ? "unknown key" : fmt::format("unknown key; did you mean '{}'?", suggestion));
}

std::string text(const std::string& file, const toml::node& node, const std::string& key) {
  if (!node.is_string()) fail(file, node, key, "must be a string");
  return *node.value<std::string>();
}

const toml::table& table(const std::string& file, const toml::node& node, const std::string& key) {
  const auto* t = node.as_table();
  if (!t) fail(file, node, key, "must be a table");
  return *t;
}

}  // namespace

plan::FieldMapping load_mapping(const fs::path& path) {
  return parse_mapping(io::read_text_file(path, "mapping file"), path);
}

plan::FieldMapping parse_mapping(std::string_view toml_text, const fs::path& path) {
  const std::string file = path.string();
  toml::table root;
  try {
    root = toml::parse(toml_text, file);
  } catch (const toml::parse_error& e) {
    throw Error(ErrorCode::config, fmt::format("not valid TOML: {}", e.description()),
                Context{.path = file, .line = static_cast<int>(e.source().begin.line)});
  }

  plan::FieldMapping mapping;
  const std::vector<std::string> top_keys = {"assume_crs", "working_crs", "source_encoding", "reference_dataset",
                                             "layers", "status_values"};
  std::vector<std::string> layer_names;
  for (const auto& [name, fields] : known_fields()) layer_names.push_back(name);

  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    if (key == "assume_crs") {
      mapping.assume_crs = text(file, node, key);
    } else if (key == "working_crs") {
      mapping.working_crs = text(file, node, key);
    } else if (key == "source_encoding") {
      mapping.source_encoding = text(file, node, key);
    } else if (key == "reference_dataset") {
      fs::path p = text(file, node, key);
      mapping.reference_dataset = p.is_relative() ? (path.parent_path() / p).lexically_normal() : p;
    } else if (key == "status_values") {
      for (const auto& [from, to] : table(file, node, key)) {
        mapping.status_values[std::string(from.str())] = text(file, to, key + "." + std::string(from.str()));
      }
    } else if (key == "layers") {
      for (const auto& [lk, lnode] : table(file, node, key)) {
        const std::string layer(lk.str());
        const std::string layer_key = "layers." + layer;
        const auto known = known_fields().find(layer);
        if (known == known_fields().end()) unknown(file, lnode, layer_key, layer, layer_names);
        plan::LayerMapping& lm = mapping.layers[layer];
        for (const auto& [ek, enode] : table(file, lnode, layer_key)) {
          const std::string entry(ek.str());
          const std::string entry_key = layer_key + "." + entry;
          if (entry == "layer") {
            lm.layer = text(file, enode, entry_key);
          } else if (entry == "fields") {
            for (const auto& [fk, fnode] : table(file, enode, entry_key)) {
              const std::string field(fk.str());
              const std::string field_key = entry_key + "." + field;
              if (std::find(known->second.begin(), known->second.end(), field) == known->second.end()) {
                unknown(file, fnode, field_key, field, known->second);
              }
              lm.fields[field] = text(file, fnode, field_key);
            }
          } else {
            unknown(file, enode, entry_key, entry, {"layer", "fields"});
          }
        }
      }
    } else {
      unknown(file, node, key, key, top_keys);
    }
  }
  return mapping;
}

}  // namespace parksim::scenario
