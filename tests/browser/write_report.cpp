// Writes the report page of the synthetic fixture run (tests/unit/report/report_fixture.hpp) to
// <dir>/report/index.html for the headless-Chromium test (render_report.py).
#include <filesystem>
#include <iostream>

#include "io/atomic.hpp"
#include "report/html.hpp"
#include "report_fixture.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: report_browser_page DIR\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = std::filesystem::path(argv[1]) / "report";
    std::filesystem::create_directories(dir);
    parksim::io::atomic_write_text(dir / "index.html", parksim::report::render_html(parksim::report::testing::fixture_result()),
                                   true);
    std::cout << (dir / "index.html").string() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
