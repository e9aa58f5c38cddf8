"""Contract tests of the QGIS default styles in the bundled park dataset (table `layer_styles`).

QGIS opens a GeoPackage layer with the row of `layer_styles` that has useAsDefault = 1, f_table_schema = '',
f_table_name = the layer and f_geometry_column = its geometry column. The parcel colours must be the
`landuse_classes` colours, and every feature of a styled layer must fall in a category or range, else QGIS
draws it with no symbol. tests/qgis/ checks the same file with a real QGIS.
"""

import os
import sqlite3
import sys
import xml.etree.ElementTree as ET

import pytest
from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GEODATA = os.path.join(REPO, "geodata")
DATASET = os.path.join(GEODATA, "zgc_life_science_park.gpkg")

STYLED_LAYERS = ["parcels", "phases", "phase_subareas", "zones", "corridor", "corridor_band", "bases", "base_areas",
                 "stations", "roads", "ftz", "constraints"]
QGIS_COLUMNS = ["id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"]
FIXED_UPDATE_TIME = "2000-01-01T00:00:00.000Z"


@pytest.fixture(scope="module")
def db():
    con = sqlite3.connect("file:%s?mode=ro" % DATASET, uri=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def ds():
    dataset = ogr.Open(DATASET)
    assert dataset is not None, "cannot open " + DATASET
    return dataset


def default_qml(db, layer):
    rows = db.execute("SELECT styleQML FROM layer_styles WHERE useAsDefault = 1 AND f_table_schema = '' AND "
                      "f_table_name = ? AND f_geometry_column = 'geom'", (layer,)).fetchall()
    assert len(rows) == 1, "layer %s: %d default styles" % (layer, len(rows))
    return ET.fromstring(rows[0][0])


def landuse_classes(ds):
    lyr = ds.GetLayerByName("landuse_classes")
    lyr.ResetReading()
    return [(f["code"], f["name_zh"], f["name_en"], f["colour"]) for f in lyr]


def qgis_colour(hex_colour, alpha=255):
    return "%d,%d,%d,%d" % (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16), alpha)


def symbol_props(renderer):
    """{symbol name: {property: value}} of the first symbol layer of each symbol of a renderer."""
    out = {}
    for sym in renderer.find("symbols").findall("symbol"):
        layer = sym.find("layer")
        out[sym.get("name")] = dict(class_=layer.get("class"), **{
            o.get("name"): o.get("value") for o in layer.find("Option").findall("Option")})
    return out


def distinct_values(ds, layer, field):
    lyr = ds.GetLayerByName(layer)
    lyr.ResetReading()
    return {f[field] for f in lyr}


def test_layer_styles_table_has_the_qgis_schema_and_is_an_attributes_table(db):
    columns = [row[1] for row in db.execute("PRAGMA table_info(layer_styles)")]
    assert columns == QGIS_COLUMNS
    assert db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchall() == \
        [("attributes",)]


def test_every_spatial_layer_has_exactly_one_default_style_with_a_fixed_time(db, ds):
    rows = db.execute("SELECT f_table_name, f_geometry_column, f_table_schema, f_table_catalog, useAsDefault, "
                      "update_time, styleName FROM layer_styles ORDER BY id").fetchall()
    assert [r[0] for r in rows] == STYLED_LAYERS
    for name, geom_col, schema, catalog, default, update_time, style_name in rows:
        assert geom_col == ds.GetLayerByName(name).GetGeometryColumn() == "geom", name
        assert (schema, catalog, default, update_time) == ("", "", 1, FIXED_UPDATE_TIME), name
        assert style_name == name
    spatial = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())
               if ds.GetLayer(i).GetGeomType() != ogr.wkbNone]
    assert sorted(spatial) == sorted(STYLED_LAYERS)


@pytest.mark.parametrize("layer", STYLED_LAYERS)
def test_every_style_is_qgis_3_22_symbology_and_labeling_qml(db, layer):
    root = default_qml(db, layer)
    assert root.tag == "qgis"
    assert root.get("version").startswith("3.22.")
    assert root.get("styleCategories") == "Symbology|Labeling"
    assert root.find("renderer-v2") is not None
    symbols = root.find("renderer-v2").find("symbols").findall("symbol")
    assert symbols and all(s.find("layer").find("Option").get("type") == "Map" for s in symbols)


def test_parcel_categories_are_the_landuse_classes_with_their_colours(db, ds):
    classes = landuse_classes(ds)
    renderer = default_qml(db, "parcels").find("renderer-v2")
    assert (renderer.get("type"), renderer.get("attr")) == ("categorizedSymbol", "landuse")
    categories = renderer.find("categories").findall("category")
    assert [c.get("value") for c in categories] == [code for code, _, _, _ in classes]
    props = symbol_props(renderer)
    for category, (code, name_zh, name_en, colour) in zip(categories, classes):
        symbol = props[category.get("symbol")]
        assert symbol["class_"] == "SimpleFill" and symbol["style"] == "solid", code
        assert symbol["color"] == qgis_colour(colour), code
        assert category.get("label") == "%s %s / %s" % (code, name_en, name_zh)
        assert category.get("render") == "true"
        assert float(symbol["outline_width"]) <= 0.2, "parcel outlines should be thin"


def test_every_parcel_land_use_has_a_category(db, ds):
    categories = {c.get("value") for c in default_qml(db, "parcels").find("renderer-v2").iter("category")}
    assert distinct_values(ds, "parcels", "landuse") <= categories


@pytest.mark.parametrize("layer,field", [("zones", "zone_id"), ("corridor", "name"), ("bases", "tier"),
                                         ("base_areas", "tier"),
                                         ("stations", "status"), ("roads", "class"), ("constraints", "kind")])
def test_categorised_layers_give_every_feature_a_symbol(db, ds, layer, field):
    renderer = default_qml(db, layer).find("renderer-v2")
    assert (renderer.get("type"), renderer.get("attr")) == ("categorizedSymbol", field)
    assert distinct_values(ds, layer, field) == {c.get("value") for c in renderer.iter("category")}


def test_corridor_band_is_graduated_by_tier_covering_every_tier(db, ds):
    renderer = default_qml(db, "corridor_band").find("renderer-v2")
    assert (renderer.get("type"), renderer.get("attr")) == ("graduatedSymbol", "tier")
    ranges = [(float(r.get("lower")), float(r.get("upper"))) for r in renderer.iter("range")]
    tiers = distinct_values(ds, "corridor_band", "tier")
    assert len(ranges) == len(tiers) == 3
    for tier in tiers:
        assert sum(1 for lo, hi in ranges if lo < tier <= hi) == 1, tier
    colours = {p["color"] for p in symbol_props(renderer).values()}
    assert len(colours) == 3


def test_schematic_stations_are_drawn_in_another_colour(db):
    renderer = default_qml(db, "stations").find("renderer-v2")
    props = symbol_props(renderer)
    colour = {c.get("value"): props[c.get("symbol")]["color"] for c in renderer.iter("category")}
    assert colour["schematic"] != colour["surveyed-osm"]
    assert all(p["class_"] == "SimpleMarker" for p in props.values())


def test_outline_layers_have_no_fill_and_constraints_are_hatched(db):
    phases = symbol_props(default_qml(db, "phases").find("renderer-v2"))["0"]
    assert phases["style"] == "no" and phases["outline_style"] == "solid"
    ftz = symbol_props(default_qml(db, "ftz").find("renderer-v2"))["0"]
    assert ftz["style"] == "no" and ftz["outline_style"] == "dash"
    hatches = {p["style"] for p in symbol_props(default_qml(db, "constraints").find("renderer-v2")).values()}
    assert hatches <= {"b_diagonal", "f_diagonal", "cross", "diagonal_x", "horizontal", "vertical"} and hatches
    for layer in ("zones", "base_areas"):
        fills = symbol_props(default_qml(db, layer).find("renderer-v2"))
        assert all(0 < int(p["color"].split(",")[3]) < 255 for p in fills.values()), layer + " fills must be see-through"


def test_phases_are_labelled_by_phase(db):
    root = default_qml(db, "phases")
    assert root.get("labelsEnabled") == "1"
    text = root.find("labeling").find("settings").find("text-style")
    assert text.get("isExpression") == "1" and '"phase"' in text.get("fieldName")


def test_the_generator_rejects_a_colour_that_is_not_hex_rgb():
    sys.dont_write_bytecode = True
    sys.path.insert(0, GEODATA)
    try:
        import qgis_style
    finally:
        sys.path.remove(GEODATA)
    assert qgis_style.rgba("#E6005C", 80) == "230,0,92,80"
    with pytest.raises(ValueError):
        qgis_style.rgba("red")
