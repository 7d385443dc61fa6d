#pragma once
// A person's own data as the export document (docs/data-rights.md), for any channel that can
// hand over a whole file: the web page's /web/api/export and the terminal. `/okr export` in a
// chat sends the same document in message-sized parts (data_rights_commands.cpp).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "dialogs/domain.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::pipeline {

// The document of the person known as (platform, workspace, user); nullopt when the coach has
// never stored anything about them.
std::optional<nlohmann::json> personal_export(storage::Database& db, const std::string& platform,
                                              const std::string& workspace, const std::string& user,
                                              dialogs::TimePoint now);

// `text` cut into pieces of at most `limit` bytes, at line breaks where a line break is in the
// second half of the piece, never inside a UTF-8 sequence. Joined in order they give `text`.
std::vector<std::string> split_for_messages(const std::string& text, std::size_t limit);

}  // namespace okr::bot::pipeline
