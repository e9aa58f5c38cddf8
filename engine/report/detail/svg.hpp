#pragma once
// Internal to report: the pieces of the HTML report's inline SVG - escaping, number formatting, map frames,
// polygon paths (y flipped, coordinates rounded to 0.1 px), line and bar charts, base64 for PNG data URIs.
// Everything is deterministic text; every string that reaches the output goes through escape().

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geom/geometry.hpp"

namespace parksim::report::detail {

/// Escapes & < > " ' for HTML/XML text and attribute values.
std::string escape(std::string_view text);

/// Fixed-point text with `decimals` digits and thousands separators ("3,000.5"); "n/a" for NaN / infinities.
std::string number(double value, int decimals);

/// `colour` when it is "#RRGGBB", else `fallback` (never lets data text into a style attribute).
std::string safe_colour(const std::string& colour, const std::string& fallback = "#999999");

/// RFC 4648 base64.
std::string base64(std::span<const std::uint8_t> bytes);

/// Maps working-CRS metres onto an SVG canvas `width_px` wide (height from the aspect ratio), north up.
struct Frame {
  double min_x = 0.0, min_y = 0.0, max_x = 1.0, max_y = 1.0;
  double scale = 1.0;  ///< px per metre
  double width_px = 1.0, height_px = 1.0;
  static Frame fit(const geom::Envelope& envelope, double width_px);
  /// The largest frame of the envelope's aspect ratio that fits in max_width_px x max_height_px.
  static Frame fit_box(const geom::Envelope& envelope, double max_width_px, double max_height_px);
  double px(double x) const { return (x - min_x) * scale; }
  double py(double y) const { return (max_y - y) * scale; }
};

/// SVG path data of the polygonal parts of `geometry` (each ring "M x y L ... Z"), 0.1 px precision.
std::string polygon_path(const geom::Geometry& geometry, const Frame& frame);
/// The parts of a line geometry (LineString: one, MultiLineString: each), x/y only; empty for other types.
std::vector<geom::Ring> line_parts(const geom::Geometry& geometry);
/// SVG path data of a line geometry (LineString / MultiLineString); empty for other types.
std::string line_path(const geom::Geometry& geometry, const Frame& frame);

/// One line of a line chart.
struct Series {
  std::string label;
  std::string colour;
  std::vector<std::pair<double, double>> points;  ///< (x, y), ascending x
  double width_px = 2.2;  ///< line width; a wider line drawn first stays visible under a narrower one on top
};

/// A complete <svg> line chart with axes, ticks and axis titles; each series' label is its tooltip. The legend is the
/// page's (HTML, so long labels wrap instead of overlapping). Empty series are skipped.
std::string line_chart(const std::vector<Series>& series, const std::string& x_title, const std::string& y_title,
                       double width_px, double height_px, bool integer_x = true);

/// One bar of a bar chart.
struct Bar {
  std::string label;
  double value = 0.0;
  std::string colour;
};

/// A complete <svg> bar chart (bars left to right, labels below, value on top).
std::string bar_chart(const std::vector<Bar>& bars, const std::string& y_title, double width_px, double height_px);

/// Tick positions for [lo, hi]: "nice" steps (1, 2, 5 x 10^k), at most about `count` ticks.
std::vector<double> nice_ticks(double lo, double hi, int count);

}  // namespace parksim::report::detail
