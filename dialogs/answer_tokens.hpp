#pragma once
// Splits one free-text answer into the pieces the drafter reasons about: words, quantities
// (a number with its unit, already scaled: "$1.2M" is 1200000 USD), dates, arrows and symbols.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace okr::dialogs {

enum class TokenKind { word, quantity, date, arrow, symbol };

struct AnswerToken {
  TokenKind kind = TokenKind::word;
  std::string word;  // words: lower-cased ASCII; symbols: the symbol ("<=", "(", "" for emoji)
  double value = 0;  // quantities only
  // Quantities only: "%", "pp" (percentage points), "points", "USD", "EUR", "GBP", "ms",
  // "seconds", "minutes", "hours", "days", "weeks", "months", "years", "x" (a multiplier such
  // as "3x"), or "" for a plain count.
  std::string unit;
  bool year_like = false;  // a bare four-digit 20xx that may be a year ("by 2027")
  std::size_t begin = 0;   // byte range in the scanned text
  std::size_t end = 0;
};

std::vector<AnswerToken> tokenize_answer(std::string_view text);

bool is_duration_unit(std::string_view unit);

}  // namespace okr::dialogs
