#pragma once
// Small text helpers for reading people's free-text answers (UTF-8, mostly English): trimming,
// lower-casing, typographic quotes, emoji clutter and sentence counting. Byte-based on purpose:
// answers come from chat clients and we only need to recognise ASCII words and a few symbols.
#include <cstddef>
#include <string>
#include <string_view>

namespace okr::dialogs {

std::string lower_ascii(std::string_view text);
std::string_view trim(std::string_view text);  // spaces, tabs, newlines, no-break spaces

// ’ ‘ → ' and “ ” → ", so "I’d like to" reads like "I'd like to".
std::string plain_quotes(std::string_view text);

// Byte length of the emoji or pictograph starting at `at` (with any variation selector or
// zero-width joiner chained to it), or 0 when there is none.
std::size_t emoji_length(std::string_view text, std::size_t at);
std::string without_emoji(std::string_view text);

// Runs of whitespace (newlines included) become one space.
std::string collapse_spaces(std::string_view text);

// How many sentences the text holds, ignoring decimals ("2.5") and common abbreviations.
int count_sentences(std::string_view text);

// Shortens to at most `limit` bytes at a word boundary, marking the cut with "…".
std::string shorten(std::string_view text, std::size_t limit);

// Whether `word` is one of `list` (any range of string_view, e.g. a constexpr std::array).
template <typename List>
bool one_of(std::string_view word, const List& list) {
  for (const std::string_view item : list) {
    if (word == item)
      return true;
  }
  return false;
}

}  // namespace okr::dialogs
