// The GDAL-free part of raster.hpp; the writers and the reader are in detail/raster.cpp.
#include "io/raster.hpp"

namespace parksim::io {

namespace {
int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::array<std::uint8_t, 3>> parse_colour(std::string_view colour) noexcept {
  if (colour.size() != 7 || colour[0] != '#') return std::nullopt;
  std::array<std::uint8_t, 3> rgb{};
  for (std::size_t k = 0; k < 3; ++k) {
    const int hi = hex_digit(colour[1 + 2 * k]);
    const int lo = hex_digit(colour[2 + 2 * k]);
    if (hi < 0 || lo < 0) return std::nullopt;
    rgb[k] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return rgb;
}

}  // namespace parksim::io
