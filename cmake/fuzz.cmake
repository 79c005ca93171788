# PTSIM_FUZZ=ON: build for fuzzing with clang's libFuzzer (tests/fuzz,
# tools/fuzz.sh). Every library gets coverage instrumentation for libFuzzer
# plus AddressSanitizer and UndefinedBehaviorSanitizer, so that a bad memory
# access or undefined behaviour is a crash the fuzzer reports; the
# fuzz_<target> binaries link libFuzzer's main. Needs clang and libFuzzer's
# runtime (Debian: clang, libclang-rt-14-dev). Use a build directory of its
# own: ./tools/fuzz.sh configures build-fuzz.
option(PTSIM_FUZZ "Build the libFuzzer harnesses of tests/fuzz (clang only)" OFF)
if(PTSIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PTSIM_FUZZ=ON needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
