#include "bot/pipeline/office_commands.hpp"

#include <algorithm>
#include <cctype>

#include "dialogs/words.hpp"

namespace okr::bot::pipeline {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

void CommandTable::add(std::string word, CommandHandler handler) {
  handlers_[dialogs::lower_ascii(word)] = std::move(handler);
}

const CommandHandler* CommandTable::find(std::string_view text, std::string& arguments) const {
  text = dialogs::trim(text);
  const auto end = std::find_if(text.begin(), text.end(), is_space);
  const auto word =
      dialogs::lower_ascii(text.substr(0, static_cast<std::size_t>(end - text.begin())));
  const auto found = handlers_.find(word);
  if (found == handlers_.end())
    return nullptr;
  arguments = std::string(dialogs::trim(text.substr(word.size())));
  return &found->second;
}

CommandTable standard_commands() {
  CommandTable table;
  add_schedule_commands(table);
  add_team_commands(table);
  add_digest_commands(table);
  add_data_rights_commands(table);
  return table;
}

}  // namespace okr::bot::pipeline
