#pragma once
// What the coach does with a message when no dialog is active: begin one by keyword, list the
// person's OKRs, explain an OKR idea, or offer a short help.
#include "dialogs/context.hpp"
#include "dialogs/definition.hpp"
#include "dialogs/engine.hpp"
#include "dialogs/message.hpp"

namespace okr::dialogs {

StepResult outside_dialog(const DialogCatalog& catalog, const Inbound& message,
                          const Context& context);

// The person's current OKRs with progress, change since the previous check-in and confidence.
Outbound my_okrs(const Context& context);

}  // namespace okr::dialogs
