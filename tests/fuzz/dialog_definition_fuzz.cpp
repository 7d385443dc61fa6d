// Dialog files are written by whoever runs the service, by hand: any text loads into a valid
// definition or a list of problems that each name what is wrong.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dialogs/definition.hpp"
#include "fuzz_check.hpp"

using namespace okr::dialogs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const DefinitionLoad load = parse_definition(text, "fuzz.json");
  bool has_error = false;
  for (const auto& problem : load.problems) {
    OKR_FUZZ_CHECK(!problem.message.empty());
    OKR_FUZZ_CHECK(!problem.describe().empty());
    has_error = has_error || problem.error;
  }
  OKR_FUZZ_CHECK(load.definition.has_value() != has_error);
  if (load.definition) {
    OKR_FUZZ_CHECK(load.definition->find(load.definition->start) != nullptr);
  }
  return 0;
}
