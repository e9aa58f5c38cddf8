#pragma once
// The self-contained HTML report of a run (report/index.html) and the side-by-side comparison of several runs.
//
// Self-contained: one file with inline CSS, inline SVG charts and vector maps (parcels as SVG paths, y flipped,
// coordinates rounded to 0.1 px) and raster maps as PNG data URIs; no script, no external resource (no http(s)
// URL anywhere). Every string from the run (scenario name, question, labels, problem messages, ...) is
// HTML-escaped; NaN shows as "n/a". Deterministic: the same RunResult gives the same bytes (no clock).
// Sections: the question; a banner naming the schematic input layers; plan compliance (plan targets - 7.2 / 2.5 /
// 4.7 km2, 3,000 mu - zone shares, fill-up years); land-use maps at the key years; growth of each zone over time;
// the allocation map and its constraints; the ensemble's development-probability map and fill-up-year
// distribution; validation figures when calibrated; all indicators; problems; run details and library versions.
// Thread-safety: pure functions. Errors: Error(ErrorCode::output) when a raster map cannot be encoded,
// Error(ErrorCode::internal) for an inconsistent RunResult (e.g. a class map whose grid differs from result.grid).

#include <span>
#include <string>

#include "report/run_result.hpp"

namespace parksim::report {

/// The report page of one run (UTF-8 HTML5).
std::string render_html(const RunResult& result);

/// One page comparing runs side by side: per indicator (scenario-independent key: year + indicator id, in the
/// first run's order, then new keys of later runs) the value of each run and its difference from the first run,
/// plus each run's question, seed, runs and schematic layers. At least one run, else Error(ErrorCode::usage).
std::string compare_html(std::span<const RunResult> results);

}  // namespace parksim::report
