#pragma once
// A dialog's variables are one JSON object; answers live at dotted paths ("kr.value") and
// prompts name them in braces ("Where is {kr.text} today?").
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace okr::dialogs {

// nullptr when the path does not exist.
const nlohmann::json* find_path(const nlohmann::json& root, std::string_view path);
nlohmann::json* find_path(nlohmann::json& root, std::string_view path);

// The string at `path`, or "" when there is none or it is not a string.
std::string text_at(const nlohmann::json& root, std::string_view path);

// Creates the objects along the way.
void assign_path(nlohmann::json& root, std::string_view path, nlohmann::json value);

// As a person would read it: strings as is, 0.7 not 0.700000, true as "yes", lists joined.
std::string as_text(const nlohmann::json& value);

// True for null, "" and empty lists: an answer not given yet.
bool is_blank(const nlohmann::json* value);

// Replaces each {path} with as_text of the first root that has it (else nothing).
std::string fill(std::string_view text, const nlohmann::json& first, const nlohmann::json& second);

// Lower case, trimmed, trailing punctuation dropped: how typed commands are compared.
std::string normalise(std::string_view text);

}  // namespace okr::dialogs
