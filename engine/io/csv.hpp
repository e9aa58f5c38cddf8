#pragma once
// CSV text as parksim writes it everywhere (indicators.csv, Shapefile field maps, comparisons, calibration
// metrics): UTF-8, comma-separated, quoted per RFC 4180. One function, so every CSV of a bundle quotes alike.

#include <string>
#include <string_view>

namespace parksim::io {

/// One CSV cell: the text as it is when it holds no comma, double quote, CR or LF; otherwise in double quotes with
/// each double quote doubled (RFC 4180 §2.6-2.7).
std::string csv_cell(std::string_view text);

}  // namespace parksim::io
