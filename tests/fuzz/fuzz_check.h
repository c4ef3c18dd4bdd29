// What a fuzz target checks beyond "no crash": a property that must hold for every input.
// A broken one aborts, which libFuzzer (and the replay driver, through the sanitizer's report
// or the abort) counts as a failure, with the input saved.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)
