#include "plan/plan.hpp"

#include <algorithm>
#include <cctype>

namespace parksim::plan {

std::string_view to_string(DevelopmentStatus status) noexcept {
  switch (status) {
    case DevelopmentStatus::built: return "built";
    case DevelopmentStatus::under_construction: return "under construction";
    case DevelopmentStatus::vacant: return "vacant";
    case DevelopmentStatus::planned: return "planned";
  }
  return "planned";
}

namespace {
std::string normalised(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '-') c = ' ';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const auto first = out.find_first_not_of(' ');
  const auto last = out.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}
}  // namespace

std::optional<DevelopmentStatus> development_status_from(std::string_view text) noexcept {
  const std::string t = normalised(text);
  if (t == "built") return DevelopmentStatus::built;
  if (t == "under construction") return DevelopmentStatus::under_construction;
  if (t == "vacant") return DevelopmentStatus::vacant;
  if (t == "planned") return DevelopmentStatus::planned;
  return std::nullopt;
}

std::string_view to_string(DataStatus status) noexcept {
  switch (status) {
    case DataStatus::surveyed_osm: return "surveyed-osm";
    case DataStatus::derived: return "derived";
    case DataStatus::schematic: return "schematic";
    case DataStatus::unknown: return "unknown";
  }
  return "unknown";
}

DataStatus data_status_from(std::string_view text) noexcept {
  const std::string t = normalised(text);
  if (t == "surveyed osm") return DataStatus::surveyed_osm;
  if (t == "derived") return DataStatus::derived;
  if (t == "schematic" || t == "envelope" || t == "bbox") return DataStatus::schematic;
  return DataStatus::unknown;
}

namespace {
template <class T>
const T* find_by(const std::vector<T>& items, std::string_view key, std::string T::*member) noexcept {
  for (const auto& item : items) {
    if (item.*member == key) return &item;
  }
  return nullptr;
}
}  // namespace

const LandUseClass* Plan::find_class(std::string_view code) const noexcept {
  return find_by(classes, code, &LandUseClass::code);
}
const Target* Plan::find_target(std::string_view id) const noexcept { return find_by(targets, id, &Target::id); }
const Phase* Plan::find_phase(std::string_view id) const noexcept { return find_by(phases, id, &Phase::id); }
const Zone* Plan::find_zone(std::string_view id) const noexcept { return find_by(zones, id, &Zone::id); }

std::vector<std::string> Plan::schematic_layers() const {
  std::vector<std::string> out;
  for (const auto& layer : layers) {
    if (layer.schematic > 0) out.push_back(layer.name);
  }
  return out;
}

}  // namespace parksim::plan
