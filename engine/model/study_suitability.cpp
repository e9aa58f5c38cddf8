#include "model/study_suitability.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "grid/distance.hpp"
#include "grid/rasterize.hpp"
#include "model/suitability.hpp"

namespace parksim::model {

namespace {

grid::Grid<std::uint8_t> to_u8(const grid::Grid<float>& p, const grid::Grid<float>& factor) {
  grid::Grid<std::uint8_t> out(p.spec(), 0);
  for (std::int64_t i = 0; i < p.size(); ++i) {
    double v = p[i];
    if (factor.size() > 0) v *= factor[i];
    // At least 1/255 inside the study area: suitability orders the land, it does not forbid it (constraints,
    // phases and conversion rules do), so demand is met whenever land allows.
    v = std::clamp(v, 0.0, 1.0);
    out[i] = static_cast<std::uint8_t>(std::max<long>(1, std::lround(v * 255.0)));
  }
  return out;
}

}  // namespace

SuitabilityModels build_suitability(const SuitabilitySpec& spec, const study::Study& study, const DriverSet& drivers,
                                    ProblemReporter& problems) {
  const study::ClassTable& classes = study.classes;
  SuitabilityModels out;
  out.models.resize(static_cast<std::size_t>(classes.count()));
  if (spec.mode == "given") {
    for (const auto& g : spec.given) {
      const int k = classes.find(g.class_key);
      if (k < 0) {
        throw Error(ErrorCode::config,
                    fmt::format("no class '{}' (classes: {})", g.class_key, fmt::join(classes.keys(), ", ")), g.where);
      }
      if (!g.model_file.empty()) {
        BoostedTrees trees = BoostedTrees::load(g.model_file);
        for (const auto& d : trees.names()) {
          if (!drivers.find(d)) {
            throw Error(ErrorCode::config,
                        fmt::format("the model {} reads driver '{}', which the scenario does not declare "
                                    "([drivers.{}])",
                                    g.model_file.string(), d, d),
                        g.where);
          }
        }
        out.models[static_cast<std::size_t>(k)] = std::move(trees);
        continue;
      }
      std::vector<std::string> names;
      std::vector<double> coef{g.intercept};
      for (const auto& [d, value] : g.coefficients) {
        const auto hinge = parse_hinge(d);
        if (!drivers.find(hinge ? hinge->first : d)) {
          Context where = g.where;
          where.key += "." + d;
          throw Error(ErrorCode::config,
                      fmt::format("no driver '{}' (drivers: {}); declare it under [drivers.{}]", d,
                                  fmt::join(drivers.names(), ", "), d),
                      where);
        }
        names.push_back(d);
        coef.push_back(value);
      }
      out.models[static_cast<std::size_t>(k)] = LogisticModel::from_raw_coefficients(names, coef);
    }
    for (const auto& c : classes.classes()) {
      if (c.built && !out.models[static_cast<std::size_t>(c.id)]) {
        problems.report(Severity::info, "suitability.uniform",
                        fmt::format("no coefficients for class '{}': its suitability is uniform", c.key),
                        Context{.key = "suitability.coefficients"});
      }
    }
    return out;
  }
  const std::string mode = spec.mode == "auto" ? (study.maps.size() >= 2 ? "fit" : "prior") : spec.mode;
  if (mode == "prior") {
    if (spec.prior.empty()) {
      problems.report(Severity::info, "suitability.uniform",
                      "no prior weight is given ([suitability.prior.<driver>]): every class's suitability is uniform",
                      Context{.key = "suitability.prior"});
      return out;
    }
    std::vector<std::string> names;
    Eigen::VectorXd coef(static_cast<Eigen::Index>(spec.prior.size() + 1));
    Eigen::VectorXd mean(static_cast<Eigen::Index>(spec.prior.size()));
    Eigen::VectorXd sd(static_cast<Eigen::Index>(spec.prior.size()));
    coef(0) = spec.prior_intercept;
    for (std::size_t j = 0; j < spec.prior.size(); ++j) {
      const auto& w = spec.prior[j];
      const auto d = drivers.find(w.driver);
      if (!d) {
        throw Error(ErrorCode::config,
                    fmt::format("no driver '{}' (drivers: {}); declare it under [drivers.{}] and list it in "
                                "suitability.drivers",
                                w.driver, fmt::join(drivers.names(), ", "), w.driver),
                    w.where);
      }
      if (w.source.empty()) {
        throw Error(ErrorCode::config,
                    fmt::format("the prior weight of '{}' has no source: say where it comes from, or write "
                                "source = \"ASSUMPTION: ...\"",
                                w.driver),
                    w.where);
      }
      names.push_back(w.driver);
      const auto jj = static_cast<Eigen::Index>(j);
      coef(jj + 1) = w.weight;
      mean(jj) = drivers.mean(*d);
      // A driver constant over the study area has no effect (as in a fit).
      sd(jj) = drivers.sd(*d) > 0.0 ? drivers.sd(*d) : 1.0;
    }
    LogisticModel model = LogisticModel::from_raw_coefficients(names, std::vector<double>(coef.data(), coef.data() + coef.size()));
    model.driver_mean = mean;
    model.driver_sd = sd;
    for (const auto& c : classes.classes()) {
      if (c.built) out.models[static_cast<std::size_t>(c.id)] = model;
    }
    problems.report(Severity::info, "suitability.prior",
                    fmt::format("suitability of every built class from the prior weights per sd ({})",
                                fmt::join([&] {
                                  std::vector<std::string> parts;
                                  for (const auto& w : spec.prior) parts.push_back(fmt::format("{} {:+g}", w.driver, w.weight));
                                  return parts;
                                }(), ", ")),
                    Context{.key = "suitability.prior"});
    return out;
  }
  if (mode != "fit") {
    throw Error(ErrorCode::config, fmt::format("unknown suitability mode \"{}\" (auto, fit, prior, given)", spec.mode),
                spec.where);
  }
  if (study.maps.size() < 2) {
    throw Error(ErrorCode::config,
                fmt::format("suitability.mode = \"fit\" needs two or more dated land-use maps to learn where classes "
                            "appeared, and the study has {}; with one map give a prior (mode = \"prior\" with "
                            "[suitability.prior.<driver>] weight and source) or coefficients calibrated on a map series "
                            "(mode = \"given\", see parksim calibrate)",
                            study.maps.size()),
                spec.where);
  }
  // Fit: where each built class appeared between the two latest maps, against the cells that could have become it
  // and did not, balanced sample.
  if (drivers.size() == 0) {
    problems.report(Severity::warning, "suitability.no_drivers",
                    "no driver is declared ([drivers.<name>]): every class's suitability is uniform",
                    Context{.key = "drivers"});
    return out;
  }
  const grid::Grid<std::uint8_t>& before = study.maps[study.maps.size() - 2].classes;
  const grid::Grid<std::uint8_t>& after = study.maps.back().classes;
  TrainingSampleParams sample_params;
  sample_params.cells_per_group = spec.sample_cells;
  sample_params.seed = spec.seed;
  LogisticFitOptions fit;
  fit.l2_lambda = spec.l2_lambda;
  for (const auto& c : classes.classes()) {
    if (!c.built) continue;
    const auto sample = sample_training_cells(before, after, static_cast<std::uint8_t>(c.id), &study.area,
                                              sample_params);
    if (sample.changed_available == 0) {
      problems.report(Severity::info, "suitability.uniform",
                      fmt::format("class '{}' did not appear between the maps of {} and {}: its suitability is uniform",
                                  c.key, study.maps[study.maps.size() - 2].year, study.maps.back().year),
                      Context{.key = spec.where.key});
      continue;
    }
    try {
      auto f = fit_suitability(drivers, sample, fit);
      if (!f.model.converged) {
        problems.report(Severity::warning, "suitability.not_converged",
                        fmt::format("logistic fit of class '{}' stopped after {} iterations without converging", c.key,
                                    f.model.iterations),
                        Context{.key = spec.where.key});
      }
      problems.report(Severity::info, "suitability.fit",
                      fmt::format("class '{}': {} training cells, in-sample AUC {:.3f}", c.key, f.model.sample_count,
                                  f.training_auc),
                      Context{.key = spec.where.key});
      out.models[static_cast<std::size_t>(c.id)] = std::move(f.model);
    } catch (const Error& e) {
      problems.report(Severity::warning, "suitability.uniform",
                      fmt::format("class '{}' could not be fitted ({}): its suitability is uniform", c.key, e.what()),
                      Context{.key = spec.where.key});
    }
  }
  return out;
}

grid::Grid<float> priority_factor(const plan::Plan& plan, const grid::GridSpec& spec, const std::string& tier,
                                  double bonus, double radius_m) {
  if (tier.empty() || bonus <= 0.0) return {};
  std::vector<grid::Point> points;
  for (const auto& b : plan.bases) {
    if (b.kind != tier) continue;
    const auto env = b.geometry.envelope();
    points.push_back({(env.min_x + env.max_x) / 2.0, (env.min_y + env.max_y) / 2.0});
  }
  if (points.empty()) return {};
  grid::Grid<std::uint8_t> mask(spec, 0);
  grid::rasterize_points(mask, points, 1);
  grid::Grid<float> d = grid::distance_m(mask);
  for (std::int64_t i = 0; i < d.size(); ++i) {
    d[i] = static_cast<float>(1.0 + bonus * std::max(0.0, 1.0 - static_cast<double>(d[i]) / radius_m));
  }
  return d;
}

std::vector<std::string> SuitabilityModels::terms() const {
  std::vector<std::string> out;
  for (const auto& m : models) {
    if (!m) continue;
    for (const auto& t : terms_of(*m)) {
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
  }
  return out;
}

std::vector<std::string> SuitabilityModels::drivers() const {
  std::vector<std::string> out;
  for (const auto& t : terms()) {
    const auto hinge = parse_hinge(t);
    const std::string d = hinge ? hinge->first : t;
    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  }
  return out;
}

std::vector<grid::Grid<std::uint8_t>> suitability_grids(const SuitabilityModels& models, DriverSet& drivers,
                                                        const grid::Grid<std::uint8_t>& area,
                                                        const grid::Grid<float>& factor) {
  const std::vector<std::string> terms = models.terms();
  drivers.add_terms(terms);
  std::vector<grid::Grid<std::uint8_t>> out(models.models.size());
  for (std::size_t k = 0; k < models.models.size(); ++k) {
    if (!models.models[k]) continue;
    out[k] = to_u8(potential_map(drivers, *models.models[k], &area), factor);
  }
  return out;
}

}  // namespace parksim::model
