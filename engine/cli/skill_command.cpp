// `parksim skill`: the skill of a study's model on a held-out map (calibrate::measure_skill) - fit on the maps before
// it, forecast it, score the expected map next to persistence and proximity - with skill.csv, expected_map.tif and a
// short table on stdout.
#include <chrono>
#include <ostream>

#include <fmt/format.h>

#include "calibrate/skill.hpp"
#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "core/error.hpp"

namespace parksim::cli {

int run_skill(const SkillCommandOptions& options, std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  output_folder_option(options.out, "--out");
  const scenario::Scenario s = scenario::Scenario::load(options.scenario);
  calibrate::SkillOptions so;
  so.holdout_year = options.holdout_year;
  so.runs = options.runs;
  so.seed = options.seed;
  so.threads = options.threads;
  so.calibration.budget = options.budget;
  so.calibration.runs_per_evaluation = options.runs_per_evaluation;
  so.calibration.learner = options.learner;
  so.calibration.pattern_weight = options.pattern_weight;
  so.calibration.search = options.search;
  so.calibration.patches = options.patches;
  const Progress progress;
  const InterruptScope interrupts(progress);
  const calibrate::SkillResult result = calibrate::measure_skill(s, so, options.out, options.overwrite, progress);
  calibrate::write_skill(result, options.out, options.overwrite);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << calibrate::skill_table(result);
  out << fmt::format("\nSkill table:         {}\nExpected map:        {}\nCalibrated scenario: {}\nWall time: {:.1f} s\n",
                     (options.out / "skill.csv").string(), (options.out / "expected_map.tif").string(),
                     (options.out / "calibrated.toml").string(), seconds);
  for (const Problem& p : result.problems) err << p.to_string() << "\n";
  return 0;
}

}  // namespace parksim::cli
