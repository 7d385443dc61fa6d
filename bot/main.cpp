// okr-coach: everything lives in the okr_bot library so tests can link the real parts; the
// command line starts in bot/app/cli.cpp and the subcommands are listed in bot/app/commands.cpp.
#include "bot/app/cli.hpp"

int main(int argc, char** argv) {
  return okr::bot::app::run_cli(argc, argv);
}
