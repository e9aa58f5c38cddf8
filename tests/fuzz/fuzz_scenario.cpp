// Scenario files with their extends chain. The input is one or two TOML texts: when it holds a line "#---", the
// part before it is written as base.toml in a private folder and the part after it is the scenario (which may say
// extends = "base.toml"), parsed as if it were that folder's scenario.toml; otherwise the whole input is the
// scenario. A parsed scenario is also written back as TOML and JSON and parsed again.
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_support.hpp"
#include "scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parksim;
  return fuzz::run_one([&] {
    std::string_view text = fuzz::as_text(data, size);
    const auto split = text.find("\n#---\n");
    static const std::filesystem::path dir = fuzz::private_folder("fuzz-scenario");
    {
      std::ofstream base(dir / "base.toml", std::ios::binary | std::ios::trunc);
      if (split != std::string_view::npos) base << text.substr(0, split);
    }
    if (split != std::string_view::npos) text = text.substr(split + 6);
    const scenario::Scenario s = scenario::Scenario::parse(text, dir / "scenario.toml");
    const std::string toml = s.to_toml();
    (void)s.to_json();
    (void)s.name();
    const scenario::Scenario again = scenario::Scenario::parse(toml, dir / "again.toml");
    if (again.to_toml() != toml) __builtin_trap();  // the effective scenario must read back as itself
  });
}
