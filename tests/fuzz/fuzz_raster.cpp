// Raster ingest through GDAL from memory (/vsimem): describe the raster, read its values within the memory budget,
// and read a window of it.
#include "fuzz_support.hpp"
#include "io/memory_file.hpp"
#include "io/raster.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parksim;
  return fuzz::run_one([&] {
    const io::MemoryFile file("input.tif", {data, size});
    const io::RasterInfo info = io::read_raster(file.path());
    (void)io::read_raster(file.path(), io::RasterReadOptions{.values = true, .max_cells = 4'000'000});
    if (info.geometry.cols > 1 && info.geometry.rows > 1) {
      (void)io::read_raster(file.path(),
                            io::RasterReadOptions{.values = true,
                                                  .window = io::RasterWindow{1, 1, info.geometry.cols - 1, 1}});
    }
  });
}
