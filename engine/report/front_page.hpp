#pragma once
// The report page of a plan search (`parksim optimize`, optimize/): the Pareto front as an interactive scatter (any
// two objectives as axes, a point's lever values on hover and in the table), the front as a table and the
// hypervolume by generation, and for a chosen solution its maps: where land is developed at the end of the run and
// where that differs from the scenario's own setting, with its indicators next to the scenario's. Self-contained:
// data, script, styles and maps (SVG with PNG data URIs) inline, no network.
// Thread-safety: a pure function.

#include <cstdint>
#include <string>
#include <vector>

#include "grid/grid.hpp"
#include "plan/plan.hpp"

namespace parksim::report {

/// What the page shows: plain data, filled by optimize/.
struct FrontPage {
  std::string scenario_name, question;
  std::string algorithm;             ///< "nsga2" / "moead"
  std::uint64_t seed = 0;
  int runs = 1;                      ///< runs per evaluation
  int population = 0, generations = 0, evaluations = 0;
  std::vector<std::string> levers;   ///< lever keys
  struct Axis {
    std::string id;                  ///< column name of the indicator ("<indicator>[@year]")
    std::string direction;           ///< "min", "max" (objectives) and/or the bounds of a constraint ("≥ 2.0")
  };
  std::vector<Axis> indicators;      ///< objectives first, then constraints
  struct Point {
    std::string name;                ///< "solution_01"
    std::vector<double> levers;
    std::vector<double> mean, sd;    ///< per indicator; NaN = none
  };
  std::vector<Point> front;
  Point start;                       ///< the scenario's own setting (name "scenario")
  std::vector<int> generation, evaluations_by_generation;
  std::vector<double> hypervolume;
  std::vector<std::string> notes;    ///< lines shown under the front (what is left out, how to run a point)

  /// A map of developed land: per cell the percentage (0..100) of the evaluation's runs in which the cell is in a
  /// built class in map_year; 255 = outside the study area.
  struct Map {
    std::string name;                ///< a Point's name ("solution_01", "scenario")
    grid::Grid<std::uint8_t> developed_pct;
  };
  /// Maps of some front points (in front order) and of the scenario's own setting (named "scenario"; needed for
  /// the differences); empty: no map section. All on one grid.
  std::vector<Map> maps;
  int map_year = 0;
  const plan::Plan* plan = nullptr;  ///< phase outlines drawn on the maps and the focus of their window; may be null
};

/// The page as HTML text (UTF-8). Same data, same bytes.
std::string front_html(const FrontPage& page);

}  // namespace parksim::report
