#pragma once
// Ctrl-C and `kill` during a command: SIGINT and SIGTERM cancel the command's Progress, the engine's one
// cancellation path, so the command stops at its next check and unwinds like any other failure: temporaries are
// removed, the previous output stays as it was, and the process exits 10 (cancelled). A second signal while the
// first is being honoured ends the process at once (the default action); what that leaves behind is repaired by
// the next write of the same output (io/atomic.hpp).

#include <csignal>

#include "core/progress.hpp"

namespace parksim::cli {

/// Installs the handlers for its lifetime (one at a time per process; nested scopes are not supported) and restores
/// the previous ones on destruction. The handler only stores the signal number and sets the cancellation flag (an
/// atomic store), which is async-signal-safe.
class InterruptScope {
 public:
  explicit InterruptScope(Progress progress);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  Progress m_progress;
  struct sigaction m_previous_int {};
  struct sigaction m_previous_term {};
};

/// The signal that cancelled the command (SIGINT, SIGTERM), or 0.
int interrupt_signal() noexcept;

}  // namespace parksim::cli
