// What follows `/okr schedule` is free text: it is read into a schedule or answered with the
// accepted forms, and a read one-off date is compared with now in a real zone without a crash.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "dialogs/schedule_text.hpp"
#include "fuzz_check.hpp"

using namespace okr::dialogs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_schedule_text(text);
  if (const auto* error = std::get_if<ScheduleTextError>(&parsed)) {
    OKR_FUZZ_CHECK(!error->message.empty());
    return 0;
  }
  const auto& request = std::get<ScheduleRequest>(parsed);
  const TimePoint now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25};
  (void)check_not_in_past(request, "Europe/Berlin", now);
  (void)check_not_in_past(request, "Pacific/Kiritimati", now);
  return 0;
}
