"""A real QGIS 3.22 (Debian's python3-qgis, offscreen) opens the bundled park dataset and applies its default styles.

What a GIS user sees when dragging geodata/zgc_life_science_park.gpkg into QGIS: the layers open in EPSG:4548
with their Chinese text intact, each styled layer comes up with the default style from the `layer_styles`
table (parcels coloured by the `landuse_classes` colours), and a map renders. The expected colours are read
from the file with osgeo/ogr, independently of the QML generator.

Set PARKSIM_QGIS_RENDER_DIR to keep the rendered PNGs (otherwise they go to pytest's tmp_path).
"""

import os

import pytest
from osgeo import gdal, ogr
from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsGraduatedSymbolRenderer,
                       QgsMapRendererParallelJob, QgsMapSettings, QgsSingleSymbolRenderer, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor

gdal.UseExceptions()
ogr.UseExceptions()

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATASET = os.path.join(REPO, "geodata", "zgc_life_science_park.gpkg")
RENDER_PX = 900
SAMPLE_STEP_PX = 3


@pytest.fixture(scope="module")
def qgis_app():
    app = QgsApplication([], False)
    app.initQgis()
    yield app
    app.exitQgis()


def open_layer(name):
    layer = QgsVectorLayer("%s|layername=%s" % (DATASET, name), name, "ogr")
    assert layer.isValid(), "QGIS cannot open layer " + name
    return layer


def ogr_rows(layer, fields):
    ds = ogr.Open(DATASET)
    lyr = ds.GetLayerByName(layer)
    lyr.ResetReading()
    return [tuple(f[name] for name in fields) for f in lyr]


def parcels_count():
    return len(ogr_rows("parcels", ["parcel_id"]))


def render(layers, path, extent_layer):
    """Render the layers (first = top) over extent_layer's extent into a PNG; returns (QImage, errors, settings)."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    extent = extent_layer.extent()
    extent.scale(1.05)                      # a margin, so that edges on the extent stay visible
    settings.setExtent(extent)
    settings.setOutputSize(QSize(RENDER_PX, RENDER_PX))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    assert image.save(path, "PNG"), "cannot write " + path
    return image, [e.message for e in job.errors()], settings


def sampled_colours(image):
    """Histogram {'#rrggbb': pixel count} on a regular sample grid."""
    counts = {}
    for y in range(0, image.height(), SAMPLE_STEP_PX):
        for x in range(0, image.width(), SAMPLE_STEP_PX):
            name = QColor(image.pixel(x, y)).name()
            counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.fixture
def render_dir(tmp_path):
    out = os.environ.get("PARKSIM_QGIS_RENDER_DIR")
    if out:
        os.makedirs(out, exist_ok=True)
        return out
    return str(tmp_path)


def test_qgis_opens_parcels_in_epsg_4548_with_every_feature_and_chinese_text(qgis_app):
    parcels = open_layer("parcels")
    assert parcels.crs().authid() == "EPSG:4548"
    assert parcels.featureCount() == parcels_count()
    names = {f["name_zh"] for f in parcels.getFeatures() if isinstance(f["name_zh"], str)}
    assert "生命科学园西站公交场站" in names
    assert names == {n for (n,) in ogr_rows("parcels", ["name_zh"]) if n}


def test_parcels_open_categorised_by_landuse_with_the_landuse_classes_colours(qgis_app):
    parcels = open_layer("parcels")           # the layer owns the renderer: keep it alive
    renderer = parcels.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer), type(renderer).__name__
    assert renderer.classAttribute() == "landuse"
    categories = renderer.categories()      # keep the list alive while its symbols are used
    got = [(c.value(), c.symbol().color().name().upper(), c.symbol().color().alpha()) for c in categories]
    expected = [(code, colour.upper(), 255) for code, colour in ogr_rows("landuse_classes", ["code", "colour"])]
    assert got == expected
    assert all(c.renderState() for c in categories)


def test_stations_and_phases_open_with_their_own_default_styles(qgis_app):
    stations_layer = open_layer("stations")   # layers own their renderers: keep them alive
    stations = stations_layer.renderer()
    assert isinstance(stations, QgsCategorizedSymbolRenderer) and stations.classAttribute() == "status"
    cats = stations.categories()
    colour = {c.value(): c.symbol().color().name() for c in cats}
    assert set(colour) == {s for (s,) in ogr_rows("stations", ["status"])} == {"surveyed-osm", "schematic"}
    assert colour["schematic"] != colour["surveyed-osm"]

    phases = open_layer("phases")
    renderer = phases.renderer()
    assert isinstance(renderer, QgsSingleSymbolRenderer)
    fill = renderer.symbol().symbolLayer(0)
    assert fill.layerType() == "SimpleFill" and fill.brushStyle() == Qt.NoBrush
    assert phases.labelsEnabled() and '"phase"' in phases.labeling().settings().fieldName

    band_layer = open_layer("corridor_band")
    band = band_layer.renderer()
    assert isinstance(band, QgsGraduatedSymbolRenderer) and band.classAttribute() == "tier"
    assert len(band.ranges()) == 3


def test_parcels_render_in_their_landuse_colours(qgis_app, render_dir):
    parcels = open_layer("parcels")
    path = os.path.join(render_dir, "parcels.png")
    image, errors, _ = render([parcels], path, parcels)
    assert errors == []
    assert (image.width(), image.height()) == (RENDER_PX, RENDER_PX)
    counts = sampled_colours(image)
    assert len(counts) >= 10, "the render is (nearly) blank: %d colours" % len(counts)
    assert counts.get("#ffffff", 0) < sum(counts.values()), "only background"
    # The three land uses with the largest area fill whole blocks, so their exact colours must show.
    area = {}
    for landuse, area_m2 in ogr_rows("parcels", ["landuse", "area_m2"]):
        area[landuse] = area.get(landuse, 0.0) + area_m2
    colours = dict(ogr_rows("landuse_classes", ["code", "colour"]))
    for code in sorted(area, key=lambda c: -area[c])[:3]:
        assert counts.get(colours[code].lower(), 0) > 50, "land use %s (%s) not drawn" % (code, colours[code])


def test_all_styled_layers_render_together_without_errors(qgis_app, render_dir):
    names = ["stations", "corridor", "phases", "ftz", "constraints", "zones", "parcels"]
    layers = [open_layer(n) for n in names]
    image, errors, settings = render(layers, os.path.join(render_dir, "park.png"), layers[names.index("phases")])
    assert errors == []
    counts = sampled_colours(image)
    assert len(counts) >= 10
    assert counts.get("#ffffff", 0) < sum(counts.values())
    # Zones lie over every parcel and are see-through: no land-use colour shows pure (each is tinted by its zone),
    # and no zone colour shows pure (the zone does not hide the parcels).
    zone_layer = layers[names.index("zones")]
    zone_categories = zone_layer.renderer().categories()
    zone_colour = {c.value(): c.symbol().color() for c in zone_categories}
    assert all(0.0 < c.alphaF() < 1.0 for c in zone_colour.values()), "zone fills must be see-through"
    landuse_colour = {code: QColor(colour) for code, colour in ogr_rows("landuse_classes", ["code", "colour"])}
    # Zones lie over the parcels and are see-through: the centre of a parcel shows its land-use colour
    # alpha-blended with its zone's colour. Probe the centre of every parcel in the rendered extent, the phases (a
    # few may sit under a label); the Beauty & Health parcels, in no phase, lie 10 km away, outside the image.
    to_pixel = settings.mapToPixel()
    probes = matches = 0
    ds = ogr.Open(DATASET)
    for f in ds.GetLayerByName("parcels"):
        if f["phase"] is None:
            continue
        centre = f.GetGeometryRef().Centroid()
        px = to_pixel.transform(centre.GetX(), centre.GetY())
        got = QColor(image.pixel(int(px.x()), int(px.y())))
        zone, base = zone_colour[f["zone"]], landuse_colour[f["landuse"]]
        a = zone.alphaF()
        expected = [a * z + (1.0 - a) * b for z, b in ((zone.red(), base.red()), (zone.green(), base.green()),
                                                        (zone.blue(), base.blue()))]
        probes += 1
        matches += all(abs(g - e) <= 3.0 for g, e in zip((got.red(), got.green(), got.blue()), expected))
    assert probes == sum(1 for (phase,) in ogr_rows("parcels", ["phase"]) if phase is not None)
    assert matches >= 0.9 * probes, "%d of %d parcel centres show land use + zone tint" % (matches, probes)
