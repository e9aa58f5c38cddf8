// BoostedTrees over XGBoost's C API (the only file that includes it).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include "core/error.hpp"
#include "model/boosted.hpp"

namespace parksim::model {

namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw Error(ErrorCode::internal, fmt::format("XGBoost: {}: {}", what, XGBGetLastError()));
}

struct DMatrix {
  DMatrixHandle h = nullptr;
  ~DMatrix() {
    if (h != nullptr) XGDMatrixFree(h);
  }
};

struct Booster {
  BoosterHandle h = nullptr;
  ~Booster() {
    if (h != nullptr) XGBoosterFree(h);
  }
};

// Row-major float copy of x.
std::vector<float> rows_of(const Eigen::MatrixXd& x) {
  std::vector<float> out(static_cast<std::size_t>(x.rows() * x.cols()));
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    for (Eigen::Index c = 0; c < x.cols(); ++c) out[static_cast<std::size_t>(r * x.cols() + c)] = static_cast<float>(x(r, c));
  }
  return out;
}

}  // namespace

struct BoostedTrees::Handle {
  BoosterHandle h = nullptr;
  ~Handle() {
    if (h != nullptr) XGBoosterFree(h);
  }
};

BoostedTrees BoostedTrees::from_json(std::string_view json, const std::string& what) {
  BoostedTrees out;
  auto handle = std::make_shared<Handle>();
  check(XGBoosterCreate(nullptr, 0, &handle->h), "create");
  if (XGBoosterLoadModelFromBuffer(handle->h, json.data(), static_cast<bst_ulong>(json.size())) != 0) {
    throw Error(ErrorCode::data, fmt::format("not a boosted-trees model XGBoost can read: {}", XGBGetLastError()),
                Context{.path = what});
  }
  check(XGBoosterSetParam(handle->h, "nthread", "1"), "nthread");
  bst_ulong n = 0;
  const char** names = nullptr;
  check(XGBoosterGetStrFeatureInfo(handle->h, "feature_name", &n, &names), "feature names");
  for (bst_ulong i = 0; i < n; ++i) out.m_names.emplace_back(names[i]);
  if (out.m_names.empty()) {
    throw Error(ErrorCode::data, "the boosted-trees model names no driver (feature_name)", Context{.path = what});
  }
  out.m_json = std::string(json);
  out.m_handle = std::move(handle);
  return out;
}

BoostedTrees BoostedTrees::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::input, "cannot read the model file", Context{.path = path.string()});
  std::ostringstream text;
  text << in.rdbuf();
  return from_json(text.str(), path.string());
}

Eigen::VectorXd BoostedTrees::predict(const Eigen::MatrixXd& x) const {
  if (x.cols() != static_cast<Eigen::Index>(m_names.size())) {
    throw Error(ErrorCode::internal, "boosted trees: wrong number of columns");
  }
  Eigen::VectorXd out(x.rows());
  if (x.rows() == 0) return out;
  const std::vector<float> values = rows_of(x);
  DMatrix d;
  check(XGDMatrixCreateFromMat(values.data(), static_cast<bst_ulong>(x.rows()), static_cast<bst_ulong>(x.cols()),
                               std::numeric_limits<float>::quiet_NaN(), &d.h),
        "matrix");
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDMatrix(m_handle->h, d.h,
                                    R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})",
                                    &shape, &dim, &result),
        "predict");
  for (Eigen::Index r = 0; r < x.rows(); ++r) out[r] = result[r];
  return out;
}

grid::Grid<float> BoostedTrees::predict(const DriverSet& drivers, const grid::Grid<std::uint8_t>* mask) const {
  if (mask) grid::require_same_spec(drivers.spec(), mask->spec(), "boosted trees mask");
  std::vector<std::int64_t> cells;
  for (std::int64_t i = 0; i < drivers.spec().cell_count(); ++i) {
    if (mask == nullptr || (*mask)[i] != 0) cells.push_back(i);
  }
  grid::Grid<float> out(drivers.spec(), 0.0F);
  // In blocks, so the float matrix XGBoost reads stays small.
  constexpr std::size_t kBlock = 1 << 16;
  for (std::size_t start = 0; start < cells.size(); start += kBlock) {
    const std::size_t end = std::min(cells.size(), start + kBlock);
    const std::span<const std::int64_t> block(cells.data() + start, end - start);
    const Eigen::VectorXd p = predict(drivers.sample(block, m_names));
    for (std::size_t i = 0; i < block.size(); ++i) out[block[i]] = static_cast<float>(p[static_cast<Eigen::Index>(i)]);
  }
  return out;
}

std::vector<double> BoostedTrees::gain_shares() const {
  bst_ulong n = 0, dim = 0;
  const char** features = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  check(XGBoosterFeatureScore(m_handle->h, R"({"importance_type": "total_gain"})", &n, &features, &dim, &shape, &scores),
        "feature score");
  std::vector<double> out(m_names.size(), 0.0);
  double total = 0.0;
  for (bst_ulong i = 0; i < n; ++i) {
    const auto it = std::find(m_names.begin(), m_names.end(), std::string(features[i]));
    if (it == m_names.end()) continue;
    out[static_cast<std::size_t>(it - m_names.begin())] = scores[i];
    total += scores[i];
  }
  if (total > 0.0) {
    for (auto& v : out) v /= total;
  }
  return out;
}

BoostedTrees fit_boosted(const Eigen::MatrixXd& x, std::span<const std::uint8_t> y, std::vector<std::string> names,
                         const BoostedOptions& options) {
  if (static_cast<std::size_t>(x.rows()) != y.size() || static_cast<std::size_t>(x.cols()) != names.size()) {
    throw Error(ErrorCode::internal, "boosted trees: sample sizes differ");
  }
  const bool any = std::any_of(y.begin(), y.end(), [](std::uint8_t v) { return v != 0; });
  const bool all = std::all_of(y.begin(), y.end(), [](std::uint8_t v) { return v != 0; });
  if (!any || all) throw Error(ErrorCode::data, "the training sample has one class only: nothing to learn");
  const std::vector<float> values = rows_of(x);
  DMatrix d;
  check(XGDMatrixCreateFromMat(values.data(), static_cast<bst_ulong>(x.rows()), static_cast<bst_ulong>(x.cols()),
                               std::numeric_limits<float>::quiet_NaN(), &d.h),
        "matrix");
  std::vector<float> labels(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) labels[i] = y[i] != 0 ? 1.0F : 0.0F;
  check(XGDMatrixSetFloatInfo(d.h, "label", labels.data(), static_cast<bst_ulong>(labels.size())), "labels");
  std::vector<const char*> cnames;
  for (const auto& n : names) cnames.push_back(n.c_str());
  Booster handle;
  check(XGBoosterCreate(&d.h, 1, &handle.h), "create");
  auto param = [&](const char* key, const std::string& value) { check(XGBoosterSetParam(handle.h, key, value.c_str()), key); };
  param("objective", "binary:logistic");
  param("tree_method", "hist");
  param("nthread", "1");
  param("seed", std::to_string(options.seed % 2147483647ULL));
  param("max_depth", std::to_string(options.max_depth));
  param("eta", fmt::format("{}", options.learning_rate));
  param("subsample", fmt::format("{}", options.subsample));
  param("colsample_bytree", fmt::format("{}", options.colsample));
  param("min_child_weight", fmt::format("{}", options.min_child_weight));
  param("verbosity", "0");
  check(XGBoosterSetStrFeatureInfo(handle.h, "feature_name", cnames.data(), static_cast<bst_ulong>(cnames.size())),
        "feature names");
  for (int i = 0; i < options.rounds; ++i) check(XGBoosterUpdateOneIter(handle.h, i, d.h), "update");
  bst_ulong length = 0;
  const char* bytes = nullptr;
  check(XGBoosterSaveModelToBuffer(handle.h, R"({"format": "json"})", &length, &bytes), "save");
  return BoostedTrees::from_json(std::string_view(bytes, length), "(trained)");
}

}  // namespace parksim::model
