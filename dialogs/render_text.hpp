#pragma once
// Plain-text rendering of an Outbound message: what `okr-coach chat` prints and the fallback
// text for any channel. Choices become numbered options so they can be typed.
#include <string>

#include "dialogs/message.hpp"

namespace okr::dialogs {

std::string render_text(const Outbound& message);

}  // namespace okr::dialogs
