// Button clicks and modal submissions: a form body whose `payload` field holds JSON. Every body
// is read or refused, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "bot/slack/form.hpp"
#include "bot/slack/interactive.hpp"
#include "fuzz_check.hpp"

using namespace okr::bot::slack;

namespace {

void check(const ParsedInteraction& parsed) {
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    OKR_FUZZ_CHECK(!error->message.empty());
  }
  if (const auto* action = std::get_if<BlockAction>(&parsed)) {
    OKR_FUZZ_CHECK(action->inbound.action.has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // As a whole body, and as the JSON payload inside a well-formed body: the second reaches the
  // JSON reading that a broken form would stop early.
  check(parse_interaction(input));
  check(parse_interaction("payload=" + form_encode(input)));
  return 0;
}
