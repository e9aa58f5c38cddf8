#pragma once
// Versions of the geodata libraries, asked at run time (for manifests and reports).

#include <string>
#include <utility>
#include <vector>

namespace parksim::io {

/// ("GDAL", "3.6.2") as GDAL reports it at run time, and, from GDAL's build information, ("GEOS", the version GDAL
/// was built with) and ("PROJ", the PROJ version GDAL runs with) when GDAL states them. Thread-safe.
std::vector<std::pair<std::string, std::string>> library_versions();

}  // namespace parksim::io
