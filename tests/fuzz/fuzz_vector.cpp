// Vector ingest through GDAL from memory (/vsimem), as a plan dataset: list the layers, read each, then load the
// whole plan (geometry validation and repair, CRS checks, coverage) from it. PARKSIM_FUZZ_FORMAT picks the format:
// "gpkg" and "geojson" take the input as the file; "shp" takes it as a tar archive of the Shapefile's members
// (io/memory_file.hpp) and opens the archive as a folder.
#include <string>

#include "core/problem.hpp"
#include "fuzz_support.hpp"
#include "io/memory_file.hpp"
#include "io/vector.hpp"
#include "plan/loader.hpp"

#ifndef PARKSIM_FUZZ_FORMAT
#error "define PARKSIM_FUZZ_FORMAT as gpkg, geojson or shp"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parksim;
  return fuzz::run_one([&] {
    const std::string format = PARKSIM_FUZZ_FORMAT;
    const io::MemoryFile file(format == "shp" ? "input.tar" : "input." + format, {data, size});
    const std::filesystem::path path =
        format == "shp" ? std::filesystem::path("/vsitar/" + file.path().string()) : file.path();
    for (const auto& info : io::list_layers(path, true)) {
      try {
        (void)io::read_layer(path, info.name);
      } catch (const Error&) {
      }
    }
    plan::FieldMapping mapping;
    mapping.assume_crs = "EPSG:4548";
    ProblemReporter problems;
    (void)plan::load_plan(path, mapping, problems);
  });
}
