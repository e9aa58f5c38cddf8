#!/usr/bin/python3
"""Build the bundled park dataset geodata/zgc_life_science_park.gpkg from geodata/sources/.

Usage: /usr/bin/python3 geodata/build_geodata.py [--out PATH]

Contract (relied on by the engine's loaders, the CLI and tests/geodata/):
- Every layer is stored in EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger CM 117E), x = easting, y = northing,
  vertices rounded to 1 mm. Layer and field names are fixed; PROVENANCE.md describes each layer.
- The output is byte-reproducible: the same sources and the same GDAL/SQLite give the same SHA-256
  (OGR_CURRENT_DATE is fixed, features are written in a fixed order, no clock, no dict-order dependence,
  the only "randomness" is a SHA-256 of each parcel id).
- The park polygons are SCHEMATIC: fictional shapes at the real location, with the published areas
  (phases 1-2 = 2.500 km2, phase 3 = 4.700 km2 incl. parcel A = 37.93 ha, free-trade area = 10.26 km2)
  hit to well under 1 m2. Station points are real OpenStreetMap data (ODbL 1.0).
- The file carries QGIS default styles in a `layer_styles` table (QML from qgis_style.py beside this script;
  parcel colours = the landuse_classes colours), so QGIS opens every spatial layer styled.
Needs only Debian's python3-gdal (osgeo.ogr / osr) and the standard library.
"""

import argparse
import csv
import hashlib
import json
import math
import os
import sys

from osgeo import gdal, ogr, osr

sys.dont_write_bytecode = True   # no __pycache__ beside the committed script
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_style  # noqa: E402  (the QML generator beside this script)

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "sources")
DEFAULT_OUT = os.path.join(HERE, "zgc_life_science_park.gpkg")
FIXED_DATE = "2000-01-01T00:00:00.000Z"
STYLE_UPDATE_TIME = (2000, 1, 1, 0, 0, 0, 100)   # layer_styles.update_time: fixed (UTC), keeps the file reproducible

# ---------------------------------------------------------------------------------------------------------
# Published figures the geometry is fitted to (sources: sources/FACTS.md).
PHASE12_M2 = 2.5e6
PHASE3_M2 = 4.7e6
PARCEL_A_M2 = 379300.0          # 37.93 ha
FTZ_M2 = 10.26e6
M2_PER_MU = 2000.0 / 3.0
BEAUTY_HEALTH_M2 = 3.0e6        # schematic size ("a few km2"), not a published figure
ZHUXINZHUANG_BLOCKS_KM2 = 6.627           # 662.7 ha (Beijing Youth Daily 2022-12-21)
MEDICAL_DEVICE_CITY_WEST_KM2 = 0.886      # 88.6 ha (Changping international medical device city, west area)
SCHEMATIC_BASE_KM2 = 1.0        # ASSUMPTION: 100 ha per schematic corridor base (no published area)
BEAUTY_HEALTH_WIDTH_M = 2000.0  # the zone is a north-up 2 km x 1.5 km rectangle (judgement)
# ASSUMPTION (scenarios/baseline.toml [demand.class_share.beauty_health]): the planned use of Beauty & Health land,
# 40 % R&D, 30 % production, 30 % commercial / services - no published mix.
BEAUTY_HEALTH_PLANNED_USES = [("0802", 40), ("100101", 30), ("0901", 30)]

# Schematic construction parameters (metres in EPSG:4548). Documented in PROVENANCE.md.
BEIQING_SETBACK_M = 30.0        # park south edge north of the Beiqing Rd centreline (as in the draft)
G6_EDGE_M = 60.0                # phase-3 east edge: horizontal distance west of the G6 centreline
G6_GREEN_BELT_M = 60.0          # protective green belt inside the phase-3 east edge
RIVER_STRIP_M = 120.0           # Nansha River green corridor inside the phase-3 north edge
PARCEL_A_WIDTH_M = 650.0
PARCEL_A_CENTRE = (116.3115, 40.0785)   # central Huilongguan, east of the schematic G6 (judgement, +-1.5 km)
COLUMN_WIDTHS_M = [200.0, 180.0, 220.0, 190.0, 210.0, 170.0]
P12_ROW_HEIGHTS_M = [165.0, 150.0, 180.0, 170.0, 160.0, 175.0]
P3_ROW_HEIGHTS_M = [180.0, 200.0, 160.0, 190.0, 170.0, 210.0, 185.0, 175.0]
PARCEL_A_COLUMNS_M = [160.0, 165.0, 160.0, 165.0]
PARCEL_A_ROWS_M = [195.0, 190.0]          # the last row takes the rest
MIN_PARCEL_M2 = 6000.0          # smaller clipped blocks are merged into a neighbour
MIN_STRIP_PARCEL_M2 = 5000.0

LICENCE_ODBL = "ODbL-1.0 (c) OpenStreetMap contributors; this dataset is a derived database under ODbL 1.0"
LICENCE_ODBL_WIKI = LICENCE_ODBL + "; one coordinate from Wikipedia (CC BY-SA 4.0)"
LICENCE_ODBL_MIT = LICENCE_ODBL + "; interstation_m from Beijing-Subway-Tools (MIT, (c) 2025 Yihe Li)"
SRC_DRAFT = "geodata/sources/schematic_draft_wgs84.geojson"
SCHEMATIC_NOTE = "SCHEMATIC: fictional shape at the real location; not surveyed, not an official boundary"


# ---------------------------------------------------------------------------------------------------------
# Coordinates and geometry helpers


def make_srs(epsg):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


SRS_WGS84 = make_srs(4326)
SRS_WORK = make_srs(4548)
TO_WORK = osr.CoordinateTransformation(SRS_WGS84, SRS_WORK)


def mm(v):
    """Round a coordinate to 1 mm (the dataset's fixed precision)."""
    return round(v, 3)


def to_work(lon, lat):
    """WGS84 lon/lat -> EPSG:4548 (easting, northing), unrounded."""
    x, y, _ = TO_WORK.TransformPoint(lon, lat)
    return (x, y)


def polygon(points):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in points:
        ring.AddPoint_2D(x, y)
    ring.CloseRings()
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def linestring(points):
    line = ogr.Geometry(ogr.wkbLineString)
    for x, y in points:
        line.AddPoint_2D(x, y)
    return line


def point(x, y):
    p = ogr.Geometry(ogr.wkbPoint)
    p.AddPoint_2D(x, y)
    return p


def _rounded_points(geom):
    out = []
    for i in range(geom.GetPointCount()):
        p = (mm(geom.GetX(i)), mm(geom.GetY(i)))
        if not out or out[-1] != p:
            out.append(p)
    return out


def round_geometry(geom):
    """Copy of geom with every vertex rounded to 1 mm and repeated vertices dropped; must stay valid."""
    gtype = ogr.GT_Flatten(geom.GetGeometryType())
    if gtype == ogr.wkbPoint:
        return point(mm(geom.GetX()), mm(geom.GetY()))
    if gtype == ogr.wkbLineString:
        return linestring(_rounded_points(geom))
    if gtype == ogr.wkbPolygon:
        poly = ogr.Geometry(ogr.wkbPolygon)
        for i in range(geom.GetGeometryCount()):
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for x, y in _rounded_points(geom.GetGeometryRef(i)):
                ring.AddPoint_2D(x, y)
            ring.CloseRings()
            if ring.GetPointCount() >= 4:
                poly.AddGeometry(ring)
        return poly
    if gtype in (ogr.wkbMultiPolygon, ogr.wkbMultiLineString, ogr.wkbGeometryCollection):
        multi = ogr.Geometry(gtype)
        for i in range(geom.GetGeometryCount()):
            part = round_geometry(geom.GetGeometryRef(i))
            if not part.IsEmpty():
                multi.AddGeometry(part)
        return multi
    raise ValueError("unsupported geometry type %s" % geom.GetGeometryName())


def polygons_only(geom):
    """The polygonal part of an overlay result as a MultiPolygon (drops stray lines/points)."""
    multi = ogr.Geometry(ogr.wkbMultiPolygon)
    gtype = ogr.GT_Flatten(geom.GetGeometryType())
    if gtype == ogr.wkbPolygon:
        multi.AddGeometry(geom)
    elif gtype in (ogr.wkbMultiPolygon, ogr.wkbGeometryCollection):
        for i in range(geom.GetGeometryCount()):
            part = geom.GetGeometryRef(i)
            if ogr.GT_Flatten(part.GetGeometryType()) in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
                as_multi = ogr.ForceToMultiPolygon(part.Clone())
                for j in range(as_multi.GetGeometryCount()):
                    multi.AddGeometry(as_multi.GetGeometryRef(j).Clone())
    return multi


def final_polygon(geom, what):
    """Round an overlay result to 1 mm and check that it is a valid (multi)polygon."""
    g = round_geometry(polygons_only(geom))
    if not g.IsValid():
        g = polygons_only(g.MakeValid())
    if g.IsEmpty() or not g.IsValid():
        raise RuntimeError("%s: geometry became empty or invalid after rounding" % what)
    return g


def node_polygons(polys, tol_m=0.0015):
    """Insert into every ring the vertices of the other polygons that lie on its edges (within tol_m).

    After rounding to 1 mm, a vertex of one block can sit a fraction of a millimetre off its neighbour's edge
    (T-junctions). Sharing those vertices makes neighbours meet edge-to-edge, so they tile exactly and their
    union has no micro gaps. Input and output: single-ring Polygons with 1 mm vertices.
    """
    bucket_m = 100.0
    buckets = {}
    for poly in polys:
        for x, y in poly.GetGeometryRef(0).GetPoints():
            buckets.setdefault((int(x // bucket_m), int(y // bucket_m)), set()).add((x, y))
    out = []
    for poly in polys:
        pts = poly.GetGeometryRef(0).GetPoints()
        ring_pts = [pts[0]]
        for a, b in zip(pts, pts[1:]):
            dx, dy = b[0] - a[0], b[1] - a[1]
            seg2 = dx * dx + dy * dy
            found = []
            for bx in range(int((min(a[0], b[0]) - tol_m) // bucket_m), int((max(a[0], b[0]) + tol_m) // bucket_m) + 1):
                for by in range(int((min(a[1], b[1]) - tol_m) // bucket_m),
                                int((max(a[1], b[1]) + tol_m) // bucket_m) + 1):
                    for p in buckets.get((bx, by), ()):
                        if p == a or p == b:
                            continue
                        t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / seg2
                        if not 0.0 < t < 1.0:
                            continue
                        if abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / math.sqrt(seg2) <= tol_m:
                            found.append((t, p))
            ring_pts.extend(p for _, p in sorted(found))
            ring_pts.append(b)
        out.append(polygon(ring_pts[:-1]))
    return out


def union_all(polys, what):
    """Union of edge-to-edge polygons (noded), as a valid MultiPolygon."""
    collection = ogr.Geometry(ogr.wkbMultiPolygon)
    for poly in polys:
        if ogr.GT_Flatten(poly.GetGeometryType()) == ogr.wkbMultiPolygon:
            for i in range(poly.GetGeometryCount()):
                collection.AddGeometry(poly.GetGeometryRef(i).Clone())
        else:
            collection.AddGeometry(poly)
    merged = ogr.ForceToMultiPolygon(collection.UnionCascaded())
    if not merged.IsValid():
        raise RuntimeError("%s: union is invalid" % what)
    return merged


def unit_hash(key):
    """Deterministic number in [0, 1) from a text key (stands in for a random draw)."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:13], 16) / float(16 ** 13)


def pick(key, weighted):
    u = unit_hash(key)
    total = sum(w for _, w in weighted)
    acc = 0.0
    for value, w in weighted:
        acc += w / total
        if u < acc:
            return value
    return weighted[-1][0]


def cumulative(start, widths, stop):
    """Grid line positions from start, cycling through widths, ending exactly at stop."""
    lines = [start]
    i = 0
    while lines[-1] + widths[i % len(widths)] < stop - 1e-9:
        lines.append(lines[-1] + widths[i % len(widths)])
        i += 1
    lines.append(stop)
    return lines


def stretched(start, widths, stop):
    """Grid line positions from start to exactly stop: as many widths of the cycle as fit best, scaled to fit."""
    n = max(1, round((stop - start) / (sum(widths) / len(widths))))
    cycle = [widths[i % len(widths)] for i in range(n)]
    scale = (stop - start) / sum(cycle)
    lines = [start]
    for w in cycle:
        lines.append(lines[-1] + w * scale)
    lines[-1] = float(stop)
    return lines


def bisect(f, lo, hi, target, iterations=80):
    """Parameter t in [lo, hi] with f(t) == target, f increasing."""
    for _ in range(iterations):
        mid = (lo + hi) / 2.0
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def fit_rounded(make_polygon, lo, hi, target_m2):
    """Parameter whose mm-rounded polygon has the area closest to target (continuous fit, then a 0.1 mm scan)."""
    t0 = bisect(lambda t: make_polygon(t, False).GetArea(), lo, hi, target_m2)
    best = None
    for k in range(-40, 41):
        t = t0 + k * 1e-4
        err = abs(make_polygon(t, True).GetArea() - target_m2)
        if best is None or err < best[0]:
            best = (err, t)
    return best[1]


# ---------------------------------------------------------------------------------------------------------
# Sources


def read_csv(name):
    with open(os.path.join(SOURCES, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_geojson(name):
    with open(os.path.join(SOURCES, name), encoding="utf-8") as f:
        return json.load(f)


def draft_feature(draft, fid):
    for feature in draft["features"]:
        if feature["properties"]["id"] == fid:
            return feature
    raise KeyError("%s not in %s" % (fid, SRC_DRAFT))


def draft_line(draft, fid):
    return [to_work(lon, lat) for lon, lat in draft_feature(draft, fid)["geometry"]["coordinates"]]


# ---------------------------------------------------------------------------------------------------------
# The park frame: a shear that follows Beiqing Road, so that blocks are parallelograms with N-S sides and
# E-W sides parallel to the road. Shear preserves area, so areas can be reasoned about in (x, v).


class Frame:
    """Maps (x, v) to EPSG:4548: x = easting, v = metres north of a base line y = y0 + slope * (x - x0)."""

    def __init__(self, x0, y0, slope):
        self.x0, self.y0, self.slope = x0, y0, slope

    def base_y(self, x):
        return self.y0 + self.slope * (x - self.x0)

    def pt(self, x, v, rounded=True):
        p = (x, self.base_y(x) + v)
        return (mm(p[0]), mm(p[1])) if rounded else p

    def cell(self, x_a, x_b, v_a, v_b):
        return polygon([self.pt(x_a, v_a, False), self.pt(x_b, v_a, False),
                        self.pt(x_b, v_b, False), self.pt(x_a, v_b, False)])


class OffsetLine:
    """The line x = xa - offset + k (y - ya) through two points of an axis, shifted west by offset metres."""

    def __init__(self, a, b, offset_m):
        self.k = (b[0] - a[0]) / (b[1] - a[1])
        self.c = a[0] - offset_m - self.k * a[1]

    def at(self, frame, v, rounded=True):
        """Point of this line at height v of the frame."""
        k, s = self.k, frame.slope
        x = (self.c + k * (frame.y0 - s * frame.x0 + v)) / (1.0 - k * s)
        return frame.pt(x, v, rounded)


def grid_parcels(region, frame, xs, vs, min_m2):
    """Cut a convex region by the grid (xs x vs in the frame) and merge pieces below min_m2 into a neighbour.

    Returns a list of (geometry, column, row) in row-major order (south to north, west to east). Merging
    works on whole grid cells (cells share exact vertices), then clips once, so the pieces tile the region.
    """
    cells = {}
    for j in range(len(vs) - 1):
        for i in range(len(xs) - 1):
            cell = frame.cell(xs[i], xs[i + 1], vs[j], vs[j + 1])
            if not cell.Intersects(region):
                continue
            area = cell.Intersection(region).GetArea()
            if area > 1e-6:
                cells[(j, i)] = (cell, area)
    groups = {key: ([key], area) for key, (_, area) in cells.items()}
    owner = {key: key for key in cells}
    while True:
        small = sorted((area, key) for key, (_, area) in groups.items() if area < min_m2)
        merged = False
        for area, key in small:
            neighbours = set()
            for (j, i) in groups[key][0]:
                for nb in ((j - 1, i), (j + 1, i), (j, i - 1), (j, i + 1)):
                    if nb in owner and owner[nb] != key:
                        neighbours.add(owner[nb])
            if not neighbours:
                continue
            target = sorted(neighbours, key=lambda n: (-groups[n][1], n))[0]
            members = groups[target][0] + groups[key][0]
            groups[target] = (members, groups[target][1] + area)
            for m in groups[key][0]:
                owner[m] = target
            del groups[key]
            merged = True
            break
        if not merged:
            break
    out = []
    for key in sorted(groups, key=lambda k: min(groups[k][0])):
        members = sorted(groups[key][0])
        shape = cells[members[0]][0].Clone()
        for m in members[1:]:
            shape = shape.Union(cells[m][0])
        piece = shape.Intersection(region)
        if ogr.GT_Flatten(piece.GetGeometryType()) != ogr.wkbPolygon:
            piece = polygons_only(piece)
            if piece.GetGeometryCount() != 1:
                raise RuntimeError("grid piece %s is not one polygon" % (key,))
            piece = piece.GetGeometryRef(0).Clone()
        j, i = min(members)
        out.append((piece, i, j))
    return out


# ---------------------------------------------------------------------------------------------------------
# Land-use classes (national guide 2023) and the simulation's classes

SIM_CLASSES = ["non-built / agricultural", "green / water", "residential", "R&D (health industry)",
               "industry (health manufacturing)", "commercial / services", "public services",
               "roads / utilities"]
# The same groups in Chinese (names of the groups, not of one of their codes).
SIM_CLASSES_ZH = ["非建设用地 / 农业用地", "绿地 / 水域", "居住用地", "科研用地（医药健康）", "工业用地（医药健康制造）",
                  "商业服务业用地", "公共管理与公共服务用地", "交通与公用设施用地"]

# code, name_zh, name_en, colour, health_industry, developable, sim_class
LANDUSE_CLASSES = [
    ("0101", "水田", "Paddy field", "#F5F8DC", 0, 1, 0),
    ("0102", "水浇地", "Irrigated farmland", "#F0F5C8", 0, 1, 0),
    ("0103", "旱地", "Dry farmland", "#FAF0B4", 0, 1, 0),
    ("0201", "果园", "Orchard", "#E6C878", 0, 1, 0),
    ("0301", "乔木林地", "Arbor forest", "#68B167", 0, 0, 1),
    ("0701", "城镇住宅用地", "Urban residential", "#FFFF2D", 0, 1, 2),
    ("0703", "农村宅基地", "Rural homestead", "#FFD37F", 0, 1, 0),
    ("0801", "机关团体用地", "Government and institutions", "#FF00FF", 0, 1, 6),
    ("0802", "科研用地", "Scientific research", "#E6005C", 1, 1, 3),
    ("0804", "教育用地", "Education", "#FF85C9", 0, 1, 6),
    ("0806", "医疗卫生用地", "Medical and health care", "#FF7F7E", 0, 1, 6),
    ("0901", "商业用地", "Commercial", "#FF0000", 0, 1, 5),
    ("0902", "商务金融用地", "Business and finance", "#C10000", 0, 1, 5),
    ("100101", "一类工业用地", "Class-1 industrial (low impact)", "#C89B6E", 1, 1, 4),
    ("1101", "物流仓储用地", "Logistics and warehousing", "#8761D3", 0, 1, 4),
    ("1207", "城镇道路用地", "Urban road", "#A0A0A0", 0, 0, 7),
    ("1208", "交通场站用地", "Transport stations and depots", "#808080", 0, 0, 7),
    ("13", "公用设施用地", "Public utilities", "#00637F", 0, 0, 7),
    ("1401", "公园绿地", "Park green space", "#00FF00", 0, 0, 1),
    ("1402", "防护绿地", "Protective green belt", "#15B000", 0, 0, 1),
    ("1701", "河流水面", "River water surface", "#4DA6FF", 0, 0, 1),
    ("2301", "空闲地", "Idle (cleared) land", "#E6E6C8", 0, 1, 0),
]
LANDUSE_CODES = {row[0] for row in LANDUSE_CLASSES}

ZONES = [
    ("core", "生命科学园一二期建成核心区", "Built core (phases 1-2)",
     "existing R&D, headquarters and production of the life-science cluster"),
    ("frontier_tech", "前沿技术产业区", "Frontier Technology",
     "cell and gene therapy, digital medicine, synthetic biology"),
    ("medical_device", "医疗器械产业区", "Medical Device",
     "brain-computer interfaces, implants, high-end diagnostics"),
    ("beauty_health", "小汤山美丽健康产业区", "Beauty & Health",
     "beauty and health industries at the Xiaotangshan site"),
]
ZONE_IDS = [z[0] for z in ZONES]


def far_for(landuse, key):
    """Floor-area ratio: built FAR for built parcels, planned FAR (assumption) for the others."""
    choices = {
        "0802": [1.6, 1.8, 2.0, 2.2, 2.5], "100101": [1.2, 1.4, 1.6, 1.8, 2.0],
        "0901": [2.5, 3.0, 3.5], "0902": [2.5, 3.0, 3.5], "0701": [2.2, 2.5, 2.8],
        "0806": [1.2, 1.5, 1.8], "13": [0.6], "1208": [0.3],
    }
    if landuse in choices:
        options = choices[landuse]
        return options[int(unit_hash("far:" + key) * len(options))]
    return 0.0


# ---------------------------------------------------------------------------------------------------------
# Building the park


class Park:
    pass


def build_park(draft, termini, xts):
    park = Park()
    beiqing = draft_line(draft, "BEIQING_RD")
    g6 = draft_line(draft, "G6")
    b0, b1 = beiqing[1], beiqing[2]             # G7 interchange and Xinzhuang bridge (G6)
    frame = Frame(b0[0], b0[1], (b1[1] - b0[1]) / (b1[0] - b0[0]))
    park.frame = frame
    ph12_draft = draft_feature(draft, "LSP_PH12")["geometry"]["coordinates"][0]
    x_w = round(to_work(*ph12_draft[0])[0])    # the draft's west edge, inside the schematic G7
    station = next(r for r in read_csv("subway_stations_north_beijing_osm_wgs84.csv")
                   if r["name_zh"] == "生命科学园")
    x_e = round(to_work(float(station["lon"]), float(station["lat"]))[0])  # east edge at the station
    v0 = BEIQING_SETBACK_M
    edge = OffsetLine(g6[1], g6[2], G6_EDGE_M)                      # phase-3 east edge
    belt = OffsetLine(g6[1], g6[2], G6_EDGE_M + G6_GREEN_BELT_M)   # inner edge of the green belt
    park.x_w, park.x_e, park.v0 = x_w, x_e, v0

    # Phases 1-2: parallelogram of 2.5 km2.
    def p12(h, rounded):
        return polygon([frame.pt(x_w, v0, rounded), frame.pt(x_e, v0, rounded),
                        frame.pt(x_e, v0 + h, rounded), frame.pt(x_w, v0 + h, rounded)])
    h12 = fit_rounded(p12, 500.0, 2000.0, PHASE12_M2)
    v1 = v0 + h12
    park.v1 = v1
    ph12 = p12(h12, True)

    # Phase 3, station strip east of phases 1-2 up to the G6 edge (includes the green belt).
    ph3e_dev = polygon([frame.pt(x_e, v0), belt.at(frame, v0), belt.at(frame, v1), frame.pt(x_e, v1)])
    ph3e_belt = polygon([belt.at(frame, v0), edge.at(frame, v0), edge.at(frame, v1), belt.at(frame, v1)])
    ph3e = polygon([frame.pt(x_e, v0), belt.at(frame, v0), edge.at(frame, v0), edge.at(frame, v1),
                    belt.at(frame, v1), frame.pt(x_e, v1)])

    # Phase 3, parcel A: north-up rectangle of 37.93 ha in central Huilongguan.
    cx, cy = (mm(c) for c in to_work(*PARCEL_A_CENTRE))
    a_frame = Frame(cx, cy, 0.0)
    ax0, ax1 = cx - PARCEL_A_WIDTH_M / 2, cx + PARCEL_A_WIDTH_M / 2

    def pa(h, rounded):
        return polygon([a_frame.pt(ax0, -h / 2, rounded), a_frame.pt(ax1, -h / 2, rounded),
                        a_frame.pt(ax1, h / 2, rounded), a_frame.pt(ax0, h / 2, rounded)])
    ha = fit_rounded(pa, 100.0, 1000.0, PARCEL_A_M2)
    ph3a = pa(ha, True)

    # Phase 3, main northern expansion towards the Nansha River: the rest of the 4.7 km2.
    def p3n_points(vt, rounded):
        return [frame.pt(x_w, v1, rounded), frame.pt(x_e, v1, rounded), belt.at(frame, v1, rounded),
                edge.at(frame, v1, rounded), edge.at(frame, vt - RIVER_STRIP_M, rounded),
                edge.at(frame, vt, rounded), frame.pt(x_w, vt, rounded),
                frame.pt(x_w, vt - RIVER_STRIP_M, rounded)]
    target_3n = PHASE3_M2 - ph3e.GetArea() - ph3a.GetArea()
    vt = fit_rounded(lambda t, r: polygon(p3n_points(t, r)), v1 + 500.0, v1 + 4000.0, target_3n)
    park.vt = vt
    ph3n = polygon(p3n_points(vt, True))
    vr = vt - RIVER_STRIP_M
    ph3n_dev = polygon([frame.pt(x_w, v1), frame.pt(x_e, v1), belt.at(frame, v1), belt.at(frame, vr),
                        frame.pt(x_w, vr)])
    ph3n_belt = polygon([belt.at(frame, v1), edge.at(frame, v1), edge.at(frame, vr), belt.at(frame, vr)])
    ph3n_river = polygon([frame.pt(x_w, vr), belt.at(frame, vr), edge.at(frame, vr), edge.at(frame, vt),
                          frame.pt(x_w, vt)])

    # The schematic local road grid (block edges). P12 columns are stretched to end exactly at x_e.
    xs = stretched(x_w, COLUMN_WIDTHS_M, x_e)
    n12 = len(xs) - 1
    x_far = max(edge.at(frame, v0, False)[0], edge.at(frame, vt, False)[0]) + 1.0
    k = n12 % len(COLUMN_WIDTHS_M)                  # east of x_e the width cycle continues where P12 stopped
    xs = xs + cumulative(x_e, COLUMN_WIDTHS_M[k:] + COLUMN_WIDTHS_M[:k], x_far)[1:]
    vs12 = cumulative(v0, P12_ROW_HEIGHTS_M, v1)
    vs3 = cumulative(v1, P3_ROW_HEIGHTS_M, vr)
    park.xs, park.vs12, park.vs3 = xs, vs12, vs3
    # Zone split in the northern expansion: the column line nearest the middle of its developable part.
    mid = (x_w + belt.at(frame, (v1 + vr) / 2, False)[0]) / 2
    park.x_split = min(xs, key=lambda x: (abs(x - mid), x))

    wide = [x_w - 1.0, x_far]
    a_xs = cumulative(ax0, PARCEL_A_COLUMNS_M, ax1)
    a_vs = cumulative(-ha / 2, PARCEL_A_ROWS_M, ha / 2)
    park.a_frame, park.a_xs, park.a_vs = a_frame, a_xs, a_vs

    # sub-area id, phase, polygon, [(region, kind, frame, xs, vs, min_m2)]
    park.subareas = [
        ("1-2", "1-2", ph12, [(ph12, "core", frame, xs, vs12, MIN_PARCEL_M2)]),
        ("3N", "3", ph3n, [(ph3n_dev, "dev", frame, xs, vs3, MIN_PARCEL_M2),
                           (ph3n_belt, "belt", frame, wide, vs3, MIN_STRIP_PARCEL_M2),
                           (ph3n_river, "river", frame, xs, [vr, vt], MIN_STRIP_PARCEL_M2)]),
        ("3E", "3", ph3e, [(ph3e_dev, "dev", frame, xs, vs12, MIN_PARCEL_M2),
                           (ph3e_belt, "belt", frame, wide, vs12, MIN_STRIP_PARCEL_M2)]),
        ("3A", "3", ph3a, [(ph3a, "dev", a_frame, a_xs, a_vs, MIN_PARCEL_M2)]),
    ]
    # Beauty & Health (Xiaotangshan): a zone in no phase, away from the park. A north-up 2 km x 1.5 km rectangle
    # centred on the town point, cut into blocks like the phases (grid stretched to end at its edges).
    tx, ty = (mm(c) for c in to_work(*xts))
    half_w, half_h = BEAUTY_HEALTH_WIDTH_M / 2.0, BEAUTY_HEALTH_M2 / BEAUTY_HEALTH_WIDTH_M / 2.0
    bh_frame = Frame(tx, ty, 0.0)
    bh = polygon([bh_frame.pt(tx - half_w, -half_h), bh_frame.pt(tx + half_w, -half_h),
                  bh_frame.pt(tx + half_w, half_h), bh_frame.pt(tx - half_w, half_h)])
    park.bh_frame = bh_frame
    park.bh_xs = stretched(tx - half_w, COLUMN_WIDTHS_M, tx + half_w)
    park.bh_vs = stretched(-half_h, P3_ROW_HEIGHTS_M, half_h)
    park.bh = bh
    # Sites in no phase, laid out like park.subareas: (site id, phase None, polygon, regions).
    park.sites = [("BH", None, bh, [(bh, "site", bh_frame, park.bh_xs, park.bh_vs, MIN_PARCEL_M2)])]
    park.edge = edge
    park.termini = [(r["name_zh"], r["osm_way"], to_work(float(r["lon"]), float(r["lat"]))) for r in termini]
    return park


PARCEL_PREFIX = {"1-2": "P12", "3N": "P3", "3E": "P3E", "3A": "P3A", "BH": "PBH"}
SRC_PARCEL = ("schematic blocks of build_geodata.py: the phase polygons cut by a schematic road grid; "
              "attributes assigned by rule (see PROVENANCE.md)")
SRC_SITE_PARCEL = ("SCHEMATIC: blocks of build_geodata.py cutting the schematic Beauty & Health rectangle (Xiaotangshan; "
                   "in no phase: phase NULL) by a regular grid; ASSUMPTION: all planned, current use farmland / rural "
                   "homesteads / orchards by rule, planned_landuse 40 % R&D (0802) / 30 % production (100101) / 30 % "
                   "commercial (0901) as in scenarios/baseline.toml, far = planned FAR of that use by rule - no "
                   "published plan, parcel or land-use map of the zone (see PROVENANCE.md)")
# Current use of land earmarked but not yet cleared: farmland, rural homesteads, orchards (shares by judgement).
PLANNED_CURRENT_USES = [("0103", 60), ("0703", 25), ("0201", 15)]


def planned_use(zone):
    """The use a vacant or planned phase-3 parcel's far is planned for (ASSUMPTION): the zone's main use, R&D in
    frontier_tech, manufacturing in medical_device. (Beauty & Health: see assign_by_area_share.)"""
    return "0802" if zone == "frontier_tech" else "100101"


def assign_by_area_share(parcels, shares):
    """Planned uses of parcels by area share: the parcels in hash order (SHA-256 of the id) each take the use in whose
    cumulative share the middle of their area falls, so each use's area share is met to within about one parcel."""
    ordered = sorted(parcels, key=lambda p: (unit_hash("planned:" + p["parcel_id"]), p["parcel_id"]))
    total_area = sum(p["area_m2"] for p in ordered)
    total_weight = float(sum(w for _, w in shares))
    done = 0.0
    for p in ordered:
        middle = (done + p["area_m2"] / 2.0) / total_area
        done += p["area_m2"]
        acc = 0.0
        for use, w in shares:
            acc += w / total_weight
            if middle < acc:
                break
        p["planned_landuse"] = use
        p["far"] = far_for(use, p["parcel_id"])


def parcel_attributes(pid, subarea, kind, row, zone):
    """(landuse, status) for one parcel, by documented rule; u = SHA-256 of the parcel id."""
    u = unit_hash("status:" + pid)
    if kind == "belt":
        return "1402", "built"
    if kind == "river":
        return "1401", "built"
    if kind == "site":
        return pick("landuse:" + pid, PLANNED_CURRENT_USES), "planned"
    if kind == "core":
        status = "under construction" if u < 0.08 else "built"
        landuse = pick("landuse:" + pid, [("0802", 50), ("100101", 20), ("0902", 6), ("0901", 4),
                                          ("0701", 7), ("0806", 4), ("1401", 6), ("13", 3)])
        if status == "under construction" and landuse in ("1401", "13"):
            landuse = "0802"
        return landuse, status
    if subarea == "3A":
        p_uc, p_vacant = 0.5, 0.25
    elif subarea == "3E":
        p_uc, p_vacant = 0.3, 0.4
    else:
        p_uc = 0.55 if row <= 1 else (0.12 if row <= 3 else 0.0)
        p_vacant = 0.3 if row <= 3 else 0.25
    if u < p_uc:
        if subarea == "3E":
            uses = [("0902", 50), ("0802", 50)]
        elif zone == "medical_device":
            uses = [("100101", 55), ("0802", 45)]
        else:
            uses = [("0802", 70), ("100101", 30)]
        return pick("landuse:" + pid, uses), "under construction"
    if u < p_uc + p_vacant:
        return "2301", "vacant"
    return pick("landuse:" + pid, PLANNED_CURRENT_USES), "planned"


def build_parcels(park):
    parcels = []
    for subarea, phase, _, regions in park.subareas + park.sites:
        prefix = PARCEL_PREFIX[subarea]
        n = 0
        for region, kind, frame, xs, vs, min_m2 in regions:
            for piece, col, row in grid_parcels(region, frame, xs, vs, min_m2):
                n += 1
                pid = "%s-%03d" % (prefix, n)
                geom = final_polygon(piece, pid)
                if geom.GetGeometryCount() != 1:
                    raise RuntimeError("%s is not one polygon after rounding" % pid)
                geom = geom.GetGeometryRef(0).Clone()
                centroid = piece.Centroid()
                if kind == "site":
                    zone = "beauty_health"
                elif subarea == "1-2":
                    zone = "core"
                elif subarea == "3A":
                    zone = "frontier_tech"
                elif subarea == "3E" or kind == "belt":
                    zone = "medical_device"
                else:
                    zone = "frontier_tech" if centroid.GetX() < park.x_split else "medical_device"
                landuse, status = parcel_attributes(pid, subarea, kind, row, zone)
                name_zh = None
                source = SRC_SITE_PARCEL if kind == "site" else SRC_PARCEL
                for t_name, t_way, (tx, ty) in park.termini:
                    if piece.Contains(point(tx, ty)):
                        landuse, status, name_zh = "1208", "built", t_name
                        source += "; name and use from OSM way %s (bus terminus area; centroid inside)" % t_way
                # land still to be developed: the planned FAR of its planned use; else the FAR of its use
                # (Beauty & Health: both set below, by area share)
                planned = planned_use(zone) if status in ("vacant", "planned") else None
                far = far_for(planned or landuse, pid)
                if subarea == "3A" and kind == "dev":
                    far = round(468100.0 / PARCEL_A_M2, 2)   # published floor area of parcel A / its area
                    source += "; far from the published floor area of parcel A (468,100 m2 / 37.93 ha)"
                parcels.append({
                    "geom": geom, "kind": kind, "parcel_id": pid, "phase": phase,
                    "subarea": subarea if phase else None, "zone": zone, "landuse": landuse,
                    "planned_landuse": planned, "status": status, "far": far, "name_zh": name_zh,
                    "data_status": "schematic", "accuracy_m": 1500 if subarea in ("3A", "BH") else 700,
                    "source": source, "licence": LICENCE_ODBL_WIKI if kind == "site" else LICENCE_ODBL,
                })
    for p, geom in zip(parcels, node_polygons([p["geom"] for p in parcels])):
        if not geom.IsValid():
            raise RuntimeError("%s is invalid after noding" % p["parcel_id"])
        area = geom.GetArea()
        p.update({"geom": geom, "area_m2": round(area, 3), "area_mu": round(area / M2_PER_MU, 4)})
    assign_by_area_share([p for p in parcels if p["kind"] == "site"], BEAUTY_HEALTH_PLANNED_USES)
    # The phase sub-areas and zones are the unions of their blocks, so that blocks tile them exactly.
    park.subarea_geoms = {sa: union_all([p["geom"] for p in parcels if p["subarea"] == sa], sa)
                          for sa, _, _, _ in park.subareas}
    park.zone_geoms = {z: union_all([p["geom"] for p in parcels if p["zone"] == z], z) for z in ZONE_IDS}
    park.belt_geom = union_all([p["geom"] for p in parcels if p["kind"] == "belt"], "green belt")
    return parcels


# ---------------------------------------------------------------------------------------------------------
# Output


class Writer:
    def __init__(self, path):
        driver = ogr.GetDriverByName("GPKG")
        self.ds = driver.CreateDataSource(path)

    def layer(self, name, geom_type, fields, features, description):
        options = ["DESCRIPTION=" + description, "FID=fid"]
        if geom_type == ogr.wkbNone:
            lyr = self.ds.CreateLayer(name, None, ogr.wkbNone, options)
        else:
            lyr = self.ds.CreateLayer(name, SRS_WORK, geom_type, options + ["GEOMETRY_NAME=geom"])
        for fname, ftype in fields:
            lyr.CreateField(ogr.FieldDefn(fname, ftype))
        defn = lyr.GetLayerDefn()
        lyr.StartTransaction()
        for values in features:
            feature = ogr.Feature(defn)
            for fname, _ in fields:
                value = values.get(fname)
                if value is not None:
                    feature.SetField(fname, value)
            if geom_type != ogr.wkbNone:
                geom = values["geom"]
                if geom_type == ogr.wkbMultiPolygon:
                    geom = ogr.ForceToMultiPolygon(geom)
                elif geom_type == ogr.wkbMultiLineString:
                    geom = ogr.ForceToMultiLineString(geom)
                feature.SetGeometry(geom)
            if lyr.CreateFeature(feature) != 0:
                raise RuntimeError("cannot write a feature to layer %s" % name)
        lyr.CommitTransaction()

    def styles(self, styles):
        """The QGIS `layer_styles` table, created as QGIS 3.22 itself creates it in a GeoPackage (an OGR attribute
        table with FID `id`, registered in gpkg_contents as 'attributes'), one default style (useAsDefault = 1) per
        styled layer. QGIS selects the row by f_table_schema = '' AND f_table_name AND f_geometry_column."""
        lyr = self.ds.CreateLayer("layer_styles", None, ogr.wkbNone, ["FID=id"])
        for fname, ftype, width in (("f_table_catalog", S, 256), ("f_table_schema", S, 256),
                                    ("f_table_name", S, 256), ("f_geometry_column", S, 256), ("styleName", S, 30),
                                    ("styleQML", S, 0), ("styleSLD", S, 0), ("useAsDefault", I, 0),
                                    ("description", S, 0), ("owner", S, 30), ("ui", S, 30),
                                    ("update_time", ogr.OFTDateTime, 0)):
            defn = ogr.FieldDefn(fname, ftype)
            defn.SetWidth(width)
            if fname == "useAsDefault":
                defn.SetSubType(ogr.OFSTBoolean)
            if fname == "update_time":
                defn.SetDefault("CURRENT_TIMESTAMP")
            lyr.CreateField(defn)
        defn = lyr.GetLayerDefn()
        lyr.StartTransaction()
        for style in styles:
            styled = self.ds.GetLayerByName(style.layer)
            if styled is None or styled.GetGeomType() == ogr.wkbNone:
                raise RuntimeError("style %s: no spatial layer %s to style" % (style.name, style.layer))
            feature = ogr.Feature(defn)
            feature.SetField("f_table_catalog", "")
            feature.SetField("f_table_schema", "")
            feature.SetField("f_table_name", style.layer)
            feature.SetField("f_geometry_column", styled.GetGeometryColumn())
            feature.SetField("styleName", style.name)
            feature.SetField("styleQML", style.qml)
            feature.SetField("styleSLD", "")
            feature.SetField("useAsDefault", 1)
            feature.SetField("description", style.description)
            feature.SetField("owner", "")
            feature.SetField("update_time", *STYLE_UPDATE_TIME)
            if lyr.CreateFeature(feature) != 0:
                raise RuntimeError("cannot write the style of layer %s" % style.layer)
        lyr.CommitTransaction()

    def close(self):
        self.ds.FlushCache()
        self.ds = None


S, I, R = ogr.OFTString, ogr.OFTInteger, ogr.OFTReal
PROV_FIELDS = [("status", S), ("accuracy_m", R), ("source", S), ("licence", S)]


def prov(status, accuracy_m, source, licence=LICENCE_ODBL):
    return {"status": status, "accuracy_m": float(accuracy_m), "source": source, "licence": licence}


PHASE3_NOTE = ("this dataset follows the 4.7 km2 plan figure for phase 3 - an official list gives ~3.68 km2 in "
               "nine parcels A-H plus resettlement housing")


def subarea_features(park):
    names = {
        "1-2": ("中关村生命科学园一二期(示意范围)", "ZGC Life Science Park phases 1-2 (schematic extent)", 1,
                "parallelogram north of the schematic Beiqing Rd between the schematic G7 and the Life Science "
                "Park station (OSM); area = published 2.5 km2 (the park opened with 254 ha in 2001)", 700),
        "3N": ("生命科学园三期北部拓展区(示意)", "Phase 3 northern expansion (schematic)", 0,
               "north of phases 1-2 towards the Nansha River, west of the schematic G6; area = 4.7 km2 plan "
               "figure minus the other phase-3 sub-areas", 1500),
        "3E": ("生命科学园三期站前区(示意)", "Phase 3 station strip east of phases 1-2 (schematic)", 0,
               "between phases 1-2 (Life Science Park station) and the schematic G6", 1000),
        "3A": ("生命科学园三期A地块(示意位置)", "Phase 3 parcel A, central Huilongguan (schematic position)", 0,
               "parcel A = 37.93 ha (Beijing Youth Daily 2023-03-13: N 龙城北路, S 二拨子横四路, W 京包铁路, "
               "E 龙城花园); placed in central Huilongguan by judgement", 1500),
    }
    out = []
    for subarea, phase, _, _ in park.subareas:
        geom = park.subarea_geoms[subarea]
        name_zh, name_en, built, basis, acc = names[subarea]
        area = geom.GetArea()
        values = {"geom": geom, "phase": phase, "subarea": subarea, "name_zh": name_zh, "name_en": name_en,
                  "area_m2": round(area, 3), "area_km2": round(area / 1e6, 6),
                  "area_mu": round(area / M2_PER_MU, 4), "built": built,
                  "note": SCHEMATIC_NOTE + ("" if phase == "1-2" else "; " + PHASE3_NOTE)}
        values.update(prov("schematic", acc, "schematic construction in build_geodata.py on " + SRC_DRAFT +
                           " (G7, G6, Beiqing Rd); " + basis))
        out.append(values)
    return out


def phases_features(park):
    """One feature per phase (the union of its sub-areas), as the plan loader and accounting expect."""
    phases = [
        ("1-2", "中关村生命科学园一二期(示意范围)", "ZGC Life Science Park phases 1-2 (schematic extent)", 1, 2.5, 700,
         "parallelogram north of the schematic Beiqing Rd between the schematic G7 and the Life Science Park "
         "station (OSM), sized to the published 2.5 km2 (= sub-area 1-2 of phase_subareas)"),
        ("3", "中关村生命科学园三期(示意)", "ZGC Life Science Park phase 3 expansion (schematic)", 0, 4.7, 1500,
         "union of the phase-3 sub-areas 3N (northern expansion), 3E (station strip) and 3A (parcel A) of the "
         "phase_subareas layer"),
    ]
    out = []
    for phase, name_zh, name_en, built, target_km2, acc, basis in phases:
        geom = union_all([park.subarea_geoms[sa] for sa, ph, _, _ in park.subareas if ph == phase], phase)
        area = geom.GetArea()
        values = {"geom": geom, "phase": phase, "name_zh": name_zh, "name_en": name_en,
                  "area_m2": round(area, 3), "area_km2": round(area / 1e6, 6), "area_mu": round(area / M2_PER_MU, 4),
                  "built": built, "target_km2": target_km2,
                  "subareas": ",".join(sa for sa, ph, _, _ in park.subareas if ph == phase),
                  "note": SCHEMATIC_NOTE + ("" if phase == "1-2" else "; " + PHASE3_NOTE)}
        values.update(prov("schematic", acc, "schematic construction in build_geodata.py on " + SRC_DRAFT +
                           "; " + basis))
        out.append(values)
    return out


def zones_features(park):
    geoms = park.zone_geoms
    sources = {
        "core": ("schematic", 700, "union of the phase 1-2 parcels (= phases 1-2)", LICENCE_ODBL),
        "frontier_tech": ("schematic", 1500, "union of its parcels: western part of the phase-3 northern "
                          "expansion + parcel A; split along a grid line by judgement (no published zone map)", LICENCE_ODBL),
        "medical_device": ("schematic", 1500, "union of its parcels: eastern part of the phase-3 northern "
                           "expansion + station strip + G6 green belt; split by judgement (no published zone map)", LICENCE_ODBL),
        "beauty_health": ("schematic", 1500, "ASSUMPTION: 3 km2 (no published area found; size by judgement); a 2 km x "
                          "1.5 km rectangle centred on the Xiaotangshan town point 116.39361E 40.17583N "
                          "(en.wikipedia 'Xiaotangshan, Beijing'), = the union of its schematic parcels (in no "
                          "phase); the Xiaotangshan beauty park's own site was not found", LICENCE_ODBL_WIKI),
    }
    out = []
    for zone_id, name_zh, name_en, focus in ZONES:
        status, acc, basis, licence = sources[zone_id]
        area = geoms[zone_id].GetArea()
        values = {"geom": geoms[zone_id], "zone_id": zone_id, "name_zh": name_zh, "name_en": name_en,
                  "focus": focus, "name_basis": "descriptive (no official name found in the sources)",
                  "in_phases": 0 if zone_id == "beauty_health" else 1,
                  "area_m2": round(area, 3), "area_mu": round(area / M2_PER_MU, 4)}
        values.update(prov(status, acc, basis, licence))
        out.append(values)
    return out


def changping_box(draft):
    """The Changping District bounding box of the draft in EPSG:4548, edges densified (not the boundary)."""
    ring = draft_feature(draft, "CHANGPING_BBOX")["geometry"]["coordinates"][0]
    pts = []
    for (lon_a, lat_a), (lon_b, lat_b) in zip(ring, ring[1:]):
        for k in range(20):
            t = k / 20.0
            pts.append(to_work(lon_a + t * (lon_b - lon_a), lat_a + t * (lat_b - lat_a)))
    return polygon(pts)


def corridor_features(draft, box):
    out = []
    axes = {}
    for fid, name_zh, name_en, acc in (("G6", "京藏高速", "G6 Beijing-Tibet (Jingzang) Expressway", 1000),
                                       ("G7", "京新高速", "G7 Beijing-Xinjiang (Jingxin) Expressway", 1500)):
        feature = draft_feature(draft, fid)
        line = linestring(draft_line(draft, fid))
        axes[fid] = line
        clipped = round_geometry(line.Intersection(box))
        values = {"geom": clipped, "name": fid, "name_zh": name_zh, "name_en": name_en,
                  "length_m": round(clipped.Length(), 1),
                  "vertex_basis": " | ".join(feature["properties"]["vertex_basis"])}
        values.update(prov("schematic", acc, SRC_DRAFT + " feature " + fid + " (polyline through anchors with a "
                           "recorded basis), clipped to the Changping bounding box",
                           LICENCE_ODBL_WIKI if fid == "G6" else LICENCE_ODBL))
        out.append(values)
    return out, axes


def corridor_band_features(axes, box):
    both = axes["G6"].Union(axes["G7"])
    tiers = [(1, 0.0, 1000.0), (2, 1000.0, 3000.0), (3, 3000.0, 5000.0)]
    out = []
    for tier, inner, outer in tiers:
        band = both.Buffer(outer, 16)
        if inner > 0:
            band = band.Difference(both.Buffer(inner, 16))
        geom = final_polygon(band.Intersection(box), "corridor_band tier %d" % tier)
        values = {"geom": geom, "tier": tier, "name": "G6/G7 corridor tier %d" % tier,
                  "inner_m": inner, "outer_m": outer, "area_km2": round(geom.GetArea() / 1e6, 6)}
        values.update(prov("schematic", 1500, "distance band around the schematic G6 and G7 axes (corridor "
                           "layer), clipped to the Changping bounding box; tier widths by judgement"))
        out.append(values)
    return out


def walk(line_pts, start_index, distance_m, side_offset_m):
    """Point distance_m along the polyline from vertex start_index, shifted side_offset_m to the right."""
    remaining = distance_m
    for a, b in zip(line_pts[start_index:], line_pts[start_index + 1:]):
        seg = math.hypot(b[0] - a[0], b[1] - a[1])
        if remaining <= seg:
            t = remaining / seg
            ux, uy = (b[0] - a[0]) / seg, (b[1] - a[1]) / seg
            return (a[0] + t * (b[0] - a[0]) + side_offset_m * uy, a[1] + t * (b[1] - a[1]) - side_offset_m * ux)
        remaining -= seg
    raise ValueError("polyline shorter than %.0f m" % distance_m)


def bases_features(draft, subway, rail):
    g6 = draft_line(draft, "G6")
    g7 = draft_line(draft, "G7")
    zhuxinzhuang = next(r for r in subway if r["name_zh"] == "朱辛庄")
    changping = next(r for r in rail if r["name_zh"] == "昌平")
    src_walk = ("schematic site: %s m along the schematic %s from its Beiqing Rd crossing, %s m to its %s; "
                "tier by judgement")
    # base_id, tier, axis, name_zh, name_en, position, accuracy, source
    assumed = (SCHEMATIC_BASE_KM2, "ASSUMPTION: %g ha, no published area of this schematic base" %
               (SCHEMATIC_BASE_KM2 * 100))
    sites = [
        ("B-G6-D1", "demonstration", "G6", "朱辛庄街区(CP01-0701/0801)", "Zhuxinzhuang blocks (east of G6)",
         to_work(float(zhuxinzhuang["lon"]), float(zhuxinzhuang["lat"])), 1000,
         "662.7 ha blocks east of G6 next to the park, north of Beiqing Rd (Beijing Youth Daily 2022-12-21); "
         "point = OSM Zhuxinzhuang station as a proxy; tier by judgement",
         (ZHUXINZHUANG_BLOCKS_KM2, "published: 662.7 ha, blocks CP01-0701/0801 (Beijing Youth Daily 2022-12-21)")),
        ("B-G7-D1", "demonstration", "G7", None, "G7 demonstration base (schematic)",
         walk(g7, 3, 3000.0, 500.0), 2000, src_walk % (3000, "G7", 500, "east"), assumed),
        ("B-G6-A1", "acceleration", "G6", None, "G6 acceleration base (schematic)",
         walk(g6, 1, 7000.0, -500.0), 2000, src_walk % (7000, "G6", 500, "west"), assumed),
        ("B-G7-A1", "acceleration", "G7", None, "G7 acceleration base (schematic)",
         walk(g7, 3, 8000.0, 500.0), 2000, src_walk % (8000, "G7", 500, "east"), assumed),
        ("B-G6-T1", "transformation", "G6", None, "G6 transformation base (schematic)",
         walk(g6, 1, 13000.0, 600.0), 2000, src_walk % (13000, "G6", 600, "east"), assumed),
        ("B-G7-T1", "transformation", "G7", None, "G7 transformation base (schematic)",
         walk(g7, 3, 12000.0, 500.0), 2000, src_walk % (12000, "G7", 500, "east"), assumed),
        ("B-G6-T2", "transformation", "G6", "昌平国际医疗器械城(西区)", "Changping medical device city, west area",
         to_work(float(changping["lon"]), float(changping["lat"])), 1000,
         "88.6 ha at Machikou near Changping railway station (former steel works site); point = OSM Changping "
         "railway station as a proxy; tier by judgement",
         (MEDICAL_DEVICE_CITY_WEST_KM2, "published: 88.6 ha, west area of the Changping international medical "
          "device city at Machikou")),
    ]
    out = []
    for base_id, tier, axis, name_zh, name_en, (x, y), acc, source, (capacity_km2, capacity_basis) in sites:
        values = {"geom": point(mm(x), mm(y)), "base_id": base_id, "tier": tier, "axis": axis,
                  "name_zh": name_zh, "name_en": name_en,
                  "capacity_km2": capacity_km2, "capacity_basis": capacity_basis}   # for base_areas only
        values.update(prov("schematic", acc, source))
        out.append(values)
    return out


def base_areas_features(bases):
    """One polygon per base: a north-up square centred on its point (bases layer) with area = its capacity."""
    out = []
    for b in bases:
        x, y = b["geom"].GetX(), b["geom"].GetY()

        def square(half, rounded, x=x, y=y):
            f = Frame(x, y, 0.0)
            return polygon([f.pt(x - half, -half, rounded), f.pt(x + half, -half, rounded),
                            f.pt(x + half, half, rounded), f.pt(x - half, half, rounded)])
        target_m2 = b["capacity_km2"] * 1e6
        geom = square(fit_rounded(square, 1.0, 5000.0, target_m2), True)
        published = b["capacity_basis"].startswith("published")
        values = {"geom": geom, "base_id": b["base_id"], "tier": b["tier"], "axis": b["axis"],
                  "name_zh": b["name_zh"], "name_en": b["name_en"], "capacity_km2": b["capacity_km2"],
                  "capacity_basis": b["capacity_basis"], "area_km2": round(geom.GetArea() / 1e6, 6)}
        values.update(prov("schematic", 1500 if published else 2000,
                           "SCHEMATIC: a north-up square centred on the base's point (bases layer: " + b["source"] +
                           ") with area = capacity_km2; the site's real shape and extent are not published"))
        out.append(values)
    return out


def station_features(draft, subway, rail):
    interstation = {r["station"]: r["dist_from_previous_m"] for r in read_csv("changping_line_interstation_m.csv")}
    out = []
    src_subway = ("OpenStreetMap railway=station node of the stop_area relation, via BoyInTheSun/beijing-subway-gtfs "
                  "@279367a gtfs/stops.txt (Geofabrik extract 2026-04-21); geodata/sources/"
                  "subway_stations_north_beijing_osm_wgs84.csv")
    for r in subway:
        lon, lat = float(r["lon"]), float(r["lat"])
        line = r["line"].split(" (")[0]
        values = {"geom": point(*(mm(c) for c in to_work(lon, lat))), "station_id": "%s:%s" % (r["osm_relation"], line),
                  "name_zh": r["name_zh"], "name_en": None, "line": line, "osm_id": r["osm_relation"],
                  "opens": 0, "lon_wgs84": lon, "lat_wgs84": lat, "confidence": "high"}
        licence = LICENCE_ODBL
        if line == "Changping Line" and interstation.get(r["name_zh"]):
            values["interstation_m"] = float(interstation[r["name_zh"]])
            licence = LICENCE_ODBL_MIT
        values.update(prov("surveyed-osm", 30, src_subway, licence))
        out.append(values)
    s2 = {"黄土店", "南口", "八达岭", "延庆"}
    for r in rail:
        lon, lat = float(r["lon"]), float(r["lat"])
        line = "S2" if r["name_zh"] in s2 else "rail"
        values = {"geom": point(*(mm(c) for c in to_work(lon, lat))), "station_id": "%s:%s" % (r["osm_node"], line),
                  "name_zh": r["name_zh"], "name_en": r["name_en"], "line": line, "osm_id": r["osm_node"],
                  "opens": 0, "lon_wgs84": lon, "lat_wgs84": lat, "confidence": "high", "note": r["role"]}
        values.update(prov("surveyed-osm", 30, "OpenStreetMap node via BoyInTheSun/beijing-subway-gtfs @9ab01fa "
                           "data/osm/station.json; geodata/sources/rail_stations_osm_wgs84.csv"))
        out.append(values)
    # Planned Line 19 north extension (approved 2025): 7 new stations north of Mudanyuan, ~2029.
    sketch = draft_line(draft, "L19_NORTH_SKETCH")
    lengths = [0.0]
    for a, b in zip(sketch, sketch[1:]):
        lengths.append(lengths[-1] + math.hypot(b[0] - a[0], b[1] - a[1]))
    south_of_park = lengths[3]          # sketch vertex on G6 near Longcheng ("生命科学园南 straddles G6")
    chainages = [south_of_park * k / 6.0 for k in range(1, 6)] + [lengths[3], lengths[4]]
    names = [None] * 5 + ["生命科学园南", "生命谷"]
    for n, (chain, name_zh) in enumerate(zip(chainages, names), start=1):
        seg = max(i for i in range(len(lengths) - 1) if lengths[i] <= chain)
        seg = min(seg, len(sketch) - 2)
        a, b = sketch[seg], sketch[seg + 1]
        t = (chain - lengths[seg]) / (lengths[seg + 1] - lengths[seg])
        x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        values = {"geom": point(mm(x), mm(y)), "station_id": "L19N-%d" % n, "name_zh": name_zh,
                  "name_en": ("Line 19 north extension, planned station %d (name not published in the sources)" % n
                              if name_zh is None else "Line 19 north extension, planned station %d" % n),
                  "line": "Line 19", "osm_id": None, "opens": 2029, "confidence": "low",
                  "note": "京发改(审)〔2025〕109号: 牡丹园 -> 生命谷 ~17.1 km, 7 stations; opening ~2029 (news)"}
        values.update(prov("schematic", 2000, "position along the corridor sketch L19_NORTH_SKETCH of " + SRC_DRAFT +
                           (": evenly spaced" if name_zh is None else ": named in a public scheme")))
        out.append(values)
    return out


def block_grid_lines(prefix, frame, xs, vs, area):
    """(road_id, line, area to clip to) of a rectangular block grid: north-south lines, then east-west lines."""
    lines = []
    for i, x in enumerate(xs):
        lines.append(("%s-NS-%02d" % (prefix, i), linestring([frame.pt(x, vs[0] - 1.0, False),
                                                              frame.pt(x, vs[-1] + 1.0, False)]), area))
    for j, v in enumerate(vs):
        lines.append(("%s-EW-%02d" % (prefix, j), linestring([frame.pt(xs[0] - 1.0, v, False),
                                                              frame.pt(xs[-1] + 1.0, v, False)]), area))
    return lines


def roads_features(draft, park):
    out = []
    beiqing = linestring(draft_line(draft, "BEIQING_RD"))
    values = {"geom": round_geometry(beiqing), "road_id": "BEIQING", "name": "Beiqing Road", "name_zh": "北清路",
              "class": "urban_expressway"}
    values.update(prov("schematic", 1500, SRC_DRAFT + " feature BEIQING_RD (G7 and G6 interchanges, approximate "
                       "ends); upgraded to the 北清快速路 (opened per Beijing Daily 2026-01-14)"))
    out.append(values)
    frame = park.frame
    src = "schematic local road grid of build_geodata.py: the lines that cut the blocks (parcels)"
    north = union_all([park.subarea_geoms[sa] for sa in ("1-2", "3N", "3E")], "road grid area")
    lines = []
    for i, x in enumerate(park.xs):
        lines.append(("NS-%02d" % i, linestring([frame.pt(x, park.v0 - 1.0, False), frame.pt(x, park.vt + 1.0, False)]), north))
    for j, v in enumerate(sorted(set(park.vs12 + park.vs3 + [park.vt - RIVER_STRIP_M, park.vt]))):
        lines.append(("EW-%02d" % j, linestring([frame.pt(park.x_w - 1.0, v, False),
                                                  frame.pt(park.xs[-1], v, False)]), north))
    lines += block_grid_lines("A", park.a_frame, park.a_xs, park.a_vs, park.subareas[3][2])
    lines += block_grid_lines("BH", park.bh_frame, park.bh_xs, park.bh_vs, park.bh)
    for road_id, line, area in lines:
        clipped = line.Intersection(area)
        if clipped.IsEmpty() or clipped.Length() < 1.0:
            continue
        values = {"geom": round_geometry(ogr.ForceToMultiLineString(clipped)), "road_id": road_id,
                  "name": "local grid " + road_id, "name_zh": None, "class": "local"}
        values.update(prov("schematic", 700, src))
        out.append(values)
    return out


def ftz_feature(park):
    core = union_all([park.subarea_geoms[sa] for sa in ("1-2", "3N", "3E")], "ftz core")
    d = bisect(lambda r: core.Buffer(r, 16).GetArea(), 0.0, 2000.0, FTZ_M2)
    geom = final_polygon(core.Buffer(d, 16), "ftz")
    values = {"geom": geom, "name": "Free-trade area", "name_zh": "自贸区(生命科学园周边, 示意)",
              "name_en": "Free-trade area around the park (schematic)", "area_km2": round(geom.GetArea() / 1e6, 6),
              "buffer_m": round(d, 3)}
    values.update(prov("schematic", 2000, "no boundary published in the sources: buffer of phases 1-2 and the "
                       "contiguous phase-3 area sized to the published 10.26 km2"))
    return [values]


def constraints_features(park):
    frame = park.frame
    vt, vr = park.vt, park.vt - RIVER_STRIP_M
    x_east = park.edge.at(frame, vt, False)[0]
    river = frame.cell(park.x_w - 400.0, x_east + 400.0, vr, vt + 180.0)
    belt = park.belt_geom
    out = []
    for cid, kind, name_zh, name_en, geom, basis in (
            ("C-RIVER", "river_corridor", "南沙河滨河绿廊(示意)", "Nansha River green corridor (schematic)",
             river, "120 m strip along the phase-3 north edge plus the river beyond it; the Nansha River borders "
             "the area to the north (Beijing Youth Daily 2022-12-21: Zhuxinzhuang blocks '北侧毗邻南沙河')"),
            ("C-G6-BELT", "green_belt", "京藏高速防护绿带(示意)", "G6 protective green belt (schematic)",
             belt, "60 m belt inside the phase-3 east edge, 60-120 m west of the schematic G6 centreline")):
        values = {"geom": final_polygon(geom, cid), "constraint_id": cid, "kind": kind, "name": name_en,
                  "name_zh": name_zh, "name_en": name_en, "developable": 0}
        values.update(prov("schematic", 1500, basis + "; width by judgement"))
        out.append(values)
    return out


def landuse_features():
    out = []
    for code, name_zh, name_en, colour, health, developable, sim_class in LANDUSE_CLASSES:
        values = {"code": code, "name_zh": name_zh, "name_en": name_en, "level": 3 if len(code) == 6 else
                  (1 if len(code) == 2 else 2), "colour": colour, "health_industry": health,
                  "developable": developable, "sim_class": sim_class, "sim_class_name": SIM_CLASSES[sim_class],
                  "sim_class_name_zh": SIM_CLASSES_ZH[sim_class]}
        values.update(prov("derived", 0, "codes and names: 国土空间调查、规划、用途管制用地用海分类指南 (Ministry of "
                           "Natural Resources, 2023); colours: planning-practice hues, not checked against the "
                           "guide's appendix; flags and sim_class: parksim rules (PROVENANCE.md)"))
        values["accuracy_m"] = None
        out.append(values)
    return out


def targets_features():
    rows = [
        ("plan_total_km2", "规划总面积", "Planned total area", 7.2, "km2", "=", "plan", "project brief (DESIGN.md)"),
        ("phase12_km2", "一二期面积(已建)", "Phases 1-2 area (built)", 2.5, "km2", "=", "plan",
         "project brief; park opened with 254 ha (People's Daily English 2001-09-25)"),
        ("phase3_km2", "三期面积(规划)", "Phase 3 area (plan figure used by this dataset)", 4.7, "km2", "=", "plan",
         "project brief"),
        ("phase3_official_km2", "三期面积(官方地块清单)", "Phase 3 area in the official parcel list (NOT used for "
         "geometry)", 3.68, "km2", "~", "official",
         "lifesciencepark.com.cn/En/Join: nine parcels A-H + resettlement housing, ~368 ha"),
        ("phase3_official_parcels", "三期官方地块数", "Phase 3 parcels in the official list (A-H)", 9, "count", "=",
         "official", "lifesciencepark.com.cn/En/Join"),
        ("parcel_a_ha", "三期A地块面积", "Phase 3 parcel A area", 37.93, "ha", "=", "official",
         "Beijing Youth Daily 2023-03-13"),
        ("parcel_a_floor_m2", "三期A地块规划建筑面积", "Phase 3 parcel A planned floor area", 468100, "m2", "=",
         "official", "Beijing Youth Daily 2023-03-13"),
        ("health_industry_land_mu", "医药健康产业用地", "Pharma/health industry land (14th Five-Year Plan)", 3000,
         "mu", ">=", "plan", "project brief (DESIGN.md)"),
        ("ftz_km2", "自贸区面积(园区周边)", "Free-trade area around the park", 10.26, "km2", "=", "plan",
         "project brief (DESIGN.md)"),
        ("horizon_year", "规划期末", "Plan horizon year", 2035, "year", "=", "plan",
         "Future Science City plan 2017-2035"),
        ("line19_north_opens", "19号线北延开通(预计)", "Line 19 north extension opening (expected)", 2029, "year", "~",
         "fact", "news reports after 京发改(审)〔2025〕109号"),
        ("enterprises_2022", "入园企业数2022", "Enterprises in the park, 2022 (lower bound)", 600, "count", ">=",
         "fact", "project brief (DESIGN.md)"),
        ("enterprises_2023", "入园企业数2023", "Enterprises in the park, 2023 (lower bound)", 900, "count", ">=",
         "fact", "project brief (DESIGN.md)"),
        ("enterprises_2025", "入园企业数2025", "Enterprises in the park, 2025 (lower bound)", 1000, "count", ">=",
         "fact", "project brief (DESIGN.md)"),
        ("changping_health_revenue_2022_bn_yuan", "昌平医药健康产业收入2022", "Changping pharma/health revenue 2022",
         80, "bn yuan", "~", "fact", "project brief (DESIGN.md)"),
        ("changping_health_revenue_goal_bn_yuan", "昌平医药健康产业收入目标", "Changping pharma/health revenue goal",
         100, "bn yuan", "=", "plan", "project brief (DESIGN.md)"),
        ("zone_share_frontier_tech", "前沿技术区占三期可开发用地比例", "Frontier Technology share of phase-3 "
         "developable land", 0.5, "fraction", "~", "assumption", "assumption"),
        ("zone_share_medical_device", "医疗器械区占三期可开发用地比例", "Medical Device share of phase-3 developable "
         "land", 0.5, "fraction", "~", "assumption", "assumption"),
    ]
    out = []
    for target_id, label_zh, label_en, value, unit, comparison, kind, source in rows:
        values = {"target_id": target_id, "label_zh": label_zh, "label_en": label_en, "value": float(value),
                  "unit": unit, "comparison": comparison, "kind": kind}
        values.update(prov("derived", 0, source))
        values["accuracy_m"] = None
        out.append(values)
    return out


def about_features():
    rows = [
        ("title", "ZGC Life Science Park expansion - bundled planning dataset (parksim)"),
        ("crs", "EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger CM 117E); x = easting, y = northing; 1 mm vertices"),
        ("notice", "(c) OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright). This "
                   "dataset is a derived database under ODbL 1.0."),
        ("schematic", "The park geometry (phases, parcels, zones, corridor, bases, roads, ftz, constraints) is "
                      "SCHEMATIC: fictional shapes at the real location with the published areas. Only the "
                      "stations with status surveyed-osm are surveyed data."),
        ("phase3", "Phase 3 follows the 4.7 km2 plan figure; an official list gives ~3.68 km2 in nine parcels A-H."),
        ("build", "geodata/build_geodata.py from geodata/sources/; see geodata/PROVENANCE.md"),
    ]
    return [{"key": k, "value": v} for k, v in rows]


def build(out_path):
    gdal.SetConfigOption("OGR_CURRENT_DATE", FIXED_DATE)
    gdal.SetConfigOption("OGR_SQLITE_JOURNAL", "MEMORY")
    draft = read_geojson("schematic_draft_wgs84.geojson")
    anchors = read_geojson("anchors_wgs84.geojson")
    subway = read_csv("subway_stations_north_beijing_osm_wgs84.csv")
    rail = read_csv("rail_stations_osm_wgs84.csv")
    termini = read_csv("lsp_bus_termini_osm_wgs84.csv")
    xts = next(f for f in anchors["features"] if f["properties"]["id"] == "XIAOTANGSHAN_TOWN")
    xts = tuple(xts["geometry"]["coordinates"])

    park = build_park(draft, termini, xts)
    parcels = build_parcels(park)
    box = changping_box(draft)
    corridor, axes = corridor_features(draft, box)

    # Write next to the target and rename, so that a failed build never leaves a half-written dataset.
    tmp = out_path + ".tmp.gpkg"
    if os.path.exists(tmp):
        os.remove(tmp)
    try:
        write_layers(tmp, park, parcels, draft, subway, rail, corridor, axes, box)
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return parcels


def write_layers(path, park, parcels, draft, subway, rail, corridor, axes, box):
    w = Writer(path)
    w.layer("phases", ogr.wkbMultiPolygon,
            [("phase", S), ("name_zh", S), ("name_en", S), ("area_m2", R), ("area_km2", R), ("area_mu", R),
             ("built", I), ("target_km2", R), ("subareas", S), ("note", S)] + PROV_FIELDS,
            phases_features(park), "Park phases, one feature each: 1-2 (2.5 km2, built), 3 (4.7 km2); schematic")
    w.layer("phase_subareas", ogr.wkbMultiPolygon,
            [("phase", S), ("subarea", S), ("name_zh", S), ("name_en", S), ("area_m2", R), ("area_km2", R),
             ("area_mu", R), ("built", I), ("note", S)] + PROV_FIELDS,
            subarea_features(park), "Sub-areas of the phases (3N, 3E, 3A = parcel A); schematic")
    w.layer("parcels", ogr.wkbMultiPolygon,
            [("parcel_id", S), ("phase", S), ("subarea", S), ("zone", S), ("landuse", S), ("planned_landuse", S),
             ("status", S), ("area_m2", R), ("area_mu", R), ("far", R), ("name_zh", S), ("data_status", S), ("accuracy_m", R),
             ("source", S), ("licence", S)],
            parcels, "Blocks tiling the phases and the Beauty & Health zone (phase NULL); status = development "
            "status, data_status = data quality")
    w.layer("zones", ogr.wkbMultiPolygon,
            [("zone_id", S), ("name_zh", S), ("name_en", S), ("focus", S), ("name_basis", S), ("in_phases", I),
             ("area_m2", R), ("area_mu", R)] + PROV_FIELDS,
            zones_features(park), "Built core and the three new industry zones; schematic")
    w.layer("corridor", ogr.wkbMultiLineString,
            [("name", S), ("name_zh", S), ("name_en", S), ("length_m", R), ("vertex_basis", S)] + PROV_FIELDS,
            corridor, "G6 and G7 axes of the innovation corridor through Changping; schematic")
    w.layer("corridor_band", ogr.wkbMultiPolygon,
            [("tier", I), ("name", S), ("inner_m", R), ("outer_m", R), ("area_km2", R)] + PROV_FIELDS,
            corridor_band_features(axes, box), "Corridor distance tiers around G6/G7; schematic")
    bases = bases_features(draft, subway, rail)
    w.layer("bases", ogr.wkbPoint,
            [("base_id", S), ("tier", S), ("axis", S), ("name_zh", S), ("name_en", S)] + PROV_FIELDS,
            bases, "Demonstration/acceleration/transformation bases; schematic")
    w.layer("base_areas", ogr.wkbMultiPolygon,
            [("base_id", S), ("tier", S), ("axis", S), ("name_zh", S), ("name_en", S), ("capacity_km2", R),
             ("capacity_basis", S), ("area_km2", R)] + PROV_FIELDS,
            base_areas_features(bases), "Corridor bases as areas: a square per base, area = capacity; schematic")
    w.layer("stations", ogr.wkbPoint,
            [("station_id", S), ("name_zh", S), ("name_en", S), ("line", S), ("osm_id", S), ("opens", I),
             ("lon_wgs84", R), ("lat_wgs84", R), ("interstation_m", R), ("confidence", S), ("note", S)]
            + PROV_FIELDS,
            station_features(draft, subway, rail), "Metro/rail stations: OSM points (ODbL) and planned Line 19")
    w.layer("roads", ogr.wkbMultiLineString,
            [("road_id", S), ("name", S), ("name_zh", S), ("class", S)] + PROV_FIELDS,
            roads_features(draft, park), "Beiqing Road and the schematic local grid")
    w.layer("ftz", ogr.wkbMultiPolygon,
            [("name", S), ("name_zh", S), ("name_en", S), ("area_km2", R), ("buffer_m", R)] + PROV_FIELDS,
            ftz_feature(park), "Free-trade area around the park, 10.26 km2; schematic")
    w.layer("constraints", ogr.wkbMultiPolygon,
            [("constraint_id", S), ("kind", S), ("name", S), ("name_zh", S), ("name_en", S), ("developable", I)]
            + PROV_FIELDS,
            constraints_features(park), "Areas that must not be developed; schematic")
    w.layer("landuse_classes", ogr.wkbNone,
            [("code", S), ("name_zh", S), ("name_en", S), ("level", I), ("colour", S), ("health_industry", I),
             ("developable", I), ("sim_class", I), ("sim_class_name", S), ("sim_class_name_zh", S)] + PROV_FIELDS,
            landuse_features(), "Land-use classes of the 2023 national guide with simulation flags")
    w.layer("plan_targets", ogr.wkbNone,
            [("target_id", S), ("label_zh", S), ("label_en", S), ("value", R), ("unit", S), ("comparison", S),
             ("kind", S)] + PROV_FIELDS,
            targets_features(), "Plan figures the engine measures against")
    w.layer("about", ogr.wkbNone, [("key", S), ("value", S)], about_features(),
            "Dataset notice, CRS and licence")
    w.styles(qgis_style.layer_styles([(code, name_zh, name_en, colour)
                                      for code, name_zh, name_en, colour, _, _, _ in LANDUSE_CLASSES]))
    w.close()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output GeoPackage (default: %(default)s)")
    args = parser.parse_args(argv)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(out_dir):
        parser.error("output directory %s does not exist" % out_dir)
    parcels = build(os.path.abspath(args.out))
    print("wrote %s (%d parcels)" % (args.out, len(parcels)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
