#include "report/detail/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace parksim::report::detail {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), decimals);
  if (std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0' || c == '.'; })) value = 0.0;  // no "-0"
  const auto point = digits.find('.');
  std::string whole = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? std::string() : digits.substr(point);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return (value < 0.0 ? "-" : "") + grouped + fraction;
}

std::string safe_colour(const std::string& colour, const std::string& fallback) {
  const bool ok = colour.size() == 7 && colour[0] == '#' &&
                  std::all_of(colour.begin() + 1, colour.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  return ok ? colour : fallback;
}

std::string base64(std::span<const std::uint8_t> bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) | (two ? std::uint32_t{bytes[i + 1]} << 8 : 0u);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += two ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Frame Frame::fit(const geom::Envelope& envelope, double width_px) {
  Frame f;
  if (envelope.is_empty()) return f;
  const double width_m = std::max(envelope.width(), 1e-9);
  const double height_m = std::max(envelope.height(), 1e-9);
  f.min_x = envelope.min_x;
  f.min_y = envelope.min_y;
  f.max_x = envelope.min_x + width_m;
  f.max_y = envelope.min_y + height_m;
  f.scale = width_px / width_m;
  f.width_px = width_px;
  f.height_px = height_m * f.scale;
  return f;
}

Frame Frame::fit_box(const geom::Envelope& envelope, double max_width_px, double max_height_px) {
  if (envelope.is_empty()) return fit(envelope, max_width_px);
  const double aspect = std::max(envelope.height(), 1e-9) / std::max(envelope.width(), 1e-9);
  return fit(envelope, std::min(max_width_px, max_height_px / aspect));
}

namespace {

// 0.1 px: enough for a page, small text, and identical on every build (fmt rounds exactly).
std::string coord(double v) {
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

void append_ring(std::string& out, const geom::Ring& ring, const Frame& frame, bool close) {
  for (std::size_t i = 0; i < ring.size(); ++i) {
    if (close && i + 1 == ring.size() && ring.size() > 1) break;  // the closing vertex is the "Z"
    out += i == 0 ? 'M' : 'L';
    out += coord(frame.px(ring[i].x));
    out += ' ';
    out += coord(frame.py(ring[i].y));
  }
  if (close) out += 'Z';
}

}  // namespace

std::string polygon_path(const geom::Geometry& geometry, const Frame& frame) {
  std::string out;
  if (geometry.is_null()) return out;
  for (const auto& polygon : geometry.polygons()) {
    append_ring(out, polygon.exterior, frame, true);
    for (const auto& hole : polygon.holes) append_ring(out, hole, frame, true);
  }
  return out;
}

std::vector<geom::Ring> line_parts(const geom::Geometry& geometry) {
  std::vector<geom::Ring> parts;
  if (geometry.is_null()) return parts;
  // geom exposes vertices of polygons only; a line's come from its ISO WKB (little endian, x y [z] [m]).
  const std::vector<std::uint8_t> wkb = geometry.to_wkb();
  std::size_t at = 0;
  auto u32 = [&]() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t{wkb.at(at + static_cast<std::size_t>(i))} << (8 * i);
    at += 4;
    return v;
  };
  auto f64 = [&]() {
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= std::uint64_t{wkb.at(at + static_cast<std::size_t>(i))} << (8 * i);
    at += 8;
    double v = 0.0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  };
  auto line = [&](std::uint32_t type) {
    const std::uint32_t dims = type >= 3000 ? 4 : (type >= 1000 ? 3 : 2);
    const std::uint32_t n = u32();
    geom::Ring ring;
    for (std::uint32_t i = 0; i < n; ++i) {
      const double x = f64();
      const double y = f64();
      for (std::uint32_t d = 2; d < dims; ++d) f64();
      ring.push_back({x, y});
    }
    parts.push_back(std::move(ring));
  };
  if (wkb.size() < 5 || wkb[0] != 1) return parts;
  at = 1;
  const std::uint32_t type = u32();
  if (type % 1000 == 2) {
    line(type);
  } else if (type % 1000 == 5) {
    const std::uint32_t count = u32();
    for (std::uint32_t p = 0; p < count; ++p) {
      at += 1;  // byte order of the part (little endian, as the whole)
      line(u32());
    }
  }
  return parts;
}

std::string line_path(const geom::Geometry& geometry, const Frame& frame) {
  std::string out;
  for (const auto& part : line_parts(geometry)) append_ring(out, part, frame, false);
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || count < 1) return ticks;
  if (hi <= lo) hi = lo + 1.0;
  const double raw = (hi - lo) / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (int i = 0; i < 100; ++i) {
    const double t = first + i * step;
    if (t > hi + step * 1e-9) break;
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

namespace {

int decimals_for(const std::vector<double>& ticks) {
  if (ticks.size() < 2) return 0;
  const double step = ticks[1] - ticks[0];
  return step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
}

constexpr double margin_left = 64, margin_right = 16, margin_top = 16, margin_bottom = 44;

}  // namespace

std::string line_chart(const std::vector<Series>& series, const std::string& x_title, const std::string& y_title,
                       double width_px, double height_px, bool integer_x) {
  double x_lo = INFINITY, x_hi = -INFINITY, y_hi = 0.0;
  for (const auto& s : series) {
    for (const auto& [x, y] : s.points) {
      x_lo = std::min(x_lo, x);
      x_hi = std::max(x_hi, x);
      if (std::isfinite(y)) y_hi = std::max(y_hi, y);
    }
  }
  std::string out = fmt::format(
      R"(<svg class="chart" viewBox="0 0 {0} {1}" width="{0}" height="{1}" role="img">)",
      coord(width_px), coord(height_px));
  if (!std::isfinite(x_lo)) {
    out += R"(<text x="10" y="20" class="axis">no data</text></svg>)";
    return out;
  }
  if (x_hi <= x_lo) x_hi = x_lo + 1.0;
  if (y_hi <= 0.0) y_hi = 1.0;
  y_hi *= 1.04;  // headroom: a series at its maximum is not drawn on the frame
  const auto y_ticks = nice_ticks(0.0, y_hi, 5);
  const double y_top = std::max(y_hi, y_ticks.empty() ? y_hi : y_ticks.back());
  const double plot_w = width_px - margin_left - margin_right;
  const double plot_h = height_px - margin_top - margin_bottom;
  auto sx = [&](double x) { return margin_left + (x - x_lo) / (x_hi - x_lo) * plot_w; };
  auto sy = [&](double y) { return margin_top + plot_h - y / y_top * plot_h; };
  const int y_decimals = decimals_for(y_ticks);
  for (const double t : y_ticks) {
    out += fmt::format(R"(<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>)", coord(margin_left), coord(sy(t)),
                       coord(margin_left + plot_w), coord(sy(t)));
    out += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>)", coord(margin_left - 6),
                       coord(sy(t) + 4), number(t, y_decimals));
  }
  auto x_ticks = nice_ticks(x_lo, x_hi, 8);
  if (integer_x) {
    x_ticks.erase(std::remove_if(x_ticks.begin(), x_ticks.end(), [](double t) { return t != std::floor(t); }),
                  x_ticks.end());
  }
  for (const double t : x_ticks) {
    out += fmt::format(R"(<line class="tick" x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>)", coord(sx(t)),
                       coord(margin_top + plot_h), coord(margin_top + plot_h + 4));
    out += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>)", coord(sx(t)),
                       coord(margin_top + plot_h + 17), integer_x ? fmt::format("{}", static_cast<long long>(t))
                                                                  : number(t, decimals_for(x_ticks)));
  }
  out += fmt::format(R"(<line class="frame" x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>)", coord(margin_left),
                     coord(margin_top), coord(margin_top + plot_h));
  out += fmt::format(R"(<line class="frame" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)", coord(margin_left),
                     coord(margin_top + plot_h), coord(margin_left + plot_w));
  out += fmt::format(R"(<text class="title" x="{}" y="{}" text-anchor="middle">{}</text>)",
                     coord(margin_left + plot_w / 2), coord(height_px - 6), escape(x_title));
  out += fmt::format(R"~(<text class="title" x="14" y="{0}" text-anchor="middle" transform="rotate(-90 14 {0})">{1}</text>)~",
                     coord(margin_top + plot_h / 2), escape(y_title));
  for (const auto& s : series) {
    if (s.points.empty()) continue;
    std::string d;
    for (const auto& [x, y] : s.points) {
      if (!std::isfinite(y)) continue;
      d += d.empty() ? 'M' : 'L';
      d += coord(sx(x)) + ' ' + coord(sy(y));
    }
    const std::string colour = safe_colour(s.colour);
    out += fmt::format(R"(<path class="series" d="{}" stroke="{}" stroke-width="{}"><title>{}</title></path>)", d,
                       colour, coord(s.width_px), escape(s.label));
    // A single point draws no line: mark it.
    if (s.points.size() == 1 && std::isfinite(s.points[0].second)) {
      out += fmt::format(R"(<circle cx="{}" cy="{}" r="3" fill="{}"/>)", coord(sx(s.points[0].first)),
                         coord(sy(s.points[0].second)), colour);
    }
  }
  out += "</svg>";
  return out;
}

std::string bar_chart(const std::vector<Bar>& bars, const std::string& y_title, double width_px, double height_px) {
  std::string out = fmt::format(
      R"(<svg class="chart" viewBox="0 0 {0} {1}" width="{0}" height="{1}" role="img">)",
      coord(width_px), coord(height_px));
  double y_hi = 0.0;
  for (const auto& bar : bars) {
    if (std::isfinite(bar.value)) y_hi = std::max(y_hi, bar.value);
  }
  if (bars.empty()) {
    out += R"(<text x="10" y="20" class="axis">no data</text></svg>)";
    return out;
  }
  if (y_hi <= 0.0) y_hi = 1.0;
  auto y_ticks = nice_ticks(0.0, y_hi, 4);
  const bool counts = std::all_of(bars.begin(), bars.end(), [](const Bar& b) { return b.value == std::floor(b.value); });
  if (counts) {  // whole numbers (runs): no fractional ticks
    y_ticks.erase(std::remove_if(y_ticks.begin(), y_ticks.end(), [](double t) { return t != std::floor(t); }),
                  y_ticks.end());
  }
  const double y_top = std::max(y_hi, y_ticks.back());
  const double plot_w = width_px - margin_left - margin_right;
  const double plot_h = height_px - margin_top - margin_bottom;
  auto sy = [&](double y) { return margin_top + plot_h - y / y_top * plot_h; };
  const int y_decimals = decimals_for(y_ticks);
  for (const double t : y_ticks) {
    out += fmt::format(R"(<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>)", coord(margin_left), coord(sy(t)),
                       coord(margin_left + plot_w), coord(sy(t)));
    out += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>)", coord(margin_left - 6),
                       coord(sy(t) + 4), number(t, y_decimals));
  }
  const double slot = plot_w / static_cast<double>(bars.size());
  const double bar_w = std::max(1.0, slot * 0.75);
  // Label every bar when they fit, else every k-th, so the axis stays readable.
  const std::size_t label_every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(34.0 / slot)));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& bar = bars[i];
    const double value = std::isfinite(bar.value) ? bar.value : 0.0;
    const double x = margin_left + slot * static_cast<double>(i) + (slot - bar_w) / 2.0;
    out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>)",
                       coord(x), coord(sy(value)), coord(bar_w), coord(sy(0.0) - sy(value)),
                       safe_colour(bar.colour, "#4477AA"), escape(bar.label), number(bar.value, 0));
    if (i % label_every == 0) {
      out += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>)", coord(x + bar_w / 2),
                         coord(margin_top + plot_h + 15), escape(bar.label));
    }
  }
  out += fmt::format(R"(<line class="frame" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)", coord(margin_left),
                     coord(margin_top + plot_h), coord(margin_left + plot_w));
  out += fmt::format(R"~(<text class="title" x="14" y="{0}" text-anchor="middle" transform="rotate(-90 14 {0})">{1}</text>)~",
                     coord(margin_top + plot_h / 2), escape(y_title));
  out += "</svg>";
  return out;
}

}  // namespace parksim::report::detail
