#pragma once
// Reading a person's answer to an ask or summary node: typed text or a clicked button, checked
// by the node's validator. Choices accept their number, id, label (any case) or extra words.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/definition.hpp"
#include "dialogs/message.hpp"

namespace okr::dialogs {

// The choices a node offers, numbered from 1 (yes/no questions get Yes / No by default).
std::vector<Choice> choices_of(const Node& node);

struct Answer {
  nlohmann::json value;  // what is stored in the node's variable
  std::string next;      // the chosen choice's `next`, when it has one
};

// nullopt when the text does not fit the node's validator.
std::optional<Answer> read_answer(const Node& node, std::string_view text);

// The first number in free text ("about 1,200 users" -> 1200, "40%" -> 40, "2.5k" -> 2500).
std::optional<double> first_number(std::string_view text);

}  // namespace okr::dialogs
