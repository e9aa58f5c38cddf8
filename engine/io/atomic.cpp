// Atomic outputs. Why each step is there:
//  - the temporary lives in the target's directory, so the final rename never crosses a filesystem
//    (rename(2) is atomic only within one filesystem);
//  - it keeps the target's extension, because GDAL drivers pick behaviour from it (FlatGeobuf writes a
//    directory unless the name ends in .fgb; GeoPackage warns about other extensions);
//  - data is fsync'ed before the rename and the directory after it, so a crash cannot leave a renamed but
//    empty file behind;
//  - a directory replaces a directory with one renameat2(RENAME_EXCHANGE): there is no moment at which the target
//    is missing, so a kill at any point leaves the old or the new output in place. Filesystems without the exchange
//    get the two renames (old aside, new in), and the next AtomicOutput on the same target repairs what a kill
//    between them left: the aside folder of a dead process is put back when the target is missing;
//  - temporaries of dead processes (killed, or interrupted twice) are removed by the next AtomicOutput on the same
//    target; a live process's temporaries are never touched (kill(pid, 0)).
#include "io/atomic.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace parksim::io {

namespace fs = std::filesystem;

namespace {

std::atomic<unsigned long> g_temp_counter{0};

Context at(const fs::path& path) { return Context{.path = path.string()}; }

// fsync a file or directory; best effort for directories on filesystems that refuse it.
void sync_path(const fs::path& path, bool is_directory) {
  const int fd = ::open(path.c_str(), (is_directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) {
    if (is_directory) return;
    throw Error(ErrorCode::output, fmt::format("cannot open for syncing: {}", std::strerror(errno)), at(path));
  }
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0 && !is_directory) {
    throw Error(ErrorCode::output, fmt::format("cannot flush to disk: {}", std::strerror(saved)), at(path));
  }
}

void sync_tree(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) sync_path(entry.path(), false);
  }
  sync_path(dir, true);
}

fs::path parent_or_dot(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

void remove_quietly(const fs::path& path) noexcept {
  std::error_code ec;
  fs::remove_all(path, ec);
}

// The pid in "<prefix><pid>-..." when `name` starts with `prefix`; 0 otherwise.
long pid_after(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return 0;
  long pid = 0;
  std::size_t i = prefix.size();
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9' && pid < 100000000; ++i) pid = pid * 10 + (name[i] - '0');
  return i < name.size() && name[i] == '-' ? pid : 0;
}

bool process_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

// What a killed writer of `target` left beside it: its temporaries (removed) and, when it died between the two
// renames of a directory swap, the previous output moved aside (put back if the target is missing, else removed).
void recover_leftovers(const fs::path& target, const fs::path& parent, AtomicOutput::Kind kind) {
  const std::string name = target.filename().string();
  const std::string stem = kind == AtomicOutput::Kind::file ? target.stem().string() : name;
  const std::string temp_prefix = "." + stem + ".tmp-";
  const std::string aside_prefix = "." + name + ".old-";
  std::error_code ec;
  std::vector<fs::path> temps, asides;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string entry_name = entry.path().filename().string();
    if (const long pid = pid_after(entry_name, temp_prefix); pid > 0 && pid != ::getpid() && !process_alive(pid)) {
      temps.push_back(entry.path());
    } else if (const long old_pid = pid_after(entry_name, aside_prefix);
               old_pid > 0 && old_pid != ::getpid() && !process_alive(old_pid)) {
      asides.push_back(entry.path());
    }
  }
  for (const auto& t : temps) remove_quietly(t);
  std::sort(asides.begin(), asides.end());
  for (const auto& a : asides) {
    if (!fs::exists(fs::symlink_status(target, ec))) {
      fs::rename(a, target, ec);
      if (!ec) continue;
    }
    remove_quietly(a);
  }
}

}  // namespace

AtomicOutput::AtomicOutput(fs::path target, Kind kind, bool overwrite)
    : m_target(std::move(target)), m_kind(kind), m_overwrite(overwrite) {
  if (m_target.has_filename() == false || m_target.filename() == "." || m_target.filename() == "..") {
    throw Error(ErrorCode::output, "output path has no file name", at(m_target));
  }
  std::error_code ec;
  const fs::path parent = parent_or_dot(m_target);
  if (!fs::is_directory(parent, ec)) {
    throw Error(ErrorCode::output, "the directory of the output does not exist", at(m_target));
  }
  recover_leftovers(m_target, parent, m_kind);
  const auto status = fs::symlink_status(m_target, ec);
  if (fs::exists(status)) {
    if (!m_overwrite) {
      throw Error(ErrorCode::output_exists, "output exists and overwriting was not asked for", at(m_target));
    }
    const bool is_dir = fs::is_directory(status);
    if (is_dir != (m_kind == Kind::directory)) {
      throw Error(ErrorCode::output,
                  is_dir ? "output exists as a directory where a file is to be written"
                         : "output exists as a file where a directory is to be written",
                  at(m_target));
    }
  }
  const std::string stem = m_kind == Kind::file ? m_target.stem().string() : m_target.filename().string();
  const std::string extension = m_kind == Kind::file ? m_target.extension().string() : std::string();
  m_temp = parent / fmt::format(".{}.tmp-{}-{}{}", stem, ::getpid(), ++g_temp_counter, extension);
  if (m_kind == Kind::directory) {
    if (!fs::create_directory(m_temp, ec) || ec) {
      throw Error(ErrorCode::output,
                  fmt::format("cannot create temporary directory {}: {}", m_temp.string(), ec.message()),
                  at(m_target));
    }
  }
}

AtomicOutput::~AtomicOutput() {
  if (m_committed) return;
  remove_quietly(m_temp);
  if (m_kind == Kind::file) {
    for (const char* suffix : {"-journal", "-wal", "-shm"}) {
      remove_quietly(fs::path(m_temp.string() + suffix));
    }
  }
}

void AtomicOutput::commit() {
  if (m_committed) throw Error(ErrorCode::internal, "AtomicOutput::commit called twice", at(m_target));
  std::error_code ec;
  const bool is_dir = m_kind == Kind::directory;
  if (is_dir ? !fs::is_directory(m_temp, ec) : !fs::is_regular_file(m_temp, ec)) {
    throw Error(ErrorCode::output, "the temporary output was not written", at(m_target));
  }
  if (is_dir) {
    sync_tree(m_temp);
  } else {
    sync_path(m_temp, false);
  }
  const fs::path parent = parent_or_dot(m_target);
  const bool target_exists = fs::exists(fs::symlink_status(m_target, ec));
  if (target_exists && !m_overwrite) {
    // Someone else created it while we were writing: still never replace it.
    throw Error(ErrorCode::output_exists, "output appeared while writing and overwriting was not asked for",
                at(m_target));
  }
  if (!is_dir || !target_exists) {
    // A file replaces a file in one atomic rename(2); a new directory needs no dance either.
    fs::rename(m_temp, m_target, ec);
    if (ec) {
      throw Error(ErrorCode::output, fmt::format("cannot move the output into place: {}", ec.message()),
                  at(m_target));
    }
  } else if (::renameat2(AT_FDCWD, m_temp.c_str(), AT_FDCWD, m_target.c_str(), RENAME_EXCHANGE) == 0) {
    // One atomic step: the new output is in place and the old one sits at the temporary name.
    m_committed = true;
    remove_quietly(m_temp);
  } else if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
    throw Error(ErrorCode::output, fmt::format("cannot move the output into place: {}", std::strerror(errno)),
                at(m_target));
  } else {
    // No exchange on this filesystem. rename(2) cannot replace a non-empty directory: old aside, new in, then
    // delete old (a kill between the renames is repaired by the next AtomicOutput of this target).
    const fs::path aside =
        parent / fmt::format(".{}.old-{}-{}", m_target.filename().string(), ::getpid(), ++g_temp_counter);
    fs::rename(m_target, aside, ec);
    if (ec) {
      throw Error(ErrorCode::output, fmt::format("cannot move the previous output aside: {}", ec.message()),
                  at(m_target));
    }
    fs::rename(m_temp, m_target, ec);
    if (ec) {
      std::error_code restore_ec;
      fs::rename(aside, m_target, restore_ec);
      throw Error(ErrorCode::output, fmt::format("cannot move the output into place: {}", ec.message()),
                  at(m_target));
    }
    remove_quietly(aside);
  }
  m_committed = true;
  sync_path(parent, true);
}

void recover_interrupted_output(const fs::path& target, AtomicOutput::Kind kind) noexcept {
  try {
    std::error_code ec;
    const fs::path parent = parent_or_dot(target);
    if (target.has_filename() && fs::is_directory(parent, ec)) recover_leftovers(target, parent, kind);
  } catch (...) {
    // Best effort: the write that follows reports any real problem with the folder.
  }
}

void atomic_write_text(const fs::path& path, std::string_view content, bool overwrite) {
  AtomicOutput output(path, AtomicOutput::Kind::file, overwrite);
  {
    std::ofstream out(output.temp_path(), std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw Error(ErrorCode::output, "cannot write the file", at(path));
  }
  output.commit();
}

}  // namespace parksim::io
