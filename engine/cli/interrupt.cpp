// Signal handling for the commands. Only async-signal-safe work happens in the handler: a lock-free atomic store
// of the flag Progress shares with every copy, and, for a second signal, restoring the default action and raising
// the signal again.
#include "cli/interrupt.hpp"

#include <atomic>

namespace parksim::cli {

namespace {

std::atomic<Progress*> g_progress{nullptr};
volatile std::sig_atomic_t g_signal = 0;

static_assert(std::atomic<Progress*>::is_always_lock_free);

extern "C" void on_interrupt(int signal_number) {
  if (g_signal != 0) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    return;
  }
  g_signal = signal_number;
  if (Progress* progress = g_progress.load()) progress->cancel();
}

}  // namespace

InterruptScope::InterruptScope(Progress progress) : m_progress(std::move(progress)) {
  g_signal = 0;
  g_progress.store(&m_progress);
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &m_previous_int);
  sigaction(SIGTERM, &action, &m_previous_term);
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &m_previous_int, nullptr);
  sigaction(SIGTERM, &m_previous_term, nullptr);
  g_progress.store(nullptr);
}

int interrupt_signal() noexcept { return g_signal; }

}  // namespace parksim::cli
