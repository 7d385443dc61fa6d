// The `schedule` office commands (see office_commands.hpp). Being written; registers nothing yet.
#include "bot/pipeline/office_commands.hpp"

namespace okr::bot::pipeline {

void add_schedule_commands(CommandTable& /*table*/) {}

}  // namespace okr::bot::pipeline
