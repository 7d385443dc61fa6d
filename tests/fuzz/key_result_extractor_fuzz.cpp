// The drafter reads whatever a person types for "how will you know?": split into candidates,
// each read for numbers, units, direction and deadline, then linted. Any text, no crash, and
// every number it finds is a real number.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/drafter.hpp"
#include "dialogs/linter.hpp"
#include "fuzz_check.hpp"

using namespace okr::dialogs;

namespace {

bool finite_or_absent(const std::optional<double>& value) {
  return !value || std::isfinite(*value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view answer(reinterpret_cast<const char*>(data), size);
  std::vector<KeyResultDraft> drafts;
  for (const auto& candidate : split_key_result_candidates(answer)) {
    KeyResultDraft draft = parse_key_result(candidate);
    OKR_FUZZ_CHECK(finite_or_absent(draft.baseline));
    OKR_FUZZ_CHECK(finite_or_absent(draft.target));
    if (draft.relative_change || draft.absolute_change) {
      draft = with_baseline(std::move(draft), 40.0);
    }
    drafts.push_back(std::move(draft));
  }
  (void)amount_in_answer(answer);
  const std::string objective = objective_from_answer(answer);
  (void)lint_okr(objective, drafts, ProgramSettings{});
  return 0;
}
