#pragma once
// indicators.csv and indicators.json: the run's indicator rows (report/run_result.hpp Indicator) as files.
//
// Row order (both formats): rows not tied to a year (year 0) first, then by ascending year; within a year the
// order of RunResult::indicators (stable). The same rows give the same bytes.
// Thread-safety: pure functions; the writers may run concurrently on different paths.

#include <filesystem>
#include <span>
#include <string>

#include "report/run_result.hpp"

namespace parksim::report {

/// CSV text: header `scenario,year,indicator_id,label_zh,label_en,unit,value`, one line per row, "\n" line ends,
/// UTF-8 starting with the byte order mark (a file for spreadsheets: Excel reads the Chinese labels right only with
/// it; io/csv.hpp), RFC 4180 quoting (a cell with , " CR or LF is quoted, quotes doubled). year 0 is written
/// empty (not tied to a year). value: the shortest decimal text that reads back to the same double (std::to_chars),
/// empty for NaN or an infinity.
std::string indicators_csv(std::span<const Indicator> indicators);

/// JSON text (UTF-8, 2-space indent, "\n" at the end):
/// {"indicators": [{"scenario", "year", "indicator_id", "label_zh", "label_en", "unit", "value"}, ...]} with the
/// CSV's keys in the CSV's order; year 0 and non-finite values are null; numbers round-trip.
std::string indicators_json(std::span<const Indicator> indicators);

/// Atomic writes of the two texts above (io/atomic.hpp): Error(output_exists) when the file exists and
/// !overwrite, Error(output) when it cannot be written.
void write_indicators_csv(const std::filesystem::path& path, std::span<const Indicator> indicators,
                          bool overwrite = false);
void write_indicators_json(const std::filesystem::path& path, std::span<const Indicator> indicators,
                           bool overwrite = false);

}  // namespace parksim::report
