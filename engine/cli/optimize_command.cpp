// `parksim optimize`: the plan search of a scenario's [optimize] table (optimize::optimize_scenario) - pareto.csv,
// pareto.gpkg, history.csv, solutions/*.toml and report/index.html, and the front as a table on stdout.
#include <chrono>
#include <ostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "core/error.hpp"
#include "io/atomic.hpp"
#include "optimize/optimize.hpp"
#include "report/bundle.hpp"
#include "scenario/scenario.hpp"

namespace parksim::cli {

int run_optimize(const OptimizeCommandOptions& options, std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  output_folder_option(options.out, "--out");
  const scenario::Scenario s = scenario::Scenario::load(options.scenario);
  const std::filesystem::path out_dir =
      options.out.empty() ? std::filesystem::path("out") / (report::output_folder_name(s.name()) + "-optimize")
                          : options.out;
  // Refuse before the search: an existing output is never replaced without --overwrite.
  io::recover_interrupted_output(out_dir, io::AtomicOutput::Kind::directory);
  refuse_existing_output(out_dir, options.overwrite);

  optimize::OptimizeOptions o;
  o.seed = options.seed;
  o.threads = options.threads;
  o.generations = options.generations;
  o.population = options.population;
  o.runs = options.runs;
  o.algorithm = options.algorithm;
  const Progress progress = terminal_progress(err, options.quiet);
  const InterruptScope interrupts(progress);
  const optimize::OptimizeResult result = optimize::optimize_scenario(s, o, progress.sub(0.0, 0.98));
  progress.check(0.98, "writing the front");
  optimize::write_optimize(result, out_dir, options.overwrite);
  progress.report(1.0, "done");

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& spec = result.spec;
  out << fmt::format("Plan search of '{}': {} ({} x {} generations), {} lever settings evaluated, {} run(s) each, "
                     "seed {}, {:.1f} s\n\n",
                     s.name(), spec.search.algorithm == optimize::Algorithm::moead ? "MOEA/D" : "NSGA-II",
                     spec.search.population, spec.search.generations, result.evaluations, spec.runs,
                     spec.search.seed, seconds);
  out << optimize::front_table(result, 20);
  if (!result.history.empty()) {
    out << fmt::format("\nHypervolume (normalised): {:.4f} after the initial population, {:.4f} at the end\n",
                       result.history.front().hypervolume, result.history.back().hypervolume);
  }
  out << fmt::format("Front:     {}\nReport:    {}\nSolutions: {}\n", (out_dir / "pareto.csv").string(),
                     (out_dir / "report" / "index.html").string(), (out_dir / "solutions").string());
  return 0;
}

}  // namespace parksim::cli
