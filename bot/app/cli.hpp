#pragma once
// The okr-coach command line: parse, load and validate the configuration, set up logging, run
// the chosen subcommand. Exit codes: 0 success (also --help, --version), 2 usage error, invalid
// configuration or start-up failure, 1 an unexpected internal error.
namespace okr::bot::app {

int run_cli(int argc, char** argv);

}  // namespace okr::bot::app
