#pragma once
// Progress reporting and cancellation, passed down explicitly (no globals).
//
// A Progress is a cheap handle (copyable; copies share the callback and the cancellation flag). sub(a, b)
// gives a handle whose [0, 1] maps onto [a, b] of its parent, so a step can report its own progress
// without knowing where it sits in the whole run. Thread-safe: report() may be called from several
// threads; the callback is then serialised by a mutex and only sees non-decreasing fractions.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace parksim {

class Progress {
 public:
  /// fraction in [0, 1] of the whole run; return false to ask for cancellation.
  using Callback = std::function<bool(double fraction, std::string_view message)>;

  /// A silent handle that is never cancelled by a callback (cancel() still works).
  Progress();
  explicit Progress(Callback callback);

  /// Reports `fraction` (clamped to [0, 1]) of this handle's span. Returns false once cancelled.
  bool report(double fraction, std::string_view message = {}) const;
  /// Like report(), but throws Error(ErrorCode::cancelled) when cancelled.
  void check(double fraction, std::string_view message = {}) const;
  /// Throws Error(ErrorCode::cancelled) when cancelled; does not call the callback.
  void throw_if_cancelled() const;

  /// A handle for the sub-span [begin, end] (fractions of this handle's span, 0 <= begin <= end <= 1).
  Progress sub(double begin, double end) const;

  bool cancelled() const noexcept;
  void cancel() noexcept;

 private:
  struct Shared {
    Callback callback;
    std::atomic<bool> cancelled{false};
    std::mutex mutex;
    double last = 0.0;
  };
  Progress(std::shared_ptr<Shared> shared, double begin, double end);

  std::shared_ptr<Shared> m_shared;
  double m_begin = 0.0;
  double m_end = 1.0;
};

}  // namespace parksim
