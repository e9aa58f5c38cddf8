"""A real QGIS 3.22 (offscreen) opens what `parksim run` writes: results.gpkg and the Shapefile set.

What a GIS officer checks after a run: every layer opens valid in EPSG:4548 with the right feature count, Chinese
text intact, and the default style (from results.gpkg's layer_styles, or the .qml beside each Shapefile) applied,
so parcels come up coloured by land use. Counts and values are compared with what osgeo/ogr reads from the same
files, independently of QGIS.
"""

import os
import subprocess

import pytest
from osgeo import ogr
from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsMapRendererParallelJob, QgsMapSettings,
                       QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

ogr.UseExceptions()

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BASELINE = os.path.join(REPO, "scenarios", "baseline.toml")
SPATIAL = ["parcels", "zones", "phases", "corridor", "bases", "stations"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    binary = os.environ.get("PARKSIM_BIN")
    if not binary:
        pytest.fail("PARKSIM_BIN is not set (run this test through ctest)")
    out = tmp_path_factory.mktemp("qgis") / "baseline"
    r = subprocess.run([binary, "run", BASELINE, "--out", str(out), "--format", "shp", "--quiet"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def qgis_app():
    app = QgsApplication([], False)
    app.initQgis()
    yield app
    app.exitQgis()


def ogr_count(path, layer=None):
    ds = ogr.Open(str(path))  # keep the dataset alive while its layer is used
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    return lyr.GetFeatureCount()


def ogr_values(path, layer, field):
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    return [f[field] for f in lyr]


def qgis_values(layer, field):
    index = layer.fields().indexOf(field)
    assert index >= 0, field
    return [f.attributes()[index] for f in layer.getFeatures()]


def has_cjk(text):
    return isinstance(text, str) and any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize("name", SPATIAL)
def test_geopackage_layer_opens_in_epsg_4548_with_all_features(qgis_app, bundle, name):
    layer = QgsVectorLayer("%s|layername=%s" % (bundle / "results.gpkg", name), name, "ogr")
    assert layer.isValid()
    assert layer.crs().authid() == "EPSG:4548"
    expected = ogr_count(bundle / "results.gpkg", name)
    assert expected > 0
    assert layer.featureCount() == expected


@pytest.mark.parametrize("name", SPATIAL)
def test_shapefile_opens_in_epsg_4548_with_all_features(qgis_app, bundle, name):
    path = bundle / "shp" / (name + ".shp")
    layer = QgsVectorLayer(str(path), name, "ogr")
    assert layer.isValid()
    assert layer.crs().authid() == "EPSG:4548"
    assert layer.featureCount() == ogr_count(path)
    assert layer.featureCount() > 0


@pytest.mark.parametrize("source", ["gpkg", "shp"])
def test_chinese_values_are_intact(qgis_app, bundle, source):
    uri = "%s|layername=zones" % (bundle / "results.gpkg") if source == "gpkg" else str(bundle / "shp" / "zones.shp")
    layer = QgsVectorLayer(uri, "zones", "ogr")
    values = qgis_values(layer, "name_zh")
    assert any(has_cjk(v) for v in values), values
    expected = ogr_values(bundle / "results.gpkg", "zones", "name_zh")
    assert sorted(v for v in values if v) == sorted(v for v in expected if v)


@pytest.mark.parametrize("source", ["gpkg", "shp"])
def test_parcels_come_up_with_the_land_use_style(qgis_app, bundle, source):
    uri = "%s|layername=parcels" % (bundle / "results.gpkg") if source == "gpkg" else str(bundle / "shp" / "parcels.shp")
    layer = QgsVectorLayer(uri, "parcels", "ogr")
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer), type(renderer).__name__
    assert renderer.classAttribute() == "landuse"
    codes = {str(c.value()) for c in renderer.categories()}
    assert set(str(v) for v in qgis_values(layer, "landuse")) <= codes
    # The colours are the land-use classes' colours of the bundled dataset.
    dataset = ogr.Open(os.path.join(REPO, "geodata", "zgc_life_science_park.gpkg"))
    colour = {f["code"]: f["colour"].lower() for f in dataset.GetLayerByName("landuse_classes")}
    for category in renderer.categories():
        code = str(category.value())
        if code in colour:
            assert category.symbol().color().name() == colour[code], code


def test_parcels_render_in_several_colours(qgis_app, bundle, tmp_path):
    layer = QgsVectorLayer("%s|layername=parcels" % (bundle / "results.gpkg"), "parcels", "ogr")
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(600, 600))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    assert image.save(str(tmp_path / "run_parcels.png"), "PNG")
    assert not job.errors()
    colours = {QColor(image.pixel(x, y)).name() for y in range(0, 600, 5) for x in range(0, 600, 5)}
    assert len(colours) >= 5


def test_land_use_rasters_list_exactly_the_run_classes_with_their_names(qgis_app, bundle):
    import json

    from qgis.core import QgsPalettedRasterRenderer, QgsRasterLayer

    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    expected = [(c["code"], "%s %s" % (c["name_en"], c["name_zh"])) for c in manifest["classes"]]
    assert len(expected) == 8
    assert all(name_zh for _, name_zh in expected)
    rasters = sorted((bundle / "rasters").glob("landuse_*.tif"))
    assert rasters
    for path in rasters:
        layer = QgsRasterLayer(str(path), path.stem)
        assert layer.isValid(), path
        assert layer.crs().authid() == "EPSG:4548"
        renderer = layer.renderer()
        assert isinstance(renderer, QgsPalettedRasterRenderer), type(renderer).__name__
        assert [(int(c.value), c.label) for c in renderer.classes()] == expected, path
        assert len(renderer.legendSymbologyItems()) == len(expected)
    # The group names are the groups' (bilingual), not those of one of their land-use codes.
    assert ("non-built / agricultural" in expected[0][1]) and ("水田" not in expected[0][1])


def test_named_layers_are_labelled_in_english_falling_back_to_chinese(qgis_app, bundle):
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils

    layer = QgsVectorLayer("%s|layername=stations" % (bundle / "results.gpkg"), "stations", "ogr")
    assert layer.labelsEnabled()
    settings = layer.labeling().settings()
    assert settings.isExpression
    expression = QgsExpression(settings.fieldName)
    context = QgsExpressionContext()
    context.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    unlabelled = 0
    for feature in layer.getFeatures():
        context.setFeature(feature)
        label = expression.evaluate(context)
        en, zh = feature["name_en"], feature["name_zh"]
        if en:
            assert label == en
        elif zh:
            assert label == zh
        else:
            unlabelled += 1
    # Most bundled stations have only a Chinese name: they are labelled now.
    named_zh_only = sum(1 for f in layer.getFeatures() if not f["name_en"] and f["name_zh"])
    assert named_zh_only > 40
    assert unlabelled == sum(1 for f in layer.getFeatures() if not f["name_en"] and not f["name_zh"])
