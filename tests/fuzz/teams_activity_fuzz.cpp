// Bot Framework activities, read after the JWT is checked but still shaped by whatever a Teams
// client put in them: each body is read or refused with ActivityError, nothing else escapes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bot/teams/activity.hpp"
#include "fuzz_check.hpp"

using namespace okr::bot::teams;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  try {
    const TeamsActivity activity = parse_activity(body);
    // What the runtime relies on: a dedupe key, somewhere to answer, someone to answer.
    OKR_FUZZ_CHECK(!activity.id.empty());
    OKR_FUZZ_CHECK(!activity.service_url.empty());
    OKR_FUZZ_CHECK(!activity.message.user.empty());
    OKR_FUZZ_CHECK(!activity.tenant_id.empty());
  } catch (const ActivityError& refused) {
    OKR_FUZZ_CHECK(refused.what()[0] != '\0');
  }

  // The mention stripper sees the text with any name a person picks.
  const auto half = body.size() / 2;
  (void)strip_mention(body.substr(0, half), body.substr(half));
  return 0;
}
