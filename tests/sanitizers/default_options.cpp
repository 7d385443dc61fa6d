// Sanitizer defaults built into okr-coach and every test binary of a sanitizer build
// (cmake/sanitizers.cmake). The integration tests start okr-coach with a clean environment,
// so ASAN_OPTIONS and friends would not reach it; these hooks do. Each report goes to a file
// under OKR_SANITIZER_LOG_DIR (the run fails when one exists) and stops the process at once, so
// the test that caused it fails too.
#ifndef OKR_SANITIZER_LOG_DIR
#error "built only through okr_sanitizer_defaults() in cmake/sanitizers.cmake"
#endif

#define OKR_SANITIZER_HOOK extern "C" __attribute__((visibility("default"), used)) const char*

#if defined(__SANITIZE_ADDRESS__)
OKR_SANITIZER_HOOK __asan_default_options() {
  return "log_path=" OKR_SANITIZER_LOG_DIR "/asan"
         ":halt_on_error=1:detect_leaks=1:strict_init_order=1:detect_stack_use_after_return=0"
         // Undefined behaviour traps (cmake/sanitizers.cmake); this turns the trap into a report.
         ":handle_sigill=1";
}

OKR_SANITIZER_HOOK __lsan_default_options() {
  return "suppressions=" OKR_SANITIZER_SUPPRESSIONS_DIR "/lsan.supp:print_suppressions=0";
}
#endif

#if defined(__SANITIZE_THREAD__)
OKR_SANITIZER_HOOK __tsan_default_options() {
  return "log_path=" OKR_SANITIZER_LOG_DIR "/tsan:halt_on_error=1:second_deadlock_stack=1"
         ":suppressions=" OKR_SANITIZER_SUPPRESSIONS_DIR "/tsan.supp:print_suppressions=0";
}
#endif
