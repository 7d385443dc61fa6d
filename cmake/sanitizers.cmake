# OKR_SANITIZE=address|thread: compile and link every target of ours with the sanitizer.
# -Og -g1 after the build type's own flags (the last -O and -g win). Measured on a 2-core machine
# (GCC 12, bot/http/server.cpp, idle): -O1 -g 19 s, -Og -g1 9 s under ASan (9.4 s and 6.1 s
# under TSan); halving the sanitizer builds is what lets CI run both suites. -Og still
# optimises enough that ThreadSanitizer's run does not crawl (as -O0 does) and keeps every frame a
# report needs; -g1 keeps function names and line tables, which is all a report prints.
if(OKR_SANITIZE STREQUAL "address")
  # Undefined behaviour traps (SIGILL), which AddressSanitizer reports with the stack, file and
  # line into the same log as its own findings. GCC 12's UBSan runtime otherwise prints to stderr
  # whatever log_path says, and a child's stderr is a pipe its test may never show.
  set(OKR_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
                          -fsanitize-undefined-trap-on-error -fno-omit-frame-pointer)
elseif(OKR_SANITIZE STREQUAL "thread")
  set(OKR_SANITIZER_FLAGS -fsanitize=thread)
  # ThreadSanitizer does not model standalone fences (GCC says so with -Wtsan, an error under
  # -Werror). Boost.Asio brackets every handler call with one although its queues already hand
  # handlers over under a mutex; BOOST_ASIO_DISABLE_FENCED_BLOCK drops that bracket, so TSan
  # checks the mutex hand-over it can see. Our own code uses no standalone fences.
  add_compile_definitions(BOOST_ASIO_DISABLE_FENCED_BLOCK)
elseif(NOT OKR_SANITIZE STREQUAL "")
  message(FATAL_ERROR "OKR_SANITIZE is '${OKR_SANITIZE}'; use address, thread or leave it empty")
endif()

# Reports from every process (test binaries and the okr-coach children they spawn with a clean
# environment) land here; tests/sanitizers/run_ctest.sh fails the run when any file appears.
set(OKR_SANITIZER_LOG_DIR "${PROJECT_BINARY_DIR}/sanitizer-logs")

if(OKR_SANITIZER_FLAGS)
  add_compile_options(${OKR_SANITIZER_FLAGS} -Og -g1)
  add_link_options(${OKR_SANITIZER_FLAGS})
  file(MAKE_DIRECTORY "${OKR_SANITIZER_LOG_DIR}")
endif()

# okr_sanitizer_defaults(TARGET): builds the sanitizer's default options (log path, halt on the
# first error, suppressions) into an executable, so a child started without our environment
# variables still reports where the test run looks. The environment variables still win.
function(okr_sanitizer_defaults target)
  if(NOT OKR_SANITIZER_FLAGS)
    return()
  endif()
  target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests/sanitizers/default_options.cpp)
  target_compile_definitions(${target} PRIVATE
    OKR_SANITIZER_LOG_DIR="${OKR_SANITIZER_LOG_DIR}"
    OKR_SANITIZER_SUPPRESSIONS_DIR="${PROJECT_SOURCE_DIR}/tests/sanitizers")
endfunction()
