#pragma once
// Atomic outputs: every file or folder parksim writes appears complete or not at all.
//
// The pattern: write into a temporary name in the SAME directory as the target (".<stem>.tmp-<pid>-<n><ext>"),
// close it, then rename it into place. An existing target is never replaced unless the caller asked to
// overwrite; a failure at any point removes the temporary and leaves the previous output untouched.

#include <filesystem>
#include <string_view>

namespace parksim::io {

/// One pending output (a file or a directory) that becomes visible only on commit().
///
/// Usage: construct (checks the target), write into temp_path(), call commit(). If commit() is never
/// reached (an exception, an early return), the destructor removes the temporary - together with SQLite's
/// "-journal", "-wal" and "-shm" siblings of a temporary file. Not copyable or movable; not thread-safe
/// (one owner); different AtomicOutputs may be used from different threads.
class AtomicOutput {
 public:
  enum class Kind { file, directory };

  /// Checks the target and reserves a temporary name beside it.
  /// - `target` exists and !overwrite -> Error(ErrorCode::output_exists), before anything is written;
  /// - `target` exists but is of the other kind (a directory where a file is expected, or the reverse),
  ///   its parent directory does not exist, or the target has no file name -> Error(ErrorCode::output).
  /// For Kind::directory the temporary directory is created (empty); for Kind::file nothing is created.
  /// First it repairs what a killed writer of the same target left beside it: temporaries of processes that no
  /// longer run are removed, and a previous output moved aside by a process killed between the two renames of a
  /// swap is moved back when the target is missing (removed otherwise).
  AtomicOutput(std::filesystem::path target, Kind kind, bool overwrite);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::filesystem::path& target() const noexcept { return m_target; }
  /// Where to write. Same directory as target(), same extension, hidden name, unique in this process.
  const std::filesystem::path& temp_path() const noexcept { return m_temp; }

  /// Flushes the temporary to disk (fsync), then moves it into place. A file replaces an existing file
  /// with one rename(2). A directory replaces an existing one with one renameat2(RENAME_EXCHANGE) and the old
  /// one is deleted afterwards; on a filesystem without the exchange the old one is renamed aside, the new one
  /// renamed in, and only then is the old one deleted. Either way a failure never loses the previous output, and a
  /// kill at any step leaves the old or the new output at the target, or a state the next AtomicOutput of the same
  /// target repairs (see the constructor).
  /// Throws Error(ErrorCode::output) (context path = target) when the temporary is missing or a rename
  /// fails; the previous output is then still in place. Call at most once.
  void commit();

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_temp;
  Kind m_kind;
  bool m_overwrite;
  bool m_committed = false;
};

/// Repairs what a killed writer of `target` (an AtomicOutput of that kind) left beside it, as the AtomicOutput
/// constructor does: temporaries of processes that no longer run are removed, and a previous output moved aside by a
/// process killed between the two renames of a swap is moved back when the target is missing. For commands that
/// check whether their output exists before they start. Never throws; does nothing when the folder is missing.
void recover_interrupted_output(const std::filesystem::path& target, AtomicOutput::Kind kind) noexcept;

/// Writes `content` to `path` atomically (see AtomicOutput). Throws Error(output_exists) when the file exists
/// and !overwrite, Error(output) when it cannot be written.
void atomic_write_text(const std::filesystem::path& path, std::string_view content, bool overwrite);

}  // namespace parksim::io
