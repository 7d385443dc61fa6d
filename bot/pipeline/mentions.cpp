#include "bot/pipeline/mentions.hpp"

namespace okr::bot::pipeline {

std::optional<std::string> mentioned_user(std::string word) {
  while (!word.empty() && (word.back() == ',' || word.back() == '.' || word.back() == ';'))
    word.pop_back();
  if (word.size() > 2 && word.front() == '<' && word.back() == '>')
    word = word.substr(1, word.size() - 2);
  if (word.size() < 2 || word.front() != '@')
    return std::nullopt;
  word.erase(0, 1);
  if (const auto bar = word.find('|'); bar != std::string::npos)
    word.erase(bar);
  if (word.empty())
    return std::nullopt;
  return word;
}

}  // namespace okr::bot::pipeline
