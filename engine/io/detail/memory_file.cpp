// MemoryFile over GDAL's /vsimem/. VSIFileFromMemBuffer with bTakeOwnership takes a CPLMalloc'ed copy, so the
// caller's bytes may go away; VSIRmdirRecursive removes what drivers wrote beside the file (.aux.xml, .ovr, -wal).
#include <atomic>
#include <cstring>

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "io/detail/gdal.hpp"
#include "io/memory_file.hpp"

namespace parksim::io {

namespace {
std::atomic<std::uint64_t> g_counter{0};
}  // namespace

MemoryFile::MemoryFile(std::string_view name, std::span<const std::uint8_t> bytes)
    : m_folder(fmt::format("/vsimem/parksim-{}", ++g_counter)), m_path(m_folder / std::string(name)) {
  detail::ensure_gdal_registered();
  auto* copy = static_cast<GByte*>(VSIMalloc(bytes.empty() ? 1 : bytes.size()));
  if (copy == nullptr) throw Error(ErrorCode::output, "no memory for an in-memory file", Context{.path = m_path.string()});
  if (!bytes.empty()) std::memcpy(copy, bytes.data(), bytes.size());
  VSILFILE* file = VSIFileFromMemBuffer(m_path.c_str(), copy, bytes.size(), TRUE);
  if (file == nullptr) {
    VSIFree(copy);
    throw Error(ErrorCode::output, "GDAL cannot create the in-memory file", Context{.path = m_path.string()});
  }
  VSIFCloseL(file);
}

MemoryFile::~MemoryFile() { VSIRmdirRecursive(m_folder.c_str()); }

}  // namespace parksim::io
