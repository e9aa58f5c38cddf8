#pragma once
// Internal to report: files compiled into the library (cmake/EmbedFiles.cmake, listed in report/CMakeLists.txt) -
// Leaflet from Debian's libjs-leaflet (leaflet.js = its leaflet.min.js, leaflet.css, the layer-control icons
// layers.png / layers-2x.png) and the report's own map script (report_map.js, engine/report/assets/).

#include <string>
#include <string_view>

namespace parksim::report::detail {

/// The bytes of the file embedded as `name`; an empty view for a name that was not embedded.
std::string_view embedded_file(std::string_view name) noexcept;

/// Leaflet's script with its licence notice (BSD-2-Clause) in front, ready for an inline <script>.
std::string leaflet_script();

/// Leaflet's style sheet with its images inlined as data: URIs (no file is ever fetched), ready for an inline
/// <style>.
std::string leaflet_style();

/// The report's map script (engine/report/assets/report_map.js): builds every map described by a
/// <script type="application/json" class="parksim-map"> element of the page.
std::string map_script();

/// Script or style text made safe inside an inline <script> / <style> element: "</script" and "</style" (any case)
/// become "<\/script" / "<\/style" - the same text inside a JavaScript string, and nothing else is touched - so the
/// text can never close its element. (The embedded files hold them only inside strings.)
std::string inline_safe(std::string_view text);

/// JSON text made safe inside <script type="application/json">: every <, > and & becomes its \u escape (they can
/// only occur inside JSON strings, where the escape means the same character).
std::string json_for_html(std::string_view json);

}  // namespace parksim::report::detail
