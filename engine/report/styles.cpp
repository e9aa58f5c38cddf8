#include "report/styles.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <charconv>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/error.hpp"

namespace parksim::report {

namespace {

constexpr const char* qgis_version = "3.22.16-Białowieża";
constexpr const char* unit_scale_none = "3x:0,0,0,0,0,0";

// Zone hues that no land-use class uses, so a zone tint never reads as a land use.
constexpr std::array<const char*, 8> zone_palette = {"#FF7F00", "#6A3D9A", "#1F78B4", "#33A02C",
                                                     "#E31A1C", "#B15928", "#A6CEE3", "#FB9A99"};

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "#RRGGBB" + opacity -> QGIS "r,g,b,a".
std::string qgis_colour(const std::string& colour, double opacity) {
  bool ok = colour.size() == 7 && colour[0] == '#';
  for (std::size_t i = 1; ok && i < 7; ++i) ok = hex(colour[i]) >= 0;
  if (!ok) throw Error(ErrorCode::internal, fmt::format("style colour '{}' is not #RRGGBB", colour));
  const int alpha = static_cast<int>(std::lround(std::clamp(opacity, 0.0, 1.0) * 255.0));
  return fmt::format("{},{},{},{}", hex(colour[1]) * 16 + hex(colour[2]), hex(colour[3]) * 16 + hex(colour[4]),
                     hex(colour[5]) * 16 + hex(colour[6]), alpha);
}

std::string number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// QGIS keeps symbol-layer properties in an Option map; sorted by name so the output never depends on insertion.
void option_map(pugi::xml_node parent, const std::map<std::string, std::string>& properties) {
  pugi::xml_node map = parent.append_child("Option");
  map.append_attribute("type") = "Map";
  for (const auto& [name, value] : properties) {
    pugi::xml_node option = map.append_child("Option");
    option.append_attribute("type") = "QString";
    option.append_attribute("value") = value.c_str();
    option.append_attribute("name") = name.c_str();
  }
}

void append_symbol(pugi::xml_node symbols, const std::string& name, SymbolKind kind, const Symbol& symbol) {
  pugi::xml_node node = symbols.append_child("symbol");
  node.append_attribute("clip_to_extent") = "1";
  node.append_attribute("type") = kind == SymbolKind::fill ? "fill" : kind == SymbolKind::line ? "line" : "marker";
  node.append_attribute("force_rhr") = "0";
  node.append_attribute("alpha") = "1";
  node.append_attribute("name") = name.c_str();
  pugi::xml_node layer = node.append_child("layer");
  layer.append_attribute("enabled") = "1";
  layer.append_attribute("locked") = "0";
  layer.append_attribute("pass") = "0";
  switch (kind) {
    case SymbolKind::fill:
      layer.append_attribute("class") = "SimpleFill";
      option_map(layer, {{"border_width_map_unit_scale", unit_scale_none},
                         {"color", qgis_colour(symbol.colour, symbol.opacity)},
                         {"joinstyle", "bevel"},
                         {"offset", "0,0"},
                         {"offset_map_unit_scale", unit_scale_none},
                         {"offset_unit", "MM"},
                         {"outline_color", qgis_colour(symbol.outline, 1.0)},
                         {"outline_style", "solid"},
                         {"outline_width", number(symbol.width_mm)},
                         {"outline_width_unit", "MM"},
                         {"style", symbol.no_fill ? "no" : "solid"}});
      break;
    case SymbolKind::line:
      layer.append_attribute("class") = "SimpleLine";
      option_map(layer, {{"capstyle", "round"},
                         {"joinstyle", "round"},
                         {"line_color", qgis_colour(symbol.colour, symbol.opacity)},
                         {"line_style", "solid"},
                         {"line_width", number(symbol.width_mm)},
                         {"line_width_unit", "MM"},
                         {"offset", "0"},
                         {"offset_unit", "MM"},
                         {"width_map_unit_scale", unit_scale_none}});
      break;
    case SymbolKind::marker:
      layer.append_attribute("class") = "SimpleMarker";
      option_map(layer, {{"angle", "0"},
                         {"color", qgis_colour(symbol.colour, symbol.opacity)},
                         {"name", "circle"},
                         {"offset", "0,0"},
                         {"offset_unit", "MM"},
                         {"outline_color", qgis_colour(symbol.outline, 1.0)},
                         {"outline_style", "solid"},
                         {"outline_width", "0.4"},
                         {"outline_width_unit", "MM"},
                         {"scale_method", "diameter"},
                         {"size", number(symbol.width_mm)},
                         {"size_unit", "MM"}});
      break;
  }
}

void append_labels(pugi::xml_node root, const std::string& field, bool expression, SymbolKind kind) {
  root.attribute("labelsEnabled") = "1";
  pugi::xml_node labeling = root.append_child("labeling");
  labeling.append_attribute("type") = "simple";
  pugi::xml_node settings = labeling.append_child("settings");
  settings.append_attribute("calloutType") = "simple";
  pugi::xml_node text = settings.append_child("text-style");
  text.append_attribute("fontFamily") = "Noto Sans CJK SC";
  text.append_attribute("fontSize") = "9";
  text.append_attribute("fontSizeUnit") = "Point";
  text.append_attribute("textColor") = "50,50,50,255";
  text.append_attribute("fieldName") = field.c_str();
  text.append_attribute("isExpression") = expression ? "1" : "0";
  pugi::xml_node buffer = text.append_child("text-buffer");
  buffer.append_attribute("bufferDraw") = "1";
  buffer.append_attribute("bufferSize") = "0.8";
  buffer.append_attribute("bufferSizeUnits") = "MM";
  buffer.append_attribute("bufferColor") = "255,255,255,255";
  pugi::xml_node placement = settings.append_child("placement");
  // QgsPalLayerSettings::Placement: 0 around point, 1 over point, 2 line.
  placement.append_attribute("placement") = kind == SymbolKind::line ? "2" : kind == SymbolKind::marker ? "0" : "1";
  placement.append_attribute("centroidInside") = "1";
  pugi::xml_node rendering = settings.append_child("rendering");
  rendering.append_attribute("drawLabels") = "1";
  rendering.append_attribute("obstacle") = "1";
}

struct StringWriter : pugi::xml_writer {
  std::string text;
  void write(const void* data, std::size_t size) override { text.append(static_cast<const char*>(data), size); }
};

std::string document_text(const pugi::xml_document& document) {
  StringWriter writer;
  document.save(writer, " ", pugi::format_default, pugi::encoding_utf8);
  return writer.text;
}

Symbol fill_symbol(const std::string& colour, double opacity, const std::string& outline, double width_mm,
                   bool no_fill = false) {
  Symbol s;
  s.colour = colour;
  s.opacity = opacity;
  s.outline = outline;
  s.width_mm = width_mm;
  s.no_fill = no_fill;
  return s;
}

}  // namespace

std::string zone_colour(std::size_t index) { return zone_palette[index % zone_palette.size()]; }

std::string name_label_expression() { return R"(coalesce(nullif("name_en", ''), "name_zh"))"; }

namespace {

// The parts of a raster style QGIS 3.22 writes around the renderer.
pugi::xml_node raster_document(pugi::xml_document& document, const char* renderer_type) {
  pugi::xml_node declaration = document.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = document.append_child("qgis");
  root.append_attribute("styleCategories") = "Symbology";
  root.append_attribute("version") = qgis_version;
  pugi::xml_node pipe = root.append_child("pipe");
  pugi::xml_node resampling = pipe.append_child("provider").append_child("resampling");
  resampling.append_attribute("enabled") = "false";
  resampling.append_attribute("maxOversampling") = "2";
  resampling.append_attribute("zoomedInResamplingMethod") = "nearestNeighbour";
  resampling.append_attribute("zoomedOutResamplingMethod") = "nearestNeighbour";
  pugi::xml_node renderer = pipe.append_child("rasterrenderer");
  renderer.append_attribute("type") = renderer_type;
  renderer.append_attribute("band") = "1";
  renderer.append_attribute("opacity") = "1";
  renderer.append_attribute("alphaBand") = "-1";
  renderer.append_attribute("nodataColor") = "";
  renderer.append_child("rasterTransparency");
  pugi::xml_node origin = renderer.append_child("minMaxOrigin");
  origin.append_child("limits").text() = "None";
  origin.append_child("extent").text() = "WholeRaster";
  origin.append_child("statAccuracy").text() = "Estimated";
  origin.append_child("cumulativeCutLower").text() = "0.02";
  origin.append_child("cumulativeCutUpper").text() = "0.98";
  origin.append_child("stdDevFactor").text() = "2";
  pugi::xml_node contrast = pipe.append_child("brightnesscontrast");
  contrast.append_attribute("brightness") = "0";
  contrast.append_attribute("contrast") = "0";
  contrast.append_attribute("gamma") = "1";
  pipe.append_child("rasterresampler").append_attribute("maxOversampling") = "2";
  pipe.append_child("resamplingStage").text() = "resamplingFilter";
  root.append_child("blendMode").text() = "0";
  return renderer;
}

// "#RRGGBB" in the lower case QGIS writes, checked.
std::string qgis_hex(const std::string& colour) {
  qgis_colour(colour, 1.0);  // throws for anything but #RRGGBB
  std::string out = colour;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string class_raster_qml(std::span<const io::RasterClass> classes) {
  pugi::xml_document document;
  pugi::xml_node renderer = raster_document(document, "paletted");
  pugi::xml_node palette = renderer.append_child("colorPalette");
  for (const auto& cls : classes) {
    pugi::xml_node entry = palette.append_child("paletteEntry");
    entry.append_attribute("value") = std::to_string(cls.value).c_str();
    entry.append_attribute("color") = qgis_hex(cls.colour).c_str();
    entry.append_attribute("alpha") = "255";
    entry.append_attribute("label") = cls.name.c_str();
  }
  return document_text(document);
}

std::string probability_raster_qml(std::span<const io::RasterClass> bins) {
  pugi::xml_document document;
  pugi::xml_node renderer = raster_document(document, "singlebandpseudocolor");
  renderer.append_attribute("classificationMin") = "0";
  renderer.append_attribute("classificationMax") = "1";
  pugi::xml_node shader = renderer.append_child("rastershader").append_child("colorrampshader");
  shader.append_attribute("colorRampType") = "DISCRETE";
  shader.append_attribute("classificationMode") = "1";
  shader.append_attribute("clip") = "0";
  shader.append_attribute("minimumValue") = "0";
  shader.append_attribute("maximumValue") = "1";
  shader.append_attribute("labelPrecision") = "1";
  for (const auto& bin : bins) {
    // DISCRETE: values up to and including `value` take the item's colour.
    pugi::xml_node item = shader.append_child("item");
    item.append_attribute("value") = fmt::format("{:.1f}", std::min(1.0, 0.1 * (bin.value + 1))).c_str();
    item.append_attribute("color") = qgis_hex(bin.colour).c_str();
    item.append_attribute("alpha") = "255";
    item.append_attribute("label") = bin.name.c_str();
  }
  return document_text(document);
}

std::string make_qml(const LayerStyle& style) {
  pugi::xml_document document;
  pugi::xml_node declaration = document.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = document.append_child("qgis");
  root.append_attribute("labelsEnabled") = "0";
  root.append_attribute("styleCategories") = "Symbology|Labeling";
  root.append_attribute("version") = qgis_version;
  pugi::xml_node renderer = root.append_child("renderer-v2");
  renderer.append_attribute("enableorderby") = "0";
  renderer.append_attribute("forceraster") = "0";
  renderer.append_attribute("symbollevels") = "0";
  renderer.append_attribute("referencescale") = "-1";
  if (style.field.empty()) {
    renderer.append_attribute("type") = "singleSymbol";
    append_symbol(renderer.append_child("symbols"), "0", style.kind, style.symbol);
  } else {
    renderer.append_attribute("type") = "categorizedSymbol";
    renderer.append_attribute("attr") = style.field.c_str();
    pugi::xml_node categories = renderer.append_child("categories");
    pugi::xml_node symbols = renderer.append_child("symbols");
    std::size_t i = 0;
    for (const auto& category : style.categories) {
      const std::string id = std::to_string(i++);
      pugi::xml_node node = categories.append_child("category");
      node.append_attribute("symbol") = id.c_str();
      node.append_attribute("render") = "true";
      node.append_attribute("value") = category.value.c_str();
      node.append_attribute("label") = category.label.c_str();
      append_symbol(symbols, id, style.kind, category.symbol);
    }
    // Everything else ("all other values"): an empty value with the fallback symbol, as QGIS writes it.
    const std::string id = std::to_string(i);
    pugi::xml_node other = categories.append_child("category");
    other.append_attribute("symbol") = id.c_str();
    other.append_attribute("render") = "true";
    other.append_attribute("value") = "";
    other.append_attribute("label") = "other";
    append_symbol(symbols, id, style.kind, style.symbol);
  }
  renderer.append_child("rotation");
  renderer.append_child("sizescale");
  if (!style.label_field.empty()) append_labels(root, style.label_field, style.label_is_expression, style.kind);
  root.append_child("blendMode").text() = "0";
  root.append_child("featureBlendMode").text() = "0";
  // QgsWkbTypes::GeometryType: 0 point, 1 line, 2 polygon.
  root.append_child("layerGeometryType").text() =
      style.kind == SymbolKind::marker ? "0" : style.kind == SymbolKind::line ? "1" : "2";
  return document_text(document);
}

LayerStyle landuse_style(const plan::Plan& plan, const std::string& field) {
  LayerStyle style;
  style.kind = SymbolKind::fill;
  style.field = field;
  style.symbol = fill_symbol("#DDDDDD", 1.0, "#808080", 0.1);
  for (const auto& cls : plan.classes) {
    style.categories.push_back({cls.code, fmt::format("{} {} / {}", cls.code, cls.name_en, cls.name_zh),
                                fill_symbol(cls.colour, 1.0, "#505050", 0.1)});
  }
  return style;
}

std::map<std::string, std::string> default_styles(const plan::Plan& plan) {
  std::map<std::string, std::string> out;
  out["parcels"] = make_qml(landuse_style(plan, "landuse"));

  LayerStyle zones;
  zones.field = "zone_id";
  zones.symbol = fill_symbol("#999999", 0.25, "#666666", 0.6);
  for (std::size_t i = 0; i < plan.zones.size(); ++i) {
    const auto& zone = plan.zones[i];
    const std::string colour = zone_colour(i);
    zones.categories.push_back({zone.id, zone.name_en.empty() ? zone.id : zone.name_en + " / " + zone.name_zh,
                                fill_symbol(colour, 0.25, colour, 0.6)});
  }
  zones.label_field = name_label_expression();
  zones.label_is_expression = true;
  out["zones"] = make_qml(zones);

  LayerStyle phases;
  phases.symbol = fill_symbol("#000000", 1.0, "#1A1A1A", 0.8, true);
  phases.label_field = "phase";
  out["phases"] = make_qml(phases);

  LayerStyle corridor;
  corridor.kind = SymbolKind::line;
  corridor.symbol.colour = "#B2182B";
  corridor.symbol.width_mm = 1.4;
  corridor.label_field = name_label_expression();
  corridor.label_is_expression = true;
  out["corridor"] = make_qml(corridor);

  LayerStyle band;
  band.symbol = fill_symbol("#9E9AC8", 0.3, "#756BB1", 0.2);
  out["corridor_band"] = make_qml(band);

  LayerStyle bases;
  bases.kind = SymbolKind::marker;
  bases.symbol.colour = "#D7301F";
  bases.symbol.outline = "#FFFFFF";
  bases.symbol.width_mm = 3.0;
  bases.label_field = name_label_expression();
  bases.label_is_expression = true;
  out["bases"] = make_qml(bases);

  LayerStyle stations;
  stations.kind = SymbolKind::marker;
  stations.symbol.colour = "#2166AC";
  stations.symbol.outline = "#FFFFFF";
  stations.symbol.width_mm = 2.4;
  stations.label_field = name_label_expression();
  stations.label_is_expression = true;
  out["stations"] = make_qml(stations);
  return out;
}

}  // namespace parksim::report
