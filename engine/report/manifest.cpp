#include "report/manifest.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "core/error.hpp"

#ifndef PARKSIM_VERSION
#define PARKSIM_VERSION "unknown"
#endif

namespace parksim::report {

namespace fs = std::filesystem;

namespace {

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;

class Sha256 {
 public:
  Sha256() : m_context(EVP_MD_CTX_new()) {
    if (!m_context || EVP_DigestInit_ex(m_context.get(), EVP_sha256(), nullptr) != 1) {
      throw Error(ErrorCode::internal, "OpenSSL cannot start a SHA-256 digest");
    }
  }
  void update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(m_context.get(), data, size) != 1) {
      throw Error(ErrorCode::internal, "OpenSSL SHA-256 update failed");
    }
  }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_context.get(), digest.data(), &length) != 1) {
      throw Error(ErrorCode::internal, "OpenSSL SHA-256 final failed");
    }
    std::string out;
    for (unsigned int i = 0; i < length; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
  }

 private:
  DigestContext m_context;
};

nlohmann::ordered_json file_entry(const std::string& name, const fs::path& path) {
  nlohmann::ordered_json entry;
  entry["path"] = name;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw Error(ErrorCode::input, "cannot read the file size", Context{.path = path.string()});
  entry["size_bytes"] = static_cast<std::uint64_t>(size);
  entry["sha256"] = sha256_file(path);
  return entry;
}

// Regular files below `dir`, as "/"-separated relative paths, sorted (bytewise: the same on every machine).
std::vector<std::string> files_below(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(fs::relative(entry.path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string sha256_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::input, "cannot open the file to hash it", Context{.path = path.string()});
  Sha256 digest;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = in.gcount();
    if (got > 0) digest.update(buffer.data(), static_cast<std::size_t>(got));
  }
  if (in.bad()) throw Error(ErrorCode::input, "cannot read the file to hash it", Context{.path = path.string()});
  return digest.hex();
}

std::string sha256_text(std::string_view bytes) {
  Sha256 digest;
  digest.update(bytes.data(), bytes.size());
  return digest.hex();
}

std::string manifest_json(const RunResult& result, const fs::path& bundle_dir, const std::string& started,
                          const std::string& finished) {
  nlohmann::ordered_json m;
  m["parksim_version"] = PARKSIM_VERSION;
  m["scenario"] = result.scenario_name;
  m["question"] = result.question;
  m["description"] = result.description;
  m["seed"] = result.seed;
  m["runs"] = result.runs;
  m["threads"] = result.threads;
  m["start_year"] = result.start_year;
  m["end_year"] = result.end_year;
  m["key_years"] = result.key_years;
  m["started"] = started;
  m["finished"] = finished;
  // Wall-clock facts of the run live here only: every other file of the bundle is byte-identical for a seed.
  if (result.allocation) m["allocation_solve_seconds"] = result.allocation->solve_seconds;
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const auto& input : result.input_files) {
    const fs::path path(input);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& name : files_below(path)) inputs.push_back(file_entry((path / name).generic_string(), path / name));
    } else if (fs::is_regular_file(path, ec)) {
      inputs.push_back(file_entry(path.generic_string(), path));
    } else {
      throw Error(ErrorCode::input, "an input of the run is missing, so it cannot be hashed",
                  Context{.path = path.string()});
    }
  }
  m["inputs"] = std::move(inputs);
  nlohmann::ordered_json libraries = nlohmann::ordered_json::object();
  for (const auto& [name, version] : result.library_versions) libraries[name] = version;
  m["library_versions"] = std::move(libraries);
  // What the maps and the comparison need to read the bundle back: the classes of the rasters and what the input
  // layers rest on (the schematic-data caveat travels with the results).
  nlohmann::ordered_json classes = nlohmann::ordered_json::array();
  for (const auto& cls : result.classes) {
    classes.push_back({{"id", cls.id}, {"code", cls.raster_value()}, {"key", cls.key}, {"name_en", cls.name_en},
                       {"name_zh", cls.name_zh}, {"colour", cls.colour}, {"built", cls.built}, {"fixed", cls.fixed},
                       {"landuse_codes", cls.landuse_codes}});
  }
  m["classes"] = std::move(classes);
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& layer : result.plan.layers) {
    layers.push_back({{"name", layer.name}, {"features", layer.features}, {"schematic", layer.schematic},
                      {"surveyed", layer.surveyed}});
  }
  m["input_layers"] = std::move(layers);
  m["schematic_layers"] = result.plan.schematic_layers();
  m["effective_scenario"] = result.effective_scenario_toml;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& name : files_below(bundle_dir)) {
    if (name == "manifest.json") continue;
    files.push_back(file_entry(name, bundle_dir / name));
  }
  m["files"] = std::move(files);
  try {
    return m.dump(2) + "\n";
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::output, fmt::format("manifest.json: {}", e.what()));
  }
}

}  // namespace parksim::report
