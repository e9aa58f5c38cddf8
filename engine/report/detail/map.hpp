#pragma once
// Internal to report: the maps of the report pages. The interactive map is data for report_map.js (Leaflet, inlined):
// vector layers as coordinates in metres of the working CRS relative to an origin (0.1 m), their popups as
// [label, value] rows (the script sets them as text, never as HTML), rasters as PNG data URIs. The static maps (for
// print) are class rasters cropped to what the maps open on. Everything is deterministic text.
//
// What a map opens on (focus_extent): the park - its phases, else its parcels, else its zones - and, for a study
// without any of them, the whole study area. The widest view (study_extent) is the run's grid. Layers that a run
// does not have are simply absent.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geom/geometry.hpp"
#include "grid/grid.hpp"
#include "io/raster.hpp"
#include "report/run_result.hpp"

namespace parksim::report::detail {

/// The run's grid extent; the envelope of the plan's layers when the grid is empty.
geom::Envelope study_extent(const RunResult& result);

/// The park (phases, else parcels, else zones) with a margin of 5 % per side, else study_extent().
geom::Envelope focus_extent(const RunResult& result);
/// The same for a plan and a grid (the grid's extent when the plan has none of those layers).
geom::Envelope focus_extent(const plan::Plan& plan, const grid::GridSpec& grid);

/// A block of cells of a grid: rows row..row+rows-1, columns col..col+cols-1.
struct Window {
  int row = 0, col = 0, rows = 0, cols = 0;
  bool empty() const noexcept { return rows <= 0 || cols <= 0; }
};

/// The cells of `spec` that overlap `extent`; the whole grid when they do not overlap at all.
Window window_of(const grid::GridSpec& spec, const geom::Envelope& extent);

/// The ground covered by `window` of `spec`.
geom::Envelope window_extent(const grid::GridSpec& spec, const Window& window);

/// The colours of class maps (class id -> class colour; ids outside 0..254 are left out).
std::vector<io::RasterClass> class_palette(const std::vector<SimClass>& classes);

/// A PNG data URI of `window` of a class map drawn with `palette` (values without a colour are transparent).
std::string class_png_uri(const grid::Grid<std::uint8_t>& values, const Window& window,
                          const std::vector<io::RasterClass>& palette);

/// Ensemble only: the share of runs in which each cell ends in a built class (sum of the built classes'
/// probabilities; NaN outside the study area). nullopt for a single run or when no class is built.
std::optional<grid::Grid<float>> developed_probability(const RunResult& result);

/// 10 bins of a probability grid (0-10 %, ..., 90-100 %) as class values 0..9; 255 where the input is NaN.
grid::Grid<std::uint8_t> probability_bins(const grid::Grid<float>& probability);

/// The colours and labels of probability_bins(), white to dark red.
std::vector<io::RasterClass> probability_palette();

/// One entry of a map legend: a colour and what it stands for, drawn as a filled square (fill), a square outline
/// (outline), a line (line) or a dot (point).
struct LegendItem {
  std::string colour;
  std::string label;
  std::string shape = "fill";
};

/// A legend block of a map: a title and its entries.
struct Legend {
  std::string title;
  std::vector<LegendItem> items;
};

/// An interactive map: the JSON for report_map.js (not yet escaped for HTML: see json_for_html), the legends the
/// page shows beside it, and the year slider of its land-use layer (`slider` = "<container>:<layer id>", empty when
/// the run has fewer than two land-use maps).
struct InteractiveMap {
  std::string json;
  std::vector<Legend> legends;
  std::string slider;
  std::string slider_first_label, slider_last_label;
};

/// The interactive map of a run in the page element `container`: simulated land use of every year with a map (slider;
/// opens on the last year), the ensemble's development probability, parcels (outlines, and filled by planned land
/// use), phases, zones, corridor band and axes, bases and stations - each only when the run has it - opening on
/// focus_extent() with a second view of the whole study area.
InteractiveMap run_map(const RunResult& result, const std::string& container);

/// One map of a side-by-side comparison: `title` over a map of the class raster `values` (classes `classes`),
/// with the phase outlines of `plan`; all maps of one `group` move together.
struct CompareMapInput {
  std::string container, title;
  const grid::Grid<std::uint8_t>* values = nullptr;
  std::vector<io::RasterClass> palette;
  const plan::Plan* plan = nullptr;
};

/// The JSON of one comparison map (report_map.js), opening on `focus` with a second view `study`.
std::string compare_map_json(const CompareMapInput& input, const geom::Envelope& focus, const geom::Envelope& study,
                             const std::string& group);

}  // namespace parksim::report::detail
