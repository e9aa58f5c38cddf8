// The process memory budget. sysconf() is POSIX, the one non-std call core makes; a plain atomic holds the value so
// that readers on worker threads see the command line's setting.
#include "core/budget.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace parksim {

namespace {

std::atomic<std::uint64_t> g_budget{0};  // 0 = DEFAULT

}  // namespace

std::uint64_t physical_memory_bytes() noexcept {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

std::uint64_t default_memory_budget_bytes() noexcept {
  const std::uint64_t physical = physical_memory_bytes();
  return physical == 0 ? (std::uint64_t{4} << 30) : physical / 2;
}

std::uint64_t memory_budget_bytes() noexcept {
  const std::uint64_t set = g_budget.load(std::memory_order_relaxed);
  return set == 0 ? default_memory_budget_bytes() : set;
}

void set_memory_budget_bytes(std::uint64_t bytes) noexcept { g_budget.store(bytes, std::memory_order_relaxed); }

std::string format_bytes(std::uint64_t bytes) {
  constexpr const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 6) {
    value /= 1024.0;
    ++unit;
  }
  if (unit == 0) return fmt::format("{} bytes", bytes);
  return value < 10.0 ? fmt::format("{:.1f} {}", value, units[unit]) : fmt::format("{:.0f} {}", value, units[unit]);
}

std::uint64_t parse_bytes(std::string_view text) noexcept {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  double number = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || !(number > 0.0) || !std::isfinite(number)) return 0;
  std::string suffix(end, text.data() + text.size());
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (suffix.size() > 1 && (suffix.ends_with("IB") || suffix.ends_with("B"))) {
    suffix.resize(suffix.size() - (suffix.ends_with("IB") ? 2 : 1));
  } else if (suffix == "B") {
    suffix.clear();
  }
  double scale = 1.0;
  if (suffix == "K") {
    scale = 1024.0;
  } else if (suffix == "M") {
    scale = 1024.0 * 1024.0;
  } else if (suffix == "G") {
    scale = 1024.0 * 1024.0 * 1024.0;
  } else if (suffix == "T") {
    scale = 1024.0 * 1024.0 * 1024.0 * 1024.0;
  } else if (!suffix.empty()) {
    return 0;
  }
  const double bytes = number * scale;
  if (bytes < 1.0 || bytes >= 1.8e19) return 0;
  return static_cast<std::uint64_t>(bytes);
}

void check_memory_budget(std::uint64_t estimate_bytes, std::string_view what, std::string_view remedy,
                         const Context& where) {
  const std::uint64_t budget = memory_budget_bytes();
  if (estimate_bytes <= budget) return;
  throw Error(ErrorCode::data,
              fmt::format("{} needs about {} of memory, more than the memory budget of {}; {} (or raise the budget "
                          "with --max-memory, e.g. --max-memory {}G, if the machine has the memory)",
                          what, format_bytes(estimate_bytes), format_bytes(budget), remedy,
                          (estimate_bytes >> 30) + 1),
              where);
}

}  // namespace parksim
