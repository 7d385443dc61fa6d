// Slash commands and interactivity arrive as form bodies: any bytes must decode or be refused,
// and whatever we encode must decode back to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bot/slack/form.hpp"
#include "fuzz_check.hpp"

using namespace okr::bot::slack;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (const auto fields = parse_form(input)) {
    for (const auto& [name, value] : *fields) {
      OKR_FUZZ_CHECK(form_value(*fields, name).has_value());
      OKR_FUZZ_CHECK(value.size() <= input.size());
    }
  }

  const std::string body = "text=" + form_encode(input) + "&user_id=" + form_encode(input);
  const auto round_trip = parse_form(body);
  OKR_FUZZ_CHECK(round_trip.has_value());
  OKR_FUZZ_CHECK(round_trip->size() == 2);
  OKR_FUZZ_CHECK(form_value(*round_trip, "text") == std::string(input));
  return 0;
}
