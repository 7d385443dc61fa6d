#pragma once
// The dialog definitions shipped with the binary (config/dialogs/*.json, embedded at build
// time), so `okr-coach` works without the source tree. A dialogs_dir on disk overrides them.
#include <map>
#include <string>

namespace okr::config {

// Dialog name (file name without .json) -> the file's JSON text.
const std::map<std::string, std::string>& shipped_dialogs();

}  // namespace okr::config
