#include "report/detail/assets.hpp"

#include <cctype>

#include "report/detail/svg.hpp"

namespace parksim::report::detail {

namespace {

// Leaflet's notice, which its licence asks every copy to carry (Debian's leaflet.min.js has none of its own).
constexpr std::string_view leaflet_notice =
    "/* Leaflet, a JavaScript library for interactive maps. https://leafletjs.com\n"
    " * (c) 2010-2019 Vladimir Agafonkin, (c) 2010-2011 CloudMade. From Debian's libjs-leaflet.\n"
    " * Redistribution and use in source and binary forms, with or without modification, are permitted provided that\n"
    " * the following conditions are met: 1. Redistributions of source code must retain the above copyright notice,\n"
    " * this list of conditions and the following disclaimer. 2. Redistributions in binary form must reproduce the\n"
    " * above copyright notice, this list of conditions and the following disclaimer in the documentation and/or other\n"
    " * materials provided with the distribution. THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS\n"
    " * \"AS IS\" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF\n"
    " * MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR\n"
    " * CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES\n"
    " * (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR\n"
    " * BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,\n"
    " * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF\n"
    " * ADVISED OF THE POSSIBILITY OF SUCH DAMAGE. (BSD-2-Clause) */\n";

bool starts_with_ignoring_case(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  }
  return true;
}

std::string required(std::string_view name) {
  const std::string_view bytes = embedded_file(name);
  if (bytes.empty()) throw Error(ErrorCode::internal, "the report asset '" + std::string(name) + "' is not embedded");
  return std::string(bytes);
}

std::string png_uri(std::string_view name) {
  const std::string bytes = required(name);
  return "data:image/png;base64," +
         base64(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

void replace_all(std::string& text, std::string_view what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

}  // namespace

std::string leaflet_script() { return std::string(leaflet_notice) + inline_safe(required("leaflet.js")); }

std::string leaflet_style() {
  std::string css = required("leaflet.css");
  replace_all(css, "url(images/layers-2x.png)", "url(" + png_uri("layers-2x.png") + ")");
  replace_all(css, "url(images/layers.png)", "url(" + png_uri("layers.png") + ")");
  // The default marker icon is never used (markers are drawn as circles); its rule must not name a file either.
  replace_all(css, "url(images/marker-icon.png)", "none");
  return inline_safe(css);
}

std::string map_script() { return inline_safe(required("report_map.js")); }

std::string inline_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/' &&
        (starts_with_ignoring_case(text, i + 2, "script") || starts_with_ignoring_case(text, i + 2, "style"))) {
      out += '\\';
    }
  }
  return out;
}

std::string json_for_html(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (const char c : json) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace parksim::report::detail
