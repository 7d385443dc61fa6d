#pragma once
// The dialog engine: one pure step per inbound message. No I/O and no clock of its own; the
// caller loads the instance and context, calls handle_turn, then persists the new instance,
// the effects and the messages in one transaction.
#include <optional>
#include <vector>

#include "dialogs/context.hpp"
#include "dialogs/definition.hpp"
#include "dialogs/effects.hpp"
#include "dialogs/instance.hpp"
#include "dialogs/message.hpp"

namespace okr::dialogs {

struct StepResult {
  std::optional<DialogInstance> instance;  // nullopt: no dialog active any more (delete state)
  std::vector<Outbound> messages;
  std::vector<Effect> effects;
};

// Begins `definition` at its start node.
StepResult begin(const DialogDefinition& definition, const Inbound& message,
                 const Context& context);

// Continues `instance` (of `definition`) with one message: an answer, a button click, or one
// of the words help / back / cancel / summary.
StepResult step(const DialogDefinition& definition, const DialogInstance& instance,
                const Inbound& message, const Context& context);

// The whole turn: continue the active dialog; else begin one by keyword (draft, checkin,
// reflect, setup); `okrs` lists the person's OKRs with progress; anything else gets a short
// help. Also closes a dialog idle longer than context.idle_days, and resumes (or politely
// restarts) a dialog whose definition changed version since it was saved.
StepResult handle_turn(const DialogCatalog& catalog, const std::optional<DialogInstance>& active,
                       const Inbound& message, const Context& context);

}  // namespace okr::dialogs
