#pragma once
// How a composed digest reads: plain text (terminal, notifications), markdown (docs, Teams text,
// e-mail) and the neutral message every channel renders (text + a progress table with at_risk).
#include <string>

#include "dialogs/digest.hpp"
#include "dialogs/message.hpp"

namespace okr::dialogs {

std::string digest_text(const Digest& digest);
std::string digest_markdown(const Digest& digest);
// The neutral message: digest_summary_text (headline, risk reasons, blockers, people) plus one
// progress-table row per key result.
Outbound digest_message(const Digest& digest);
std::string digest_summary_text(const Digest& digest);

// "45%"; "+12 pts" / "-5 pts" / "no change"; a key result's value as people read it.
std::string percent_text(double fraction);
std::string change_text(double change);
std::string digest_value_text(const DigestKeyResult& view);

}  // namespace okr::dialogs
