# Fails when a source file breaks one of the two structural rules of ptsim:
#
# 1. Layers depend only downward: tools and bench -> sim/harness -> fakes -> sim/model -> sim/core.
#    A file may include project headers from its own layer or a lower one.
# 2. Only sim/core reads the wall clock or sleeps: everything else asks the
#    event loop for virtual time. (tools/ptsim-worker is a separate program that
#    plays a trainer; it may sleep. bench/ measures wall time on purpose.) A line
#    that must break the rule says why in a `wall-clock-ok:` comment.
#
# Run as: cmake -DSOURCE_DIR=<repo> -P cmake/check_layering.cmake

set(layer_sim/core 0)
set(layer_sim/model 1)
set(layer_fakes 2)
set(layer_sim/harness 3)
set(layer_tools 4)
set(layer_bench 4)

function(layer_of path out)
  foreach(prefix sim/core sim/model fakes sim/harness tools bench)
    string(LENGTH "${prefix}/" n)
    string(SUBSTRING "${path}" 0 ${n} head)
    if(head STREQUAL "${prefix}/")
      set(${out} ${layer_${prefix}} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} -1 PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/sim/*.hpp ${SOURCE_DIR}/sim/*.cpp
  ${SOURCE_DIR}/fakes/*.hpp ${SOURCE_DIR}/fakes/*.cpp
  ${SOURCE_DIR}/tools/*.hpp ${SOURCE_DIR}/tools/*.cpp)

set(errors "")
foreach(src IN LISTS sources)
  layer_of("${src}" own)
  file(STRINGS ${SOURCE_DIR}/${src} includes REGEX "^#include \"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${line}")
    layer_of("${header}" theirs)
    if(theirs GREATER own)
      string(APPEND errors "  ${src} includes ${header}, a layer above its own\n")
    endif()
  endforeach()
  string(SUBSTRING "${src}" 0 9 head)
  string(FIND "${src}" "tools/ptsim-worker/" is_worker)
  if(NOT head STREQUAL "sim/core/" AND NOT is_worker EQUAL 0)
    file(STRINGS ${SOURCE_DIR}/${src} clock_uses REGEX "steady_clock::now|system_clock|sleep_for|usleep\\(|[^_]sleep\\(")
    foreach(use IN LISTS clock_uses)
      string(STRIP "${use}" use)
      # A justified exception carries the marker `wall-clock-ok:` and a reason.
      string(FIND "${use}" "wall-clock-ok:" justified)
      if(NOT justified EQUAL -1)
        continue()
      endif()
      string(APPEND errors "  ${src} reads the wall clock or sleeps outside sim/core: ${use}\n")
    endforeach()
  endif()
endforeach()

if(errors)
  message(FATAL_ERROR "Layering check failed:\n${errors}")
endif()
