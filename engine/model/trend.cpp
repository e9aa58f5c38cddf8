#include "model/trend.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "model/demand.hpp"

namespace parksim::model {

namespace {

constexpr AreaTrend kModels[] = {AreaTrend::linear, AreaTrend::exponential, AreaTrend::logistic, AreaTrend::markov};

// Least-squares slope of y on x.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = static_cast<double>(x.size());
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx > 0.0 ? sxy / sxx : 0.0;
}

double logit(double p) { return std::log(p / (1.0 - p)); }

}  // namespace

std::string_view to_string(AreaTrend model) noexcept {
  switch (model) {
    case AreaTrend::linear: return "linear";
    case AreaTrend::exponential: return "exponential";
    case AreaTrend::logistic: return "logistic";
    case AreaTrend::markov: return "markov";
  }
  return "linear";
}

std::optional<AreaTrend> area_trend_from(std::string_view text) noexcept {
  if (text == "trend") return AreaTrend::markov;
  for (const AreaTrend m : kModels) {
    if (to_string(m) == text) return m;
  }
  return std::nullopt;
}

AreaSeries area_series(const DatedMaps& maps, int class_count, const grid::Grid<std::uint8_t>* mask) {
  AreaSeries s;
  s.area_m2 = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(maps.size()), class_count);
  for (std::size_t m = 0; m < maps.size(); ++m) {
    s.years.push_back(maps[m].first);
    const grid::Grid<std::uint8_t>& g = *maps[m].second;
    const double cell_m2 = g.spec().cell_area_m2();
    for (std::int64_t i = 0; i < g.size(); ++i) {
      if ((mask != nullptr && (*mask)[i] == 0) || g[i] >= class_count) continue;
      s.area_m2(static_cast<Eigen::Index>(m), g[i]) += cell_m2;
    }
  }
  return s;
}

Eigen::MatrixXd project_areas(AreaTrend model, const DatedMaps& maps, int class_count,
                              const grid::Grid<std::uint8_t>* mask, const std::vector<double>& capacity_m2,
                              int end_year) {
  if (maps.size() < 2) {
    throw Error(ErrorCode::config, fmt::format("an area trend needs maps of at least two dates, got {}", maps.size()),
                Context{.key = "demand.method"});
  }
  const int last = maps.back().first;
  if (end_year <= last) {
    throw Error(ErrorCode::config, fmt::format("the projection must end after {}, got {}", last, end_year),
                Context{.key = "years.end"});
  }
  const AreaSeries series = area_series(maps, class_count, mask);
  const int horizon = end_year - last;
  const Eigen::Index n = static_cast<Eigen::Index>(series.years.size());
  Eigen::MatrixXd out(horizon, class_count);
  if (model == AreaTrend::markov) {
    const auto& [y0, before] = maps[maps.size() - 2];
    const TransitionMatrix tm = estimate_transitions(*before, *maps.back().second, class_count,
                                                     static_cast<double>(last - y0), mask);
    std::vector<std::string> names;
    for (int k = 0; k < class_count; ++k) names.push_back(fmt::format("class{}", k));
    const Eigen::VectorXd now = series.area_m2.row(n - 1).transpose();
    const DemandTable t = markov_demand(now, annualise(tm.probability, tm.years), names, last, end_year);
    const Eigen::MatrixXd cumulative = t.cumulative_m2();
    for (int y = 0; y < horizon; ++y) out.row(y) = now.transpose() + cumulative.row(y);
    return out;
  }
  std::vector<double> x;
  for (int year : series.years) x.push_back(static_cast<double>(year));
  for (int k = 0; k < class_count; ++k) {
    std::vector<double> a;
    for (Eigen::Index m = 0; m < n; ++m) a.push_back(series.area_m2(m, k));
    const double a_n = a.back();
    AreaTrend used = model;
    const bool positive = std::all_of(a.begin(), a.end(), [](double v) { return v > 0.0; });
    const double cap = static_cast<std::size_t>(k) < capacity_m2.size() ? capacity_m2[static_cast<std::size_t>(k)] : 0.0;
    if (used == AreaTrend::exponential && !positive) used = AreaTrend::linear;
    if (used == AreaTrend::logistic &&
        (!positive || !(cap > 0.0) || std::any_of(a.begin(), a.end(), [&](double v) { return v >= cap; }))) {
      used = AreaTrend::linear;
    }
    for (int y = 0; y < horizon; ++y) {
      const double dt = static_cast<double>(y + 1);
      double v = a_n;
      if (used == AreaTrend::linear) {
        v = a_n + slope(x, a) * dt;
      } else if (used == AreaTrend::exponential) {
        std::vector<double> la;
        for (double v0 : a) la.push_back(std::log(v0));
        v = a_n * std::exp(slope(x, la) * dt);
      } else {
        std::vector<double> lg;
        for (double v0 : a) lg.push_back(logit(v0 / cap));
        v = cap / (1.0 + (cap / a_n - 1.0) * std::exp(-slope(x, lg) * dt));
      }
      out(y, k) = std::max(0.0, v);
    }
  }
  return out;
}

AreaForecast forecast_areas(const DatedMaps& maps, int class_count, const grid::Grid<std::uint8_t>* mask,
                            const std::vector<double>& capacity_m2, std::optional<AreaTrend> model, int end_year) {
  AreaForecast f;
  const int last = maps.empty() ? 0 : maps.back().first;
  // Backtest: every model fitted without the last map, projected to its year.
  if (maps.size() >= 3) {
    const DatedMaps earlier(maps.begin(), maps.end() - 1);
    const AreaSeries truth = area_series(maps, class_count, mask);
    const Eigen::RowVectorXd observed = truth.area_m2.row(truth.area_m2.rows() - 1);
    for (const AreaTrend m : kModels) {
      const Eigen::MatrixXd p = project_areas(m, earlier, class_count, mask, capacity_m2, last);
      f.backtest_error_m2.emplace_back(m, 0.5 * (p.row(p.rows() - 1) - observed).cwiseAbs().sum());
    }
  }
  if (model) {
    f.model = *model;
    f.why = fmt::format("{} (as the scenario asks)", to_string(*model));
  } else if (f.backtest_error_m2.empty()) {
    f.model = AreaTrend::linear;
    f.why = "linear: with two maps every model passes through both, so none can be tested against a later map; "
            "linear is the extrapolation that assumes least";
  } else {
    const auto best = std::min_element(f.backtest_error_m2.begin(), f.backtest_error_m2.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    f.model = best->first;
    std::string errors;
    for (const auto& [m, e] : f.backtest_error_m2) {
      errors += fmt::format("{}{} {:.3f} km2", errors.empty() ? "" : ", ", to_string(m), e / 1e6);
    }
    f.why = fmt::format("{}: the smallest error projecting the map of {} from the earlier ones ({})",
                        to_string(f.model), last, errors);
  }
  f.area_m2 = project_areas(f.model, maps, class_count, mask, capacity_m2, end_year);
  for (int y = last + 1; y <= end_year; ++y) f.years.push_back(y);
  // Spread: the models' disagreement, and the chosen model's backtest error growing with the horizon.
  std::vector<Eigen::MatrixXd> all;
  for (const AreaTrend m : kModels) all.push_back(project_areas(m, maps, class_count, mask, capacity_m2, end_year));
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(f.area_m2.rows(), f.area_m2.cols());
  for (const auto& p : all) mean += p;
  mean /= static_cast<double>(all.size());
  Eigen::MatrixXd var = Eigen::MatrixXd::Zero(mean.rows(), mean.cols());
  for (const auto& p : all) var += (p - mean).cwiseAbs2();
  var /= static_cast<double>(all.size());
  if (!f.backtest_error_m2.empty()) {
    double chosen = 0.0;
    for (const auto& [m, e] : f.backtest_error_m2) {
      if (m == f.model) chosen = e;
    }
    const int interval = maps.back().first - maps[maps.size() - 2].first;
    for (Eigen::Index y = 0; y < var.rows(); ++y) {
      const double scaled = chosen * static_cast<double>(y + 1) / static_cast<double>(std::max(1, interval));
      var.row(y).array() += scaled * scaled / static_cast<double>(class_count);
    }
  }
  f.sd_m2 = var.cwiseSqrt();
  return f;
}

}  // namespace parksim::model
