// Bounded reads of configuration files. The size is checked on the open descriptor, and the read stops at the cap
// even when the file grows meanwhile, so neither a race nor a lying size makes the read unbounded.
#include "io/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/budget.hpp"
#include "core/error.hpp"

namespace parksim::io {

namespace fs = std::filesystem;

std::string read_text_file(const fs::path& path, std::string_view what, std::uintmax_t max_bytes) {
  const Context where{.path = path.string()};
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw Error(ErrorCode::input, fmt::format("{} not found", what), where);
  if (fs::is_directory(status)) {
    throw Error(ErrorCode::input, fmt::format("is a folder, not a {}: give the file itself", what), where);
  }
  if (!fs::is_regular_file(status)) {
    throw Error(ErrorCode::input,
                fmt::format("is not a regular file (a device, pipe or socket), so it cannot be a {}: give a file",
                            what),
                where);
  }
  // O_NONBLOCK: should the path be swapped for a FIFO after the check, open() does not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    throw Error(ErrorCode::input, fmt::format("cannot read the {}: {}", what, std::strerror(errno)), where);
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    throw Error(ErrorCode::input, fmt::format("is not a regular file, so it cannot be a {}", what), where);
  }
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size > max_bytes) {
    throw Error(ErrorCode::input,
                fmt::format("is {}, larger than a {} may be ({}): is it the right file?", format_bytes(size), what,
                            format_bytes(max_bytes)),
                where);
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw Error(ErrorCode::input, fmt::format("cannot read the {}: {}", what, std::strerror(errno)), where);
    }
    if (n == 0) break;  // shrank meanwhile: what is there is the file
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

}  // namespace parksim::io
