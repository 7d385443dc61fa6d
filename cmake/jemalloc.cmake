# okr_link_jemalloc(TARGET): the service allocates with jemalloc (Debian's libjemalloc-dev).
#
# Why: an acknowledged Slack event is parsed on a network thread and its strings are freed on
# the inbox writer thread, and the answer goes the other way. glibc's per-thread caches do not
# serve that producer/consumer pattern: a third of the network threads' own time went to
# _int_malloc, _int_free and malloc_consolidate (perf, c=64). jemalloc's thread caches and
# arenas do; ingest at c=64 rose by about a tenth (bench/notes.md, session 9), for about 1.5 MB
# more idle RSS. Only the okr-coach binary links it: the test binaries need nothing of it, and
# sanitizer builds keep their own allocator (ASan and TSan intercept malloc themselves).
function(okr_link_jemalloc target)
  if(NOT OKR_JEMALLOC OR OKR_SANITIZER_FLAGS)
    return()
  endif()
  find_library(OKR_JEMALLOC_LIBRARY NAMES jemalloc)
  if(NOT OKR_JEMALLOC_LIBRARY)
    message(WARNING "jemalloc not found (Debian: libjemalloc-dev); okr-coach uses glibc's malloc. "
                    "Run deploy/install-deps.sh, or configure with -DOKR_JEMALLOC=OFF to silence this.")
    return()
  endif()
  # --no-as-needed: nothing names a jemalloc symbol directly, it replaces malloc and free, so
  # a linker dropping "unused" libraries must keep this one.
  target_link_libraries(${target} PRIVATE "-Wl,--push-state,--no-as-needed"
                        ${OKR_JEMALLOC_LIBRARY} "-Wl,--pop-state")
endfunction()
