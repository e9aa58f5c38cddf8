// GDAL-free parts of io/vector.hpp: plain-data helpers, UTF-8 validation, Shapefile field names.
#include "io/vector.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"

namespace parksim::io {

std::string_view to_string(GeometryType type) noexcept {
  switch (type) {
    case GeometryType::none: return "none";
    case GeometryType::unknown: return "unknown";
    case GeometryType::point: return "point";
    case GeometryType::line_string: return "line_string";
    case GeometryType::polygon: return "polygon";
    case GeometryType::multi_point: return "multi_point";
    case GeometryType::multi_line_string: return "multi_line_string";
    case GeometryType::multi_polygon: return "multi_polygon";
    case GeometryType::geometry_collection: return "geometry_collection";
  }
  return "unknown";
}

CrsRef CrsRef::from_text(const std::string& text) {
  constexpr std::string_view prefix = "EPSG:";
  if (text.size() > prefix.size() && (text.compare(0, prefix.size(), prefix) == 0 || text.compare(0, 5, "epsg:") == 0)) {
    int code = 0;
    const char* begin = text.data() + prefix.size();
    const char* end = text.data() + text.size();
    const auto parsed = std::from_chars(begin, end, code);
    if (parsed.ec == std::errc() && parsed.ptr == end && code > 0) return CrsRef::from_epsg(code);
  }
  CrsRef out;
  out.wkt = text;
  return out;
}

std::string CrsRef::text() const {
  if (epsg) return fmt::format("EPSG:{}", *epsg);
  return wkt;
}

std::optional<std::size_t> Layer::find_field(std::string_view field_name) const noexcept {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) return i;
  }
  return std::nullopt;
}

std::size_t Layer::field_index(std::string_view field_name) const {
  if (const auto index = find_field(field_name)) return *index;
  throw Error(ErrorCode::data, "no such field", Context{.layer = name, .key = std::string(field_name)});
}

const Value& Layer::value(const Feature& feature, std::string_view field_name) const {
  const std::size_t index = field_index(field_name);
  if (index >= feature.values.size()) {
    throw Error(ErrorCode::internal,
                fmt::format("feature has {} values but the layer has {} fields", feature.values.size(),
                            fields.size()),
                Context{.layer = name, .feature_id = feature.fid, .key = std::string(field_name)});
  }
  return feature.values[index];
}

std::optional<std::int64_t> as_integer(const Value& value) noexcept {
  if (const auto* v = std::get_if<std::int64_t>(&value)) return *v;
  return std::nullopt;
}

std::optional<double> as_real(const Value& value) noexcept {
  if (const auto* v = std::get_if<double>(&value)) return *v;
  if (const auto* v = std::get_if<std::int64_t>(&value)) return static_cast<double>(*v);
  return std::nullopt;
}

std::optional<std::string_view> as_text(const Value& value) noexcept {
  if (const auto* v = std::get_if<std::string>(&value)) return std::string_view(*v);
  return std::nullopt;
}

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char lo = 0x80;  // allowed range of the second byte (excludes overlongs and surrogates)
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + length > n) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

namespace {

constexpr std::size_t dbf_name_max_bytes = 10;

// ASCII-only, lower-case, '_'-separated form of `text`; "" when nothing usable is left.
std::string ascii_stem(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) continue;  // non-ASCII bytes are dropped (the full name lives in the field map)
    char keep = '_';
    if (c >= 'A' && c <= 'Z') {
      keep = static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      keep = static_cast<char>(c);
    }
    if (keep == '_' && (out.empty() || out.back() == '_')) continue;
    out += keep;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

}  // namespace

std::vector<std::string> shapefile_field_names(std::span<const FieldDef> fields) {
  std::vector<std::string> names;
  names.reserve(fields.size());
  // DBF names are compared case-insensitively by readers; ours are all lower-case, so plain comparison works.
  auto taken = [&names](const std::string& candidate) {
    return std::find(names.begin(), names.end(), candidate) != names.end();
  };
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string stem = ascii_stem(fields[i].name);
    if (stem.empty()) stem = ascii_stem(fields[i].label_en);
    if (stem.empty()) stem = fmt::format("f{}", i + 1);
    if (stem.front() >= '0' && stem.front() <= '9') stem.insert(stem.begin(), 'f');
    auto cut = [&stem](std::size_t max_bytes) {
      std::string out = stem.substr(0, max_bytes);
      while (out.size() > 1 && out.back() == '_') out.pop_back();
      return out;
    };
    std::string name = cut(dbf_name_max_bytes);
    for (std::size_t k = 1; taken(name); ++k) {
      const std::string suffix = fmt::format("_{}", k);
      name = cut(dbf_name_max_bytes - suffix.size()) + suffix;
    }
    names.push_back(std::move(name));
  }
  return names;
}

std::vector<ShortenedField> shorten_for_dbf(std::vector<Layer>& layers) {
  std::vector<ShortenedField> out;
  for (auto& layer : layers) {
    for (std::size_t f = 0; f < layer.fields.size(); ++f) {
      std::size_t cut = 0;
      for (auto& feature : layer.features) {
        auto* text = f < feature.values.size() ? std::get_if<std::string>(&feature.values[f]) : nullptr;
        if (text == nullptr || text->size() <= dbf_string_max_bytes) continue;
        // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
        std::size_t end = dbf_string_max_bytes;
        while (end > 0 && (static_cast<unsigned char>((*text)[end]) & 0xC0U) == 0x80U) --end;
        text->resize(end);
        ++cut;
      }
      if (cut > 0) out.push_back({layer.name, layer.fields[f].name, cut});
    }
  }
  return out;
}

}  // namespace parksim::io
