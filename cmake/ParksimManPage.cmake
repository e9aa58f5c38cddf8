# Script mode (cmake -P): the parksim(1) man page, made by Debian's help2man from `parksim --help` and
# `parksim --version`, with a COMMANDS section holding `parksim <command> --help` of every subcommand.
#
#   cmake -DPARKSIM=<parksim binary> -DHELP2MAN=<help2man> -DOUTPUT=<parksim.1> -DINCLUDE=<scratch .h2m file>
#         "-DCOMMANDS=run|info|..." -P ParksimManPage.cmake
cmake_minimum_required(VERSION 3.25)
string(REPLACE "|" ";" COMMANDS "${COMMANDS}")

set(text "[DESCRIPTION]\n")
string(APPEND text "parksim answers planners' questions about the expansion of the Zhongguancun Life Science Park: it "
  "simulates land use year by year, allocates land uses to parcels, measures the result against the plan and writes "
  "an output folder (results.gpkg, rasters, indicators, an HTML report with an interactive map, manifest.json).\n")
string(APPEND text "[COMMANDS]\n")
foreach(command IN LISTS COMMANDS)
  execute_process(COMMAND "${PARKSIM}" ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "`${PARKSIM} ${command} --help` failed (${rc})")
  endif()
  # roff: backslashes are escapes, and a line starting with '.' or ' is a request.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND text ".SS \"parksim ${command}\"\n.nf\n${help}.fi\n")
endforeach()
string(APPEND text "[FILES]\nAn output folder: results.gpkg, shp/, rasters/, indicators.csv and .json, report/index.html, "
  "manifest.json. Scenarios are TOML files (scenarios/*.toml, docs/scenario-format.md).\n")
file(WRITE "${INCLUDE}" "${text}")

execute_process(
  COMMAND "${HELP2MAN}" --no-info --section=1
          "--name=planning and simulation engine for the Zhongguancun Life Science Park expansion"
          "--include=${INCLUDE}" "--output=${OUTPUT}" "${PARKSIM}"
  RESULT_VARIABLE rc ERROR_VARIABLE errors)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc}): ${errors}")
endif()
