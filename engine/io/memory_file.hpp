#pragma once
// Bytes as a file every reader of io can open: a copy in GDAL's in-memory filesystem (/vsimem/), for input that
// arrives as bytes rather than as a path (the fuzz targets, bytes handed over from Python). The name's extension
// picks GDAL's driver where the content alone does not.
//
// A tar archive in a MemoryFile carries a set of files, such as a Shapefile's .shp, .shx, .dbf and .prj: open
// "/vsitar/" + path().string() (the archive as a folder) or ".../<member>".
// Thread-safety: each MemoryFile has its own unique name; different ones may be used from different threads.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace parksim::io {

class MemoryFile {
 public:
  /// Copies `bytes` to /vsimem/parksim-<unique>/<name>. Throws Error(ErrorCode::output) when GDAL refuses.
  MemoryFile(std::string_view name, std::span<const std::uint8_t> bytes);
  /// Removes the file and everything GDAL created beside it under the same folder (sidecars, indexes).
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  /// "/vsimem/parksim-<unique>/<name>": give it to any reader of io (read_layer, list_layers, read_raster).
  const std::filesystem::path& path() const noexcept { return m_path; }

 private:
  std::filesystem::path m_folder;
  std::filesystem::path m_path;
};

}  // namespace parksim::io
