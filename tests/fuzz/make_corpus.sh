#!/usr/bin/env bash
# Rebuilds the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from the bundled scenarios, the mapping
# files of the tests and small cuts of the bundled park dataset, keeping the inputs that fuzzing found
# (regression-*: each also has a unit test). Run after changing those sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus
# Inputs the fuzzers found (regression-*) stay; everything else is made anew.
mkdir -p "$out"
find "$out" -type f ! -name 'regression-*' -delete
mkdir -p "$out"/{fuzz_scenario,fuzz_mapping,fuzz_raster,fuzz_vector_gpkg,fuzz_vector_geojson,fuzz_vector_shp,fuzz_study_tables}
gpkg=geodata/zgc_life_science_park.gpkg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Scenarios: each bundled one alone, and each what-if as the scenario extending the baseline as base.toml.
for s in scenarios/*.toml; do
  cp "$s" "$out/fuzz_scenario/$(basename "$s" .toml)"
  if grep -q '^extends' "$s"; then
    { cat scenarios/baseline.toml; printf '\n#---\n'; sed 's|^extends = .*|extends = "base.toml"|' "$s"; } \
      >"$out/fuzz_scenario/$(basename "$s" .toml)_extends"
  fi
done

# Mapping files, as the tests and docs write them.
cat >"$out/fuzz_mapping/full" <<'TOML'
assume_crs = "EPSG:4548"
working_crs = "EPSG:4548"
source_encoding = "CP936"
reference_dataset = "../geodata/zgc_life_science_park.gpkg"
[layers.parcels]
layer = "dikuai"
[layers.parcels.fields]
parcel_id = "DKBH"
landuse = "YDXZ"
[status_values]
"已建" = "built"
TOML
printf '[layers.phases]\nlayer = "qi"\n[layers.zones.fields]\nzone_id = "BK"\n' >"$out/fuzz_mapping/layers"

# Class and driver tables of a study (fuzz_study_tables.cpp: scenario #--- class CSV #--- the map's aux.xml; the
# files named are those of the target's own folder: map.tif, slope.tif, features.geojson, classes.csv).
study=$out/fuzz_study_tables
head='name = "study"
[years]
start = 2020
[study.maps]
2020 = "map.tif"'
# Classes declared in the scenario (as the Plum Island test declares them) and a driver of every kind and source.
cat >"$study/declared" <<TOML
$head
[classes.codes.1]
key = "forest"
name_en = "Forest"
colour = "#1B7837"
[classes.codes.2]
key = "built"
name_en = "Built"
built = true
colour = "#D7191C"
[classes.codes.3]
key = "water"
fixed = true
[drivers.slope]
kind = "value"
source = "slope.tif"
transform = "log1p"
[drivers.dist_built_m]
kind = "distance"
classes = ["built"]
[drivers.dist_g6_m]
kind = "distance"
source = "features.geojson"
where = "name = 'G6' or kind = 'G6'"
opens_field = "opens"
cap = 500
[drivers.tier]
kind = "category"
source = "features.geojson"
field = "tier"
where = "kind = 'band'"
[drivers.stations_per_km2]
kind = "density"
source = "features.geojson"
field = "weight"
radius_m = 300
[drivers.built_share]
kind = "share"
built = true
radius_m = 150
every_year = false
[drivers.decay_road]
kind = "distance"
source = { 2000 = "features.geojson", 2025 = "slope.tif" }
transform = "decay"
length_m = 250
TOML
# A class CSV (as tests/unit/study/classes_test.cpp writes one), built classes replaced, a vector mask.
cat >"$study/class_csv" <<TOML
$head
[study]
mask = "features.geojson"
[classes]
file = "classes.csv"
built = ["built", "water"]
[drivers.near_water_m]
kind = "distance"
classes = ["water"]
every_year = false
#---
code,key,name_en,name_zh,built,fixed,colour
1,forest,Forest,森林,false,,#1B7837
2,built,Built,建设用地,yes,no,#D7191C
3,water,Water,水域,0,1,
TOML
# No declaration: classes from the map's category names and raster attribute table (a PAM sidecar as GDAL writes
# it, here with a label column, colour columns known by name only and a row of a code no map holds).
cat >"$study/attribute_table" <<'TOML'
name = "study"
[study.maps]
2020 = "map.tif"
[drivers.dist_forest_m]
kind = "distance"
classes = ["forest"]
#---
code
#---
<PAMDataset>
  <PAMRasterBand band="1">
    <CategoryNames>
      <Category>nothing</Category>
      <Category>森林 Forest</Category>
      <Category>Built-up (urban)</Category>
    </CategoryNames>
    <GDALRasterAttributeTable tableType="thematic">
      <FieldDefn index="0"><Name>Value</Name><Type>0</Type><Usage>0</Usage></FieldDefn>
      <FieldDefn index="1"><Name>label</Name><Type>2</Type><Usage>0</Usage></FieldDefn>
      <FieldDefn index="2"><Name>red</Name><Type>0</Type><Usage>0</Usage></FieldDefn>
      <FieldDefn index="3"><Name>green</Name><Type>0</Type><Usage>0</Usage></FieldDefn>
      <FieldDefn index="4"><Name>blue</Name><Type>0</Type><Usage>0</Usage></FieldDefn>
      <Row index="0"><F>1</F><F>Forest</F><F>27</F><F>120</F><F>55</F></Row>
      <Row index="1"><F>3</F><F>Water</F><F>43</F><F>300</F><F>-4</F></Row>
      <Row index="2"><F>200</F><F>Unused</F><F>0</F><F>0</F><F>0</F></Row>
    </GDALRasterAttributeTable>
  </PAMRasterBand>
</PAMDataset>
TOML
# The park study's drivers, their plan layers read from the target's GeoJSON instead.
{ printf '%s\n' "$head"; sed -n '/^\[drivers\./,$p' scenarios/studies/park.toml |
    sed 's|^layer = .*|source = "features.geojson"|; s|^built = true|classes = ["built"]|'
  printf '[classes]\nbuilt = ["built"]\n'; } >"$study/park_drivers"

# Vector: the plan's layers cut to a few features each.
ogr2ogr -f GPKG "$tmp/small.gpkg" "$gpkg" parcels -where "fid <= 6" -nln parcels
for layer in phases zones stations landuse_classes; do
  ogr2ogr -f GPKG -update "$tmp/small.gpkg" "$gpkg" "$layer" -where "fid <= 4" -nln "$layer"
done
sqlite3 "$tmp/small.gpkg" "PRAGMA page_size = 512; VACUUM;"  # small pages: a smaller file mutates faster
cp "$tmp/small.gpkg" "$out/fuzz_vector_gpkg/small.gpkg"
ogr2ogr -f GeoJSON "$out/fuzz_vector_geojson/parcels.geojson" "$gpkg" parcels -where "fid <= 6" -lco RFC7946=NO
ogr2ogr -f GeoJSON "$out/fuzz_vector_geojson/stations.geojson" "$gpkg" stations -where "fid <= 4"
# Shapefile members in a tar archive (io/memory_file.hpp).
mkdir -p "$tmp/shp"
ogr2ogr -f "ESRI Shapefile" "$tmp/shp/parcels.shp" "$gpkg" parcels -where "fid <= 6" -lco ENCODING=UTF-8
tar -C "$tmp/shp" --format=ustar --owner=0 --group=0 --mtime=2000-01-01 -cf "$out/fuzz_vector_shp/parcels.tar" \
  parcels.shp parcels.shx parcels.dbf parcels.prj parcels.cpg

# Rasters: a class COG of a run, a plain GeoTIFF, a PNG.
gdal_create -of GTiff -outsize 8 6 -bands 1 -ot Byte -burn 3 -a_srs EPSG:4548 -a_ullr 440000 4450000 440240 4449820 \
  "$tmp/plain.tif"
cp "$tmp/plain.tif" "$out/fuzz_raster/plain.tif"
gdal_translate -q -of COG -co COMPRESS=DEFLATE "$tmp/plain.tif" "$out/fuzz_raster/cog.tif"
gdal_translate -q -of PNG "$tmp/plain.tif" "$out/fuzz_raster/plain.png"
rm -f "$out"/fuzz_raster/*.aux.xml
du -sh "$out"/*
