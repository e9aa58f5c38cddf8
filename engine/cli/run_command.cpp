// `parksim run`: scenario -> pipeline -> output bundle, with progress on stderr.
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <ostream>
#include <set>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/atomic.hpp"
#include "pipeline/pipeline.hpp"
#include "report/bundle.hpp"
#include "scenario/scenario.hpp"

namespace parksim::cli {

namespace {

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::set<std::string> formats_of(const RunOptions& options, const scenario::Scenario& s) {
  std::set<std::string> formats = {"gpkg"};
  std::vector<std::string> listed = s.get_text_list("outputs.formats");
  if (!options.formats.empty()) {
    listed.clear();
    std::stringstream in(options.formats);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (!item.empty()) listed.push_back(item);
    }
  }
  for (const auto& f : listed) {
    if (f != "gpkg" && f != "shp" && f != "fgb" && f != "geojson") {
      throw Error(ErrorCode::usage, fmt::format("unknown format '{}' (use gpkg, shp, fgb, geojson)", f),
                  Context{.key = "--format"});
    }
    formats.insert(f);
  }
  return formats;
}

}  // namespace

Progress terminal_progress(std::ostream& err, bool quiet) {
  if (quiet) return Progress();
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  auto last_message = std::make_shared<std::string>();
  return Progress([&err, tty, last_message](double fraction, std::string_view message) {
    const int percent = static_cast<int>(std::floor(100.0 * fraction));
    if (tty) {
      constexpr int width = 30;
      const int filled = percent * width / 100;
      err << fmt::format("\r[{}{}] {:3d}% {:<48.48}", std::string(static_cast<std::size_t>(filled), '#'),
                         std::string(static_cast<std::size_t>(width - filled), ' '), percent, message);
      if (fraction >= 1.0) err << "\n";
      err.flush();
    } else if (!message.empty() && message != *last_message) {
      err << fmt::format("parksim: [{:3d}%] {}\n", percent, message);
      *last_message = std::string(message);
    }
    return true;
  });
}

int run_run(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const std::string start_time = utc_now();
  const auto started = std::chrono::steady_clock::now();
  const std::filesystem::path requested_out = output_folder_option(options.out, "--out");
  scenario::Scenario s = scenario::Scenario::load(options.scenario);
  const std::filesystem::path out_dir =
      requested_out.empty() ? std::filesystem::path("out") / report::output_folder_name(s.name()) : requested_out;
  // Refuse before doing any work: the run may take a while, and the existing output stays untouched either way.
  // A previous output that a killed run left aside is put back first, so it counts as existing.
  io::recover_interrupted_output(out_dir, io::AtomicOutput::Kind::directory);
  refuse_existing_output(out_dir, options.overwrite);
  report::BundleOptions bundle;
  bundle.formats = formats_of(options, s);
  bundle.overwrite = options.overwrite;
  bundle.rasters = s.get_bool("outputs.rasters");
  bundle.html = s.get_bool("outputs.report");

  pipeline::RunOptions run;
  run.seed = options.seed;
  run.runs = options.runs;
  run.threads = options.threads;
  run.end_year = options.end_year;
  const Progress progress = terminal_progress(err, options.quiet);
  const InterruptScope interrupts(progress);
  run.progress = progress.sub(0.0, 0.9);
  const report::RunResult result = pipeline::run_scenario(s, run);

  const Progress writing = progress.sub(0.9, 1.0);
  bundle.progress = &writing;
  bundle.start_time = start_time;
  bundle.end_time = utc_now();
  // `--out a/b/c` (and the default out/<name>) may name folders that do not exist yet; create the parents only
  // now, after the run succeeded, so a failed run leaves nothing behind.
  if (out_dir.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir.parent_path(), ec);
    if (ec) {
      throw Error(ErrorCode::output, fmt::format("cannot create the folder for the output: {}", ec.message()),
                  Context{.path = out_dir.parent_path().string()});
    }
  }
  report::write_bundle(result, out_dir, bundle);
  progress.report(1.0, "done");

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t errors = 0, warnings = 0;
  for (const auto& p : result.problems) {
    errors += p.severity == Severity::error ? 1 : 0;
    warnings += p.severity == Severity::warning ? 1 : 0;
  }
  // The headline figures: every indicator not tied to a year, and the developed land at the end.
  std::vector<const report::Indicator*> headline;
  for (const auto& i : result.indicators) {
    if (i.year == 0) headline.push_back(&i);
  }
  if (const report::Indicator* end = report::find_indicator(result, "developed_km2", result.end_year)) {
    headline.push_back(end);
  }
  if (options.json) {
    nlohmann::ordered_json doc;
    doc["ok"] = true;
    doc["scenario"] = result.scenario_name;
    doc["question"] = result.question;
    doc["start_year"] = result.start_year;
    doc["end_year"] = result.end_year;
    doc["seed"] = result.seed;
    doc["runs"] = result.runs;
    doc["seconds"] = seconds;
    doc["output"] = out_dir.string();
    doc["report"] = bundle.html ? nlohmann::ordered_json((out_dir / "report" / "index.html").string()) : nullptr;
    doc["formats"] = bundle.formats;
    nlohmann::ordered_json figures = nlohmann::ordered_json::array();
    for (const auto* i : headline) {
      figures.push_back({{"indicator_id", i->id}, {"year", i->year != 0 ? nlohmann::ordered_json(i->year) : nullptr},
                         {"label_en", i->label_en}, {"label_zh", i->label_zh}, {"unit", i->unit},
                         {"value", std::isfinite(i->value) ? nlohmann::ordered_json(i->value) : nullptr}});
    }
    doc["indicators"] = std::move(figures);
    if (result.answer) {
      const auto& a = *result.answer;
      auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
      doc["answer"] = {{"indicator_id", a.indicator}, {"year", a.year != 0 ? nlohmann::ordered_json(a.year) : nullptr},
                       {"unit", a.unit}, {"runs", a.runs}, {"mean", num(a.mean)}, {"sd", num(a.sd)},
                       {"runs_without_value", a.runs_without_value},
                       {"baseline", a.baseline_name.empty() ? nlohmann::ordered_json(nullptr)
                                                            : nlohmann::ordered_json(a.baseline_name)},
                       {"baseline_mean", num(a.baseline_mean)}, {"baseline_sd", num(a.baseline_sd)},
                       {"sentence", report::answer_sentence(a, result.end_year)}};
    }
    doc["problems"] = {{"errors", errors}, {"warnings", warnings}, {"total", result.problems.size()}};
    out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  out << fmt::format("Scenario '{}' ({} to {}, seed {}, {} run(s)) finished in {:.1f} s\n", result.scenario_name,
                     result.start_year, result.end_year, result.seed, result.runs, seconds);
  if (!result.question.empty()) out << fmt::format("Question: {}\n", result.question);
  if (result.answer) out << fmt::format("Answer: {}\n", report::answer_sentence(*result.answer, result.end_year));
  auto show = [&](const char* id, const char* text, int year = 0) {
    if (const report::Indicator* i = report::find_indicator(result, id, year)) {
      if (std::isnan(i->value)) {
        out << fmt::format("  {:<44} n/a\n", text);
      } else {
        out << fmt::format("  {:<44} {:.3f} {}\n", text, i->value, i->unit);
      }
    }
  };
  if (!result.plan.parcels.empty()) {
    show("plan_total_km2", "planned area");
    show("developed_km2", "developed land at the end", result.end_year);
    show("health_industry_land_mu", "health-industry land after allocation");
    show("alloc_gap_pct", "allocation optimality gap");
    show("fillup_year_phase3", "phase 3 fill-up year");
  } else {
    // A study without parcels: the land-use classes at the start and at the end.
    for (const auto& c : result.classes) {
      const auto* a = report::find_indicator(result, "class_area_km2." + c.key, result.start_year);
      const auto* b = report::find_indicator(result, "class_area_km2." + c.key, result.end_year);
      if (a == nullptr || b == nullptr) continue;
      out << fmt::format("  {:<30} {:>10.3f} km2 in {} -> {:>10.3f} km2 in {}\n", c.name_en.empty() ? c.key : c.name_en,
                         a->value, result.start_year, b->value, result.end_year);
    }
  }
  out << fmt::format("Problems: {} error(s), {} warning(s) (listed in the report)\n", errors, warnings);
  if (bundle.html) out << fmt::format("Report: {}\n", (out_dir / "report" / "index.html").string());
  out << fmt::format("Output: {}\n", out_dir.string());
  return 0;
}

}  // namespace parksim::cli
