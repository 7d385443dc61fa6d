// okr-coach: everything lives in the okr_bot library so tests can link the real parts; the
// command line starts in bot/app/cli.cpp and the subcommands are listed in bot/app/commands.cpp.
#include "bot/app/cli.hpp"

// jemalloc's settings, read when it starts (cmake/jemalloc.cmake links it; without it this is
// an unused string). One arena instead of four per core and thread caches for blocks up to
// 1 KB only: idle RSS 20.2 -> 19.5 MB with the same ingest rate (bench/notes.md, session 9),
// because our allocations are small and few threads are busy at once. MALLOC_CONF still wins.
extern "C" {
// The name and type are jemalloc's interface.
const char* malloc_conf = "narenas:1,tcache_max:1024";
}

int main(int argc, char** argv) {
  return okr::bot::app::run_cli(argc, argv);
}
