#include "bot/pipeline/office_commands.hpp"

#include <algorithm>
#include <cctype>

namespace okr::bot::pipeline {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

}  // namespace

void CommandTable::add(std::string word, CommandHandler handler) {
  handlers_[lower(word)] = std::move(handler);
}

const CommandHandler* CommandTable::find(std::string_view text, std::string& arguments) const {
  text = trim(text);
  const auto end = std::find_if(text.begin(), text.end(), is_space);
  const auto word = lower(text.substr(0, static_cast<std::size_t>(end - text.begin())));
  const auto found = handlers_.find(word);
  if (found == handlers_.end())
    return nullptr;
  arguments = std::string(trim(text.substr(word.size())));
  return &found->second;
}

CommandTable standard_commands() {
  CommandTable table;
  add_schedule_commands(table);
  add_team_commands(table);
  add_digest_commands(table);
  return table;
}

}  // namespace okr::bot::pipeline
