#pragma once
// CSV text as parksim writes it everywhere (indicators.csv, Shapefile field maps, comparisons, calibration
// metrics): UTF-8, comma-separated, quoted per RFC 4180. One function, so every CSV of a bundle quotes alike, and one
// reader for the CSVs parksim reads back.
//
// Byte order mark: a CSV meant to be opened in a spreadsheet (indicators.csv, comparison.csv,
// calibration_metrics.csv) starts with the UTF-8 BOM, without which Excel (notably on Chinese Windows, where it
// assumes GBK) shows the Chinese labels as mojibake. Files read by programs only (a Shapefile set's
// <layer>.fields.csv) have none. csv_records() and GDAL's CSV driver skip it.

#include <string>
#include <string_view>
#include <vector>

namespace parksim::io {

/// One CSV cell: the text as it is when it holds no comma, double quote, CR or LF; otherwise in double quotes with
/// each double quote doubled (RFC 4180 §2.6-2.7).
std::string csv_cell(std::string_view text);

/// The UTF-8 byte order mark.
inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// The records of CSV `text` (RFC 4180: quoted cells with doubled quotes; "\n" or "\r\n" line ends; a leading
/// UTF-8 BOM is skipped). A final line end is optional; empty lines are records with one empty cell.
std::vector<std::vector<std::string>> csv_records(std::string_view text);

}  // namespace parksim::io
