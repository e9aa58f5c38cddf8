#pragma once
// QGIS styles (QML documents) for the layers of a run's output: parcels categorised by land use with the colours
// of the plan's land-use classes, and simple styles for zones, phases, the corridor and the bases. Stored in
// results.gpkg's `layer_styles` table (as default styles) and as `<layer>.qml` beside each Shapefile.
//
// The XML is built with pugixml (never by string concatenation) in the structure QGIS 3.22 writes
// (`<qgis version=... styleCategories="Symbology">` / `renderer-v2` / `symbols`), so QGIS applies it as is.
// Output is deterministic: the same style gives the same bytes. Thread-safety: pure functions.

#include <map>
#include <span>
#include <string>
#include <vector>

#include "io/raster.hpp"
#include "plan/plan.hpp"

namespace parksim::report {

/// What a symbol draws: a polygon fill, a line, or a point marker.
enum class SymbolKind { fill, line, marker };

/// One symbol. Colours "#RRGGBB"; opacity 0..1 of the fill / line / marker colour. DEFAULTs as given.
struct Symbol {
  std::string colour = "#999999";
  double opacity = 1.0;
  std::string outline = "#505050";   ///< fill: outline colour; marker: outline colour; line: unused
  double width_mm = 0.26;            ///< fill: outline width; line: line width; marker: diameter
  bool no_fill = false;              ///< fill only: draw the outline only
};

/// One category of a categorised style: features whose `field` equals `value` get `symbol`, shown as `label`.
struct Category {
  std::string value;
  std::string label;
  Symbol symbol;
};

/// A layer style: single symbol (`field` empty) or categorised by `field`; optional labels from `label_field`.
struct LayerStyle {
  SymbolKind kind = SymbolKind::fill;
  std::string field;               ///< categorised by this field; "" = single symbol
  std::vector<Category> categories;
  Symbol symbol;                   ///< the single symbol, and the symbol of values in no category (when categorised)
  std::string label_field;         ///< "" = no labels
  bool label_is_expression = false;  ///< label_field is a QGIS expression, not a field name. DEFAULT false
};

/// The QGIS label expression of a layer with name_en and name_zh: the English name, else the Chinese one (the
/// bundled stations have a Chinese name far more often than an English one).
std::string name_label_expression();

/// The QML document of `style` (UTF-8 XML with declaration, ends with "\n"). Throws Error(ErrorCode::internal)
/// for a colour that is not #RRGGBB.
std::string make_qml(const LayerStyle& style);

/// Parcels categorised by `field` (a land-use code field: "landuse" or "alloc_landuse") with one category per
/// plan class, in the plan's order: value = code, label "code name_en / name_zh", fill = the class colour.
LayerStyle landuse_style(const plan::Plan& plan, const std::string& field);

/// The colour of the `index`-th zone of a plan (QGIS styles and the report's maps): hues no land-use class uses, so
/// a zone never reads as a land use; they repeat after 8 zones.
std::string zone_colour(std::size_t index);

/// QML of a class raster (rasters/landuse_<year>.tif), written as <name>.qml beside it, which QGIS applies when it
/// opens the raster: the paletted renderer with exactly `classes` (value, colour, name as label; nodata transparent),
/// so the legend lists the run's classes with their names rather than the 256 entries of the TIFF colour map.
/// Throws Error(ErrorCode::internal) for a colour that is not #RRGGBB.
std::string class_raster_qml(std::span<const io::RasterClass> classes);

/// QML of a probability raster (0..1): discrete pseudocolour, one class per entry of `bins` (value v..v+0.1 of bin
/// v*10, the bins' colours and names as labels), as the report's probability map.
std::string probability_raster_qml(std::span<const io::RasterClass> bins);

/// The default styles of the spatial layers of results.gpkg (layer name -> QML): parcels (by land use), zones
/// (by zone_id), phases, corridor, corridor_band, bases, stations.
std::map<std::string, std::string> default_styles(const plan::Plan& plan);

}  // namespace parksim::report
