"""QGIS 3.22 default styles (QML) for the layers of the bundled park GeoPackage.

Contract (relied on by build_geodata.py, tests/geodata/ and tests/qgis/):
- `layer_styles(landuse_classes)` returns one `Style(layer, name, description, qml)` per styled layer, in a fixed
  order. `qml` is a complete QML document (QGIS 3.22 structure, styleCategories "Symbology|Labeling") that QGIS
  applies as the layer's default style when it sits in the GeoPackage's `layer_styles` table with useAsDefault = 1.
- `parcels` is categorised by `landuse` with exactly one category per `landuse_classes` row, in the table's order;
  the category's fill colour is that row's `colour` and its label "code name_en / name_zh". The colours therefore
  cannot drift from the table.
- The XML is built with xml.etree.ElementTree (no text templates), and the output is deterministic: attributes
  are written in insertion order (Python >= 3.8), property maps sorted by name, no clock, no dict-order input.
Only the Python standard library is needed.
"""

import collections
import re
import xml.etree.ElementTree as ET

QGIS_VERSION = "3.22.16-Białowieża"
STYLE_CATEGORIES = "Symbology|Labeling"
UNIT_SCALE_NONE = "3x:0,0,0,0,0,0"
LABEL_FONT = "Noto Sans CJK SC"    # QGIS substitutes an installed font if missing; CJK-capable where available

Style = collections.namedtuple("Style", "layer name description qml")

# layerGeometryType of QgsWkbTypes::GeometryType
POINT, LINE, POLYGON = 0, 1, 2
# QgsPalLayerSettings::Placement
PLACE_AROUND_POINT, PLACE_OVER_POINT, PLACE_LINE = 0, 1, 2


def rgba(colour, alpha=255):
    """'#RRGGBB' -> QGIS colour string 'r,g,b,a' (alpha 0-255)."""
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
        raise ValueError("colour %r is not #RRGGBB" % (colour,))
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "%d,%d,%d,%d" % (r, g, b, alpha)


# --- symbols ---------------------------------------------------------------------------------------------


def _number(v):
    return ("%g" % v) if isinstance(v, float) else str(v)


def simple_fill(colour, outline="#232323", outline_width_mm=0.26, style="solid", outline_style="solid",
                alpha=255, outline_alpha=255):
    """A SimpleFill symbol layer: style = solid | no | b_diagonal | f_diagonal | cross | ... (Qt brush names)."""
    return ("SimpleFill", {
        "border_width_map_unit_scale": UNIT_SCALE_NONE, "color": rgba(colour, alpha), "joinstyle": "bevel",
        "offset": "0,0", "offset_map_unit_scale": UNIT_SCALE_NONE, "offset_unit": "MM",
        "outline_color": rgba(outline, outline_alpha), "outline_style": outline_style,
        "outline_width": _number(outline_width_mm), "outline_width_unit": "MM", "style": style})


def simple_line(colour, width_mm, line_style="solid", alpha=255):
    """A SimpleLine symbol layer (line_style = solid | dash | dot | ...)."""
    return ("SimpleLine", {
        "capstyle": "round", "customdash": "5;2", "customdash_map_unit_scale": UNIT_SCALE_NONE,
        "customdash_unit": "MM", "joinstyle": "round", "line_color": rgba(colour, alpha), "line_style": line_style,
        "line_width": _number(width_mm), "line_width_unit": "MM", "offset": "0",
        "offset_map_unit_scale": UNIT_SCALE_NONE, "offset_unit": "MM", "use_custom_dash": "0",
        "width_map_unit_scale": UNIT_SCALE_NONE})


def simple_marker(colour, shape="circle", size_mm=2.6, outline="#FFFFFF", outline_width_mm=0.4,
                  outline_style="solid"):
    """A SimpleMarker symbol layer (shape = circle | square | diamond | triangle | star | ...)."""
    return ("SimpleMarker", {
        "angle": "0", "color": rgba(colour), "horizontal_anchor_point": "1", "joinstyle": "bevel", "name": shape,
        "offset": "0,0", "offset_map_unit_scale": UNIT_SCALE_NONE, "offset_unit": "MM",
        "outline_color": rgba(outline), "outline_style": outline_style, "outline_width": _number(outline_width_mm),
        "outline_width_map_unit_scale": UNIT_SCALE_NONE, "outline_width_unit": "MM", "scale_method": "diameter",
        "size": _number(size_mm), "size_map_unit_scale": UNIT_SCALE_NONE, "size_unit": "MM",
        "vertical_anchor_point": "1"})


def _symbol_type(layers):
    kinds = {"SimpleFill": "fill", "SimpleLine": "line", "SimpleMarker": "marker"}
    types = {kinds[cls] for cls, _ in layers}
    if len(types) != 1:
        raise ValueError("a symbol mixes symbol-layer kinds: %s" % sorted(types))
    return types.pop()


def _option_map(parent, props, **attrs):
    opt = ET.SubElement(parent, "Option", dict(type="Map", **attrs))
    for key in sorted(props):
        ET.SubElement(opt, "Option", {"type": "QString", "value": props[key], "name": key})
    return opt


def _symbol(parent, name, layers):
    sym = ET.SubElement(parent, "symbol", {"clip_to_extent": "1", "type": _symbol_type(layers), "force_rhr": "0",
                                           "alpha": "1", "name": name})
    for cls, props in layers:
        lyr = ET.SubElement(sym, "layer", {"enabled": "1", "locked": "0", "pass": "0", "class": cls})
        _option_map(lyr, props)
    return sym


# --- renderers -------------------------------------------------------------------------------------------


def _renderer(root, kind, **attrs):
    base = {"enableorderby": "0", "forceraster": "0", "type": kind, "symbollevels": "0", "referencescale": "-1"}
    base.update(attrs)
    return ET.SubElement(root, "renderer-v2", base)


def _finish_renderer(renderer):
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")


def single_renderer(root, layers):
    r = _renderer(root, "singleSymbol")
    _symbol(ET.SubElement(r, "symbols"), "0", layers)
    _finish_renderer(r)


def categorized_renderer(root, attr, categories):
    """categories: [(value, label, symbol layers)] in legend order."""
    r = _renderer(root, "categorizedSymbol", attr=attr)
    cats = ET.SubElement(r, "categories")
    syms = ET.SubElement(r, "symbols")
    for i, (value, label, layers) in enumerate(categories):
        ET.SubElement(cats, "category", {"symbol": str(i), "render": "true", "value": value, "label": label})
        _symbol(syms, str(i), layers)
    _finish_renderer(r)


def graduated_renderer(root, attr, ranges):
    """ranges: [(lower, upper, label, symbol layers)], manual (Custom) classification."""
    r = _renderer(root, "graduatedSymbol", attr=attr, graduatedMethod="GraduatedColor")
    rng = ET.SubElement(r, "ranges")
    syms = ET.SubElement(r, "symbols")
    for i, (lower, upper, label, layers) in enumerate(ranges):
        ET.SubElement(rng, "range", {"lower": "%.15f" % lower, "upper": "%.15f" % upper, "symbol": str(i),
                                     "render": "true", "label": label})
        _symbol(syms, str(i), layers)
    method = ET.SubElement(r, "classificationMethod", {"id": "Custom"})
    ET.SubElement(method, "symmetricMode", {"enabled": "0", "symmetrypoint": "0", "astride": "0"})
    ET.SubElement(method, "labelFormat", {"trimtrailingzeroes": "1", "labelprecision": "4", "format": "%1 - %2"})
    _finish_renderer(r)


# --- labels ----------------------------------------------------------------------------------------------


def simple_labels(root, expression, placement, size_pt=9.0, colour="#323232", bold=False, is_expression=True,
                  dist_mm=0.0):
    """Simple labelling of every feature with a QGIS expression (or a field name if is_expression is False)."""
    root.set("labelsEnabled", "1")
    labeling = ET.SubElement(root, "labeling", {"type": "simple"})
    settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
    text = ET.SubElement(settings, "text-style", {
        "fontFamily": LABEL_FONT, "namedStyle": "Bold" if bold else "Regular", "fontSize": _number(size_pt),
        "fontSizeUnit": "Point", "fontSizeMapUnitScale": UNIT_SCALE_NONE, "fontWeight": "75" if bold else "50",
        "fontItalic": "0", "fontUnderline": "0", "fontStrikeout": "0", "fontKerning": "1",
        "fontLetterSpacing": "0", "fontWordSpacing": "0", "textColor": rgba(colour), "textOpacity": "1",
        "blendMode": "0", "multilineHeight": "1", "capitalization": "0", "allowHtml": "0",
        "textOrientation": "horizontal", "useSubstitutions": "0", "fieldName": expression,
        "isExpression": "1" if is_expression else "0"})
    ET.SubElement(text, "text-buffer", {
        "bufferDraw": "1", "bufferSize": "0.8", "bufferSizeUnits": "MM", "bufferSizeMapUnitScale": UNIT_SCALE_NONE,
        "bufferColor": "255,255,255,255", "bufferOpacity": "0.8", "bufferNoFill": "1", "bufferJoinStyle": "128",
        "bufferBlendMode": "0"})
    ET.SubElement(settings, "text-format", {"wrapChar": "", "multilineAlign": "3", "autoWrapLength": "0",
                                            "useMaxLineLengthForAutoWrap": "1", "formatNumbers": "0",
                                            "decimals": "3", "plussign": "0"})
    ET.SubElement(settings, "placement", {
        "placement": str(placement), "placementFlags": "10", "polygonPlacementFlags": "2", "centroidInside": "1",
        "centroidWhole": "0", "fitInPolygonOnly": "0", "dist": _number(dist_mm), "distUnits": "MM",
        "distMapUnitScale": UNIT_SCALE_NONE, "quadOffset": "4", "xOffset": "0", "yOffset": "0",
        "offsetUnits": "MM", "offsetType": "0", "priority": "5", "rotationAngle": "0", "preserveRotation": "1",
        "repeatDistance": "0", "repeatDistanceUnits": "MM", "maxCurvedCharAngleIn": "25",
        "maxCurvedCharAngleOut": "-25", "predefinedPositionOrder": "TR,TL,BR,BL,R,L,TSR,BSR",
        "geometryGeneratorEnabled": "0", "geometryGenerator": "", "geometryGeneratorType": "PointGeometry"})
    ET.SubElement(settings, "rendering", {
        "drawLabels": "1", "scaleVisibility": "0", "scaleMin": "0", "scaleMax": "0", "fontLimitPixelSize": "0",
        "fontMinPixelSize": "0", "fontMaxPixelSize": "10000", "obstacle": "1", "obstacleFactor": "1",
        "obstacleType": "1", "labelPerPart": "0", "mergeLines": "0", "minFeatureSize": "0", "limitNumLabels": "0",
        "maxNumLabels": "2000", "upsidedownLabels": "0", "displayAll": "0", "zIndex": "0",
        "unplacedVisibility": "0"})


# --- documents -------------------------------------------------------------------------------------------


def _document():
    return ET.Element("qgis", {"labelsEnabled": "0", "styleCategories": STYLE_CATEGORIES, "version": QGIS_VERSION})


def _serialise(root, geometry_type):
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerGeometryType").text = str(geometry_type)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="unicode") + "\n"


def parcels_qml(landuse_classes):
    """landuse_classes: [(code, name_zh, name_en, '#RRGGBB')] in the table's order."""
    root = _document()
    categorized_renderer(root, "landuse", [
        (code, "%s %s / %s" % (code, name_en, name_zh), [simple_fill(colour, outline="#505050", outline_width_mm=0.1)])
        for code, name_zh, name_en, colour in landuse_classes])
    return _serialise(root, POLYGON)


def phases_qml():
    root = _document()
    single_renderer(root, [simple_fill("#000000", style="no", outline="#1A1A1A", outline_width_mm=0.8)])
    simple_labels(root, "'Phase ' || \"phase\"", PLACE_OVER_POINT, size_pt=11.0, colour="#1A1A1A", bold=True)
    return _serialise(root, POLYGON)


def phase_subareas_qml():
    root = _document()
    single_renderer(root, [simple_fill("#000000", style="no", outline="#404040", outline_width_mm=0.4,
                                       outline_style="dot")])
    simple_labels(root, "subarea", PLACE_OVER_POINT, size_pt=9.0, colour="#404040", is_expression=False)
    return _serialise(root, POLYGON)


# Zone hues differ from every landuse_classes colour, so a zone tint never looks like a land use.
ZONE_COLOURS = [("core", "Built core (phases 1-2)", "#FF7F00"), ("frontier_tech", "Frontier Technology", "#6A3D9A"),
                ("medical_device", "Medical Device", "#1F78B4"), ("beauty_health", "Beauty & Health", "#33A02C")]
ZONE_FILL_ALPHA = 60     # of 255: the parcels' land-use colours stay readable under a zone


def zones_qml():
    root = _document()
    categorized_renderer(root, "zone_id", [
        (zone, label, [simple_fill(colour, alpha=ZONE_FILL_ALPHA, outline=colour, outline_width_mm=0.6)])
        for zone, label, colour in ZONE_COLOURS])
    return _serialise(root, POLYGON)


def corridor_qml():
    root = _document()
    categorized_renderer(root, "name", [
        ("G6", "G6 Beijing-Tibet Expressway axis", [simple_line("#B2182B", 1.4)]),
        ("G7", "G7 Beijing-Xinjiang Expressway axis", [simple_line("#EF8A62", 1.4)])])
    simple_labels(root, "name", PLACE_LINE, size_pt=10.0, colour="#67001F", bold=True, is_expression=False,
                  dist_mm=1.0)
    return _serialise(root, LINE)


def corridor_band_qml():
    root = _document()
    graduated_renderer(root, "tier", [
        (0.5, 1.5, "Tier 1 (0-1 km)", [simple_fill("#54278F", alpha=90, outline="#54278F", outline_width_mm=0.2)]),
        (1.5, 2.5, "Tier 2 (1-3 km)", [simple_fill("#9E9AC8", alpha=70, outline="#756BB1", outline_width_mm=0.2)]),
        (2.5, 3.5, "Tier 3 (3-5 km)", [simple_fill("#DADAEB", alpha=60, outline="#9E9AC8", outline_width_mm=0.2)])])
    return _serialise(root, POLYGON)


# Base tiers: (tier, legend label, colour), the same hues for the points and the areas.
BASE_TIERS = [("demonstration", "Demonstration base", "#D7301F"), ("acceleration", "Acceleration base", "#FC8D59"),
              ("transformation", "Transformation base", "#FDCC8A")]
BASE_MARKERS = {"demonstration": ("star", 4.0), "acceleration": ("diamond", 3.4), "transformation": ("square", 3.0)}
BASE_AREA_FILL_ALPHA = 70   # of 255: see-through, the land under a base stays readable


def bases_qml():
    root = _document()
    categorized_renderer(root, "tier", [
        (tier, label, [simple_marker(colour, BASE_MARKERS[tier][0], BASE_MARKERS[tier][1], outline="#000000",
                                     outline_width_mm=0.2)])
        for tier, label, colour in BASE_TIERS])
    return _serialise(root, POINT)


def base_areas_qml():
    root = _document()
    categorized_renderer(root, "tier", [
        (tier, label + " area (schematic square, area = capacity)",
         [simple_fill(colour, alpha=BASE_AREA_FILL_ALPHA, outline=colour, outline_width_mm=0.5, outline_style="dash")])
        for tier, label, colour in BASE_TIERS])
    return _serialise(root, POLYGON)


def stations_qml():
    root = _document()
    categorized_renderer(root, "status", [
        ("surveyed-osm", "Station (OpenStreetMap)", [simple_marker("#08519C", "circle", 2.6, outline="#FFFFFF")]),
        ("schematic", "Planned Line 19 station (schematic position)",
         [simple_marker("#F16913", "circle", 2.6, outline="#7F2704", outline_style="dash")])])
    simple_labels(root, "name_zh", PLACE_AROUND_POINT, size_pt=7.5, colour="#08306B", is_expression=False,
                  dist_mm=0.8)
    return _serialise(root, POINT)


def roads_qml():
    root = _document()
    categorized_renderer(root, "class", [
        ("urban_expressway", "Urban expressway (Beiqing Road)", [simple_line("#6E6E6E", 1.0)]),
        ("local", "Local road grid (schematic)", [simple_line("#A8A8A8", 0.25)])])
    return _serialise(root, LINE)


def ftz_qml():
    root = _document()
    single_renderer(root, [simple_fill("#000000", style="no", outline="#6A3D9A", outline_width_mm=0.7,
                                       outline_style="dash")])
    return _serialise(root, POLYGON)


def constraints_qml():
    root = _document()
    categorized_renderer(root, "kind", [
        ("river_corridor", "River green corridor (not developable)",
         [simple_fill("#2171B5", style="b_diagonal", outline="#2171B5", outline_width_mm=0.4)]),
        ("green_belt", "Protective green belt (not developable)",
         [simple_fill("#238B45", style="f_diagonal", outline="#238B45", outline_width_mm=0.4)])])
    return _serialise(root, POLYGON)


def layer_styles(landuse_classes):
    """All default styles, in a fixed order (see the module contract)."""
    made = [
        ("parcels", "Parcels by land use (landuse_classes colours)", parcels_qml(landuse_classes)),
        ("phases", "Park phases, outline", phases_qml()),
        ("phase_subareas", "Phase sub-areas, dotted outline", phase_subareas_qml()),
        ("zones", "Industry zones, semi-transparent", zones_qml()),
        ("corridor", "G6/G7 corridor axes", corridor_qml()),
        ("corridor_band", "Corridor tiers, graduated", corridor_band_qml()),
        ("bases", "Corridor bases by tier", bases_qml()),
        ("base_areas", "Corridor base areas by tier, see-through", base_areas_qml()),
        ("stations", "Stations: OSM vs schematic", stations_qml()),
        ("roads", "Beiqing Road and local grid", roads_qml()),
        ("ftz", "Free-trade area, dashed outline", ftz_qml()),
        ("constraints", "Non-developable areas, hatched", constraints_qml()),
    ]
    return [Style(layer, layer, description, qml) for layer, description, qml in made]
