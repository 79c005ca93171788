# Sanitizer builds. Included by the top-level CMakeLists.txt before
# any target is defined, so that every library, program and test of the tree is
# instrumented alike (a sanitizer must see the whole program to be sound).
#
#   -DPTSIM_SANITIZE=address,undefined   ASan + UBSan (+ LSan), what CI runs with clang
#   -DPTSIM_SANITIZE=thread              TSan (CI builds only the threaded targets)
#   (fuzzing builds, -DPTSIM_FUZZ=ON, are cmake/fuzz.cmake's)
#
# Every sanitizer report is fatal (-fno-sanitize-recover=all): a test that
# triggers one fails. tools/test.sh sets the runtime options (ASAN_OPTIONS,
# UBSAN_OPTIONS, TSAN_OPTIONS) for its runs; docs/reliability.md says why.

set(PTSIM_SANITIZE "" CACHE STRING
  "Comma-separated -fsanitize= list for the whole tree (e.g. address,undefined or thread); empty for none")

# The build type for sanitizer trees: -O1 (the optimisation level the
# sanitizers are tuned for: fast enough, exact reports), line tables only for
# symbolized stacks, and assertions ON (nlohmann_json's JSON_ASSERT catches the
# undefined behaviour of reading a missing key through a const operator[]).
# (project() creates the cache entry, empty, when the build type is Sanitize.)
if(NOT CMAKE_CXX_FLAGS_SANITIZE)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(_ptsim_sanitize_flags "-O1 -gline-tables-only")
  else()
    set(_ptsim_sanitize_flags "-O1 -g1")
  endif()
  set(CMAKE_CXX_FLAGS_SANITIZE "${_ptsim_sanitize_flags}" CACHE STRING
    "Flags of the Sanitize build type" FORCE)
endif()

# Which linker (-fuse-ld=): lld and gold link the large test executables of a
# sanitizer tree several times faster than bfd.
set(PTSIM_LINKER "" CACHE STRING "Linker for -fuse-ld= (lld, gold); empty for the compiler's default")
if(PTSIM_LINKER)
  add_link_options(-fuse-ld=${PTSIM_LINKER})
endif()

if(PTSIM_SANITIZE)
  if(PTSIM_SANITIZE MATCHES "thread" AND PTSIM_SANITIZE MATCHES "address")
    message(FATAL_ERROR "PTSIM_SANITIZE=${PTSIM_SANITIZE}: ThreadSanitizer cannot be combined with "
                        "AddressSanitizer; configure a separate build directory for each")
  endif()
  add_compile_options(-fsanitize=${PTSIM_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${PTSIM_SANITIZE})
  # Compiled into every object so that code (and tests) can tell, e.g. to
  # scale wall-clock budgets of real processes: PTSIM_SANITIZED=1.
  add_compile_definitions(PTSIM_SANITIZED=1)
endif()
