#include "cli/commands.hpp"

int main(int argc, char** argv) { return parksim::cli::main(argc, argv); }
