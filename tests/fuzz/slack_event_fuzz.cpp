// Events API bodies come from anyone who can reach the URL until the signature is checked, and
// from Slack in shapes we have not seen after it: every body is read or refused, never a crash,
// and read the same as nlohmann::json's tree reads it.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "bot/slack/event_fields.hpp"
#include "bot/slack/events.hpp"
#include "fuzz_check.hpp"
#include "tests/support/event_fields_reference.hpp"

using namespace okr::bot::slack;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const OwnIdentity self{"U0BOT", "B0BOT"};
  const auto parsed = parse_event(body, self);
  if (const auto* dm = std::get_if<DirectMessage>(&parsed)) {
    // A turn needs its dedupe key and someone to answer.
    OKR_FUZZ_CHECK(!dm->envelope.event_id.empty());
    OKR_FUZZ_CHECK(dm->inbound.user != self.bot_user_id);
  }
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    OKR_FUZZ_CHECK(!error->message.empty());
  }
  // The one-pass reader reads every body as nlohmann::json's tree does (duplicates, wrong
  // types, nesting), so it can refuse or accept nothing the tree would not.
  OKR_FUZZ_CHECK(okr::test::same_event_fields(read_event_body(body),
                                              okr::test::event_fields_from_tree(body)));
  return 0;
}
