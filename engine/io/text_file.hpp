#pragma once
// Small text files that configure a run (scenarios, mapping files, manifests): read whole, but only from a regular
// file and only up to a size cap, so a folder, a device (/dev/zero), a FIFO or a huge file given by mistake is an
// error naming the path and what was expected, never an endless read.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace parksim::io {

/// DEFAULT cap of read_text_file: 4 MiB (the bundled scenarios are a few KiB).
inline constexpr std::uintmax_t text_file_max_bytes = std::uintmax_t{4} << 20;

/// The bytes of the regular file at `path` (symbolic links are followed). `what` names the file for people
/// ("scenario file", "mapping file"). Throws Error(ErrorCode::input) naming the path when it does not exist, is a
/// folder or anything but a regular file, is larger than `max_bytes`, or cannot be read.
std::string read_text_file(const std::filesystem::path& path, std::string_view what,
                           std::uintmax_t max_bytes = text_file_max_bytes);

}  // namespace parksim::io
