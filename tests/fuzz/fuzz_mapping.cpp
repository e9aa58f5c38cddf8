// Field-mapping files (scenario/mapping.hpp): any bytes as the mapping TOML.
#include "fuzz_support.hpp"
#include "scenario/mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parksim;
  return fuzz::run_one([&] {
    const plan::FieldMapping m = scenario::parse_mapping(fuzz::as_text(data, size), "/fuzz/mapping.toml");
    (void)m;
  });
}
