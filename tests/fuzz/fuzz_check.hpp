#pragma once
// A property the fuzzed code must keep. A broken one aborts, which libFuzzer records as a crash
// with the input that caused it (a plain assert would vanish in an NDEBUG build).
#include <cstdio>
#include <cstdlib>

#define OKR_FUZZ_CHECK(condition)                                                      \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)
