// `parksim info` and `parksim validate`: the plan's accounting and problems, for people and as JSON.
#include <filesystem>
#include <fstream>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "plan/accounting.hpp"
#include "pipeline/pipeline.hpp"
#include "plan/loader.hpp"
#include "scenario/mapping.hpp"
#include "scenario/scenario.hpp"

namespace parksim::cli {

namespace {

plan::FieldMapping mapping_for(const std::filesystem::path& mapping_file, const std::string& assume_crs) {
  plan::FieldMapping mapping;
  if (!mapping_file.empty()) mapping = scenario::load_mapping(mapping_file);
  if (!assume_crs.empty()) mapping.assume_crs = assume_crs;
  return mapping;
}

void print_rows(std::ostream& out, const std::string& title, const std::vector<plan::AreaRow>& rows) {
  out << fmt::format("\n{}\n", title);
  out << fmt::format("  {:<22} {:>8} {:>10} {:>12} {:>10}\n", "", "parcels", "km2", "mu", "ha");
  double total = 0.0;
  std::size_t parcels = 0;
  for (const auto& r : rows) {
    const std::string label = r.label == r.key || r.label.empty() ? r.key : fmt::format("{} {}", r.key, r.label);
    out << fmt::format("  {:<22.22} {:>8} {:>10.3f} {:>12.1f} {:>10.2f}\n", label, r.parcels, r.area_km2(),
                       r.area_mu(), units::m2_to_ha(r.area_m2));
    total += r.area_m2;
    parcels += r.parcels;
  }
  out << fmt::format("  {:<22} {:>8} {:>10.3f} {:>12.1f} {:>10.2f}\n", "total", parcels, units::m2_to_km2(total),
                     units::m2_to_mu(total), units::m2_to_ha(total));
}

nlohmann::json rows_json(const std::vector<plan::AreaRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    out.push_back({{"key", r.key}, {"label", r.label}, {"parcels", r.parcels}, {"area_m2", r.area_m2},
                   {"area_km2", r.area_km2()}, {"area_mu", r.area_mu()}});
  }
  return out;
}

nlohmann::json problem_json(const Problem& p) {
  nlohmann::json j = {{"severity", to_string(p.severity)}, {"code", p.code}, {"message", p.message}};
  if (!p.where.layer.empty()) j["layer"] = p.where.layer;
  if (p.where.feature_id) j["feature_id"] = *p.where.feature_id;
  if (!p.where.feature_key.empty()) j["feature_key"] = p.where.feature_key;
  if (p.where.coordinate) j["coordinate"] = {p.where.coordinate->x, p.where.coordinate->y};
  return j;
}

void print_problems(std::ostream& out, const ProblemReporter& problems) {
  const auto sorted = problems.sorted();
  out << fmt::format("\nProblems: {} error(s), {} warning(s), {} note(s)\n", problems.count(Severity::error),
                     problems.count(Severity::warning), problems.count(Severity::info));
  for (const auto& p : sorted) out << "  " << p.to_string() << "\n";
}

void print_info(std::ostream& out, const plan::Plan& plan, const plan::Accounting& a, const ProblemReporter& problems) {
  out << fmt::format("Plan dataset: {}\n", plan.source);
  out << fmt::format("Working CRS: {} (areas in the working CRS)\n", plan.crs);
  const auto schematic = plan.schematic_layers();
  if (!schematic.empty()) {
    std::string list;
    for (const auto& l : schematic) list += (list.empty() ? "" : ", ") + l;
    out << fmt::format(
        "Note: SCHEMATIC data in layers {} - drawn at the real location with published areas, not surveyed.\n", list);
  }
  out << fmt::format("Layers: {} parcels, {} phases, {} zones, {} corridor axes, {} bases, {} stations, "
                     "{} constraints, {} land-use classes, {} targets\n",
                     plan.parcels.size(), plan.phases.size(), plan.zones.size(), plan.corridor.size(),
                     plan.bases.size(), plan.stations.size(), plan.constraints.size(), plan.classes.size(),
                     plan.targets.size());

  if (!a.targets.empty()) {
    out << "\nPlan targets\n";
    out << fmt::format("  {:<26} {:<38} {:>12} {:>12}  {}\n", "id", "target", "plan", "data", "");
    for (const auto& t : a.targets) {
      const std::string label = t.label_en.empty() ? t.id : t.label_en;
      const std::string verdict = t.met ? "met" : (t.comparison == ">=" ? "NOT YET" : "DIFFERS");
      out << fmt::format("  {:<26} {:<38.38} {:>2} {:>9.3f} {:>12.3f}  {} {}\n", t.id, label, t.comparison, t.target,
                         t.actual, t.unit, verdict);
    }
  }
  out << fmt::format("\nPhases (from the phases layer): total {:.3f} km2 = {:.1f} mu\n", units::m2_to_km2(a.phases_m2),
                     units::m2_to_mu(a.phases_m2));
  for (const auto& ph : plan.phases) {
    out << fmt::format("  phase {:<6} {:>10.3f} km2 {:>12.1f} mu  {}\n", ph.id, units::m2_to_km2(ph.area_m2),
                       units::m2_to_mu(ph.area_m2), ph.name_en);
  }
  print_rows(out, "Parcels by phase", a.by_phase);
  print_rows(out, "Parcels by zone", a.by_zone);
  print_rows(out, "Parcels by land use", a.by_landuse);
  print_rows(out, "Parcels by development status", a.by_status);
  out << fmt::format("\nHealth-industry land (current land use): {:.1f} mu in all phases; {:.1f} mu ({:.3f} km2) in "
                     "the expansion, of which built or under construction {:.1f} mu.\nVacant or planned developable "
                     "land: {:.3f} km2 ({:.1f} mu)\n",
                     units::m2_to_mu(a.health_industry_m2), units::m2_to_mu(a.health_industry_expansion_m2),
                     units::m2_to_km2(a.health_industry_expansion_m2), units::m2_to_mu(a.health_industry_built_m2),
                     units::m2_to_km2(a.developable_m2), units::m2_to_mu(a.developable_m2));
  print_problems(out, problems);
}

nlohmann::json info_json(const plan::Plan& plan, const plan::Accounting& a, const ProblemReporter& problems) {
  nlohmann::json j;
  j["dataset"] = plan.source;
  j["crs"] = plan.crs;
  j["schematic_layers"] = plan.schematic_layers();
  j["counts"] = {{"parcels", plan.parcels.size()}, {"phases", plan.phases.size()}, {"zones", plan.zones.size()},
                 {"stations", plan.stations.size()}, {"classes", plan.classes.size()}};
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& ph : plan.phases) {
    phases.push_back({{"phase", ph.id}, {"name_en", ph.name_en}, {"area_m2", ph.area_m2},
                      {"area_km2", units::m2_to_km2(ph.area_m2)}, {"area_mu", units::m2_to_mu(ph.area_m2)}});
  }
  j["phases"] = phases;
  j["phases_total_km2"] = units::m2_to_km2(a.phases_m2);
  j["parcels_total_km2"] = units::m2_to_km2(a.parcels_m2);
  j["by_phase"] = rows_json(a.by_phase);
  j["by_zone"] = rows_json(a.by_zone);
  j["by_landuse"] = rows_json(a.by_landuse);
  j["by_status"] = rows_json(a.by_status);
  j["health_industry_mu"] = units::m2_to_mu(a.health_industry_m2);
  j["health_industry_expansion_mu"] = units::m2_to_mu(a.health_industry_expansion_m2);
  j["developable_km2"] = units::m2_to_km2(a.developable_m2);
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& t : a.targets) {
    targets.push_back({{"id", t.id}, {"label_en", t.label_en}, {"label_zh", t.label_zh}, {"unit", t.unit},
                       {"comparison", t.comparison}, {"target", t.target}, {"actual", t.actual}, {"met", t.met}});
  }
  j["targets"] = targets;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : problems.sorted()) list.push_back(problem_json(p));
  j["problems"] = list;
  return j;
}

}  // namespace

namespace {

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::input, "cannot read it", Context{.path = path.string()});
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::data, fmt::format("not valid JSON: {}", e.what()), Context{.path = path.string()});
  }
}

// `parksim info OUTDIR`: what a run's bundle holds (from its manifest.json and indicators.json).
int run_info_bundle(const InfoOptions& options, std::ostream& out) {
  const auto manifest_path = options.dataset / "manifest.json";
  const auto indicators_path = options.dataset / "indicators.json";
  for (const auto& required : {manifest_path, indicators_path}) {
    if (!std::filesystem::exists(required)) {
      throw Error(ErrorCode::input,
                  fmt::format("not a parksim output folder: {} is missing", required.filename().string()),
                  Context{.path = options.dataset.string()});
    }
  }
  const nlohmann::json manifest = read_json(manifest_path);
  const nlohmann::json indicators = read_json(indicators_path);
  if (options.json) {
    out << nlohmann::json{{"folder", options.dataset.string()}, {"manifest", manifest},
                          {"indicators", indicators.value("indicators", nlohmann::json::array())}}
               .dump(2)
        << "\n";
    return 0;
  }
  out << fmt::format("Output folder: {}\n", options.dataset.string());
  out << fmt::format("Scenario: {} ({} to {}, seed {}, {} run(s))\n", manifest.value("scenario", "?"),
                     manifest.value("start_year", 0), manifest.value("end_year", 0),
                     manifest.value("seed", std::uint64_t{0}), manifest.value("runs", 0));
  if (manifest.contains("question")) out << fmt::format("Question: {}\n", manifest.value("question", ""));
  out << fmt::format("Run: {} to {}\n\nIndicators\n", manifest.value("started", "?"), manifest.value("finished", "?"));
  for (const auto& row : indicators.value("indicators", nlohmann::json::array())) {
    const std::string year = row["year"].is_number() ? std::to_string(row["year"].get<int>()) : std::string();
    const std::string value =
        row["value"].is_number() ? fmt::format("{:.3f}", row["value"].get<double>()) : std::string("n/a");
    out << fmt::format("  {:<34} {:>4} {:>14} {:<6} {}\n", row.value("indicator_id", ""), year, value,
                       row.value("unit", ""), row.value("label_en", ""));
  }
  return 0;
}

}  // namespace

int run_info(const InfoOptions& options, std::ostream& out, std::ostream& /*err*/) {
  if (std::filesystem::is_directory(options.dataset) && std::filesystem::exists(options.dataset / "manifest.json")) {
    return run_info_bundle(options, out);
  }
  ProblemReporter problems;
  const plan::Plan plan =
      plan::load_plan(options.dataset, mapping_for(options.mapping, options.assume_crs), problems);
  const plan::Accounting accounting = plan::account(plan);
  if (options.json) {
    out << info_json(plan, accounting, problems).dump(2) << "\n";
  } else {
    print_info(out, plan, accounting, problems);
  }
  return 0;
}

namespace {

nlohmann::ordered_json problems_json(const std::vector<Problem>& problems) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& p : problems) list.push_back(nlohmann::ordered_json(problem_json(p)));
  return list;
}

std::size_t count_of(const std::vector<Problem>& problems, Severity severity) {
  std::size_t n = 0;
  for (const auto& p : problems) n += p.severity == severity ? 1 : 0;
  return n;
}

}  // namespace

int run_validate(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  nlohmann::ordered_json doc;
  doc["target"] = options.target.string();
  if (options.target.extension() == ".toml") {
    // The very preparation `parksim run` does (pipeline::check_scenario), so validate passes exactly what run
    // accepts: the plan and its problems, the grid, classes, drivers, demand (shares, zone ids, signs).
    const auto s = scenario::Scenario::load(options.target);
    const std::vector<Problem> problems = pipeline::check_scenario(s);
    const std::size_t errors = count_of(problems, Severity::error);
    const std::size_t warnings = count_of(problems, Severity::warning);
    if (!options.json) {
      for (const auto& p : problems) (p.severity == Severity::info ? out : err) << p.to_string() << "\n";
      out << fmt::format("{}: scenario '{}' is valid ({} file(s) in its extends chain); its data: {} error(s), {} "
                         "warning(s)\n",
                         options.target.string(), s.name(), s.files().size(), errors, warnings);
      return errors > 0 ? exit_code(ErrorCode::data) : 0;
    }
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& f : s.files()) files.push_back(f.string());
    doc["scenario"] = {{"name", s.name()},        {"files", std::move(files)}, {"valid", true},
                       {"errors", errors},        {"warnings", warnings},       {"problems", problems_json(problems)}};
    // What the plan dataset is, for programs that list runs by their data; its problems are among the scenario's.
    doc["dataset"] = nullptr;
    if (const auto dataset = s.get_path("geodata.path"); !dataset.empty()) {
      const auto mapping = s.get_text("geodata.mapping").empty() ? std::filesystem::path()
                                                                 : s.get_path("geodata.mapping");
      ProblemReporter again;
      const plan::Plan plan = plan::load_plan(dataset, mapping_for(mapping, s.get_text("geodata.crs")), again);
      doc["dataset"] = {{"path", plan.source},
                        {"crs", plan.crs},
                        {"parcels", plan.parcels.size()},
                        {"schematic_layers", plan.schematic_layers()}};
    }
    doc["ok"] = errors == 0;
    out << doc.dump(2) << "\n";
    return errors > 0 ? exit_code(ErrorCode::data) : 0;
  }
  ProblemReporter reporter;
  const plan::Plan plan =
      plan::load_plan(options.target, mapping_for(options.mapping, options.assume_crs), reporter);
  const std::vector<Problem> problems = reporter.sorted();
  const std::size_t errors = count_of(problems, Severity::error);
  const std::size_t warnings = count_of(problems, Severity::warning);
  if (options.json) {
    doc["dataset"] = {{"path", plan.source},
                      {"crs", plan.crs},
                      {"parcels", plan.parcels.size()},
                      {"schematic_layers", plan.schematic_layers()},
                      {"errors", errors},
                      {"warnings", warnings},
                      {"problems", problems_json(problems)}};
    doc["ok"] = errors == 0;
    out << doc.dump(2) << "\n";
  } else {
    for (const auto& p : problems) (p.severity == Severity::info ? out : err) << p.to_string() << "\n";
    out << fmt::format("{}: {} parcels, {} error(s), {} warning(s)\n", plan.source, plan.parcels.size(), errors,
                       warnings);
  }
  return errors > 0 ? exit_code(ErrorCode::data) : 0;
}

}  // namespace parksim::cli
