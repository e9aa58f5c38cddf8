// Writes the report page of a synthetic run (tests/unit/report/report_fixture.hpp) to <dir>/report/index.html for
// the headless-Chromium tests: `fixture` (the park fixture, DEFAULT) or `study` (a study from land-use rasters only,
// without parcels, phases, zones or stations). Prints the page's path.
#include <filesystem>
#include <iostream>
#include <string>

#include "io/atomic.hpp"
#include "report/html.hpp"
#include "report_fixture.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: report_browser_page DIR [fixture|study]\n";
    return 2;
  }
  const std::string which = argc == 3 ? argv[2] : "fixture";
  if (which != "fixture" && which != "study") {
    std::cerr << "report_browser_page: unknown run '" << which << "' (fixture, study)\n";
    return 2;
  }
  try {
    const auto result =
        which == "study" ? parksim::report::testing::study_result() : parksim::report::testing::fixture_result();
    const std::filesystem::path dir = std::filesystem::path(argv[1]) / "report";
    std::filesystem::create_directories(dir);
    parksim::io::atomic_write_text(dir / "index.html", parksim::report::render_html(result), true);
    std::cout << (dir / "index.html").string() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
