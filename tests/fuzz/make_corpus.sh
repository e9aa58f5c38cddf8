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
mkdir -p "$out"/{fuzz_scenario,fuzz_mapping,fuzz_raster,fuzz_vector_gpkg,fuzz_vector_geojson,fuzz_vector_shp}
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
