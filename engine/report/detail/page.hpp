#pragma once
// Internal to report: what the run report and the comparison page share - the mustache rendering, the style sheet
// (readable from a 390 px phone to a 1400 px screen: no page-level horizontal scrolling, wide tables scroll in their
// own box, charts and maps shrink to the width), legends, static class maps and the charts of indicator groups.

#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "report/detail/map.hpp"
#include "report/detail/svg.hpp"
#include "report/run_result.hpp"

namespace parksim::report::detail {

namespace mu = kainjow::mustache;

/// Renders a mustache template; Error(internal) when the template is broken.
std::string render_page(const std::string& template_text, mu::data& data);

inline mu::data text(const std::string& s) { return mu::data(s); }
inline mu::data list() { return mu::data(mu::data::type::list); }
inline mu::data flag(bool b) { return mu::data(b); }

/// The style sheet of parksim's pages (not the map library's).
std::string page_style();

/// Adds the inlined Leaflet (style and script) and the map script to `page` as leaflet_css, leaflet_js, map_js.
void add_map_assets(mu::data& page);

/// Legend entries as mustache items {style, shape, label}; `style` is a safe inline style for the swatch.
mu::data legend_data(const std::vector<LegendItem>& items);

/// Legend entries of chart series (a line of the series' colour each).
std::vector<LegendItem> series_legend(const std::vector<Series>& series);

/// Colours of chart series, in order (repeat after 8).
std::string series_colour(std::size_t index);

/// A static map (SVG with the class raster as a PNG and the phase outlines of `plan` on top) of `window` of `values`,
/// at most max_px wide or high.
std::string static_class_map(const grid::Grid<std::uint8_t>& values, const Window& window,
                             const std::vector<io::RasterClass>& palette, const plan::Plan& plan, double max_px);

/// One group of indicators tied to years: the indicators whose id is `id` or starts with `id` + "." (e.g.
/// zone_area_km2.core), as rows, with the years as columns.
struct IndicatorGroup {
  std::string id;
  std::string title;  ///< the common start of the rows' English labels ("Developed land in zone")
  std::string title_zh;
  std::string unit;
  std::vector<int> years;
  struct Row {
    std::string id, label;  ///< label: the rest of the English label, or the whole one for a single-row group
    std::vector<const Indicator*> values;  ///< parallel to years; nullptr where the run has none
  };
  std::vector<Row> rows;
};

/// The indicators of `indicators` tied to a year, grouped as above, in order of first appearance.
std::vector<IndicatorGroup> indicator_groups(const std::vector<Indicator>& indicators);

}  // namespace parksim::report::detail
