#pragma once
// application/x-www-form-urlencoded bodies (slash commands, interactivity): '&'-separated
// name=value pairs, '+' for space, %XX escapes.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace okr::bot::slack {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// nullopt when an escape is broken ("%G1", a lone "%").
std::optional<FormFields> parse_form(std::string_view body);

// The first value for `name`, nullopt when absent.
std::optional<std::string> form_value(const FormFields& fields, std::string_view name);

// Percent-encodes for a form body (tests build Slack-like requests with it).
std::string form_encode(std::string_view text);

}  // namespace okr::bot::slack
