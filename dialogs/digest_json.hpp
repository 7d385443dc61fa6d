#pragma once
// The stable JSON form of a digest: the export other tools read (documented field by field in
// docs/digest.md). Fields are only ever added; every documented key is always present (null when
// there is no value), so a reader never has to guess whether a key was dropped.
#include <nlohmann/json.hpp>

#include "dialogs/digest.hpp"

namespace okr::dialogs {

inline constexpr int digest_json_version = 1;

nlohmann::json digest_json(const Digest& digest);

}  // namespace okr::dialogs
