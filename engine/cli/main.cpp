#include "cli/commands.hpp"
#include "core/allocator.hpp"

int main(int argc, char** argv) {
  parksim::tune_allocator();
  return parksim::cli::main(argc, argv);
}
