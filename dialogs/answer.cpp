#include "dialogs/answer.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <date/tz.h>

#include "dialogs/time_zones.hpp"
#include "dialogs/variables.hpp"

namespace okr::dialogs {

namespace {
using nlohmann::json;

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

struct NumberAt {
  double value = 0;
  std::size_t end = 0;  // index just past the number and its suffix
};

std::optional<NumberAt> scan_number(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_digit(text[i]) && !(text[i] == '.' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      continue;
    }
    bool negative = i > 0 && text[i - 1] == '-' && (i == 1 || !is_digit(text[i - 2]));
    auto digit_at = [text](std::size_t k) { return k < text.size() && is_digit(text[k]); };
    std::string digits;
    std::size_t j = i;
    while (j < text.size()) {
      char c = text[j];
      if (is_digit(c)) {
        digits += c;
      } else if (c == ',' && digit_at(j + 1) && digit_at(j + 2) && digit_at(j + 3) &&
                 !digit_at(j + 4)) {
        // "1,200": a thousands separator.
      } else if ((c == '.' || c == ',') && j + 1 < text.size() && is_digit(text[j + 1]) &&
                 digits.find('.') == std::string::npos) {
        digits += '.';  // "0,7" is a decimal comma
      } else {
        break;
      }
      ++j;
    }
    double value = std::stod(digits);
    if (j < text.size() && (text[j] == 'k' || text[j] == 'K') &&
        (j + 1 >= text.size() || !std::isalpha(static_cast<unsigned char>(text[j + 1])))) {
      value *= 1000;
      ++j;
    } else if (j < text.size() && text[j] == 'M' &&
               (j + 1 >= text.size() || !std::isalpha(static_cast<unsigned char>(text[j + 1])))) {
      value *= 1'000'000;
      ++j;
    }
    return NumberAt{negative ? -value : value, j};
  }
  return std::nullopt;
}

bool within(const Node& node, double value) {
  if (node.min && value < *node.min)
    return false;
  if (node.max && value > *node.max)
    return false;
  return true;
}

std::optional<Answer> read_choice(const Node& node, std::string_view text) {
  const std::string typed = normalise(text);
  for (const auto& choice : choices_of(node)) {
    bool match = typed == std::to_string(choice.number) || typed == normalise(choice.id) ||
                 typed == normalise(choice.label);
    for (const auto& w : choice.words)
      match = match || typed == normalise(w);
    if (!match)
      continue;
    std::string next;
    for (const auto& spec : node.choices) {
      if (spec.id == choice.id)
        next = spec.next;
    }
    json value = choice.id;
    if (node.validator == Validator::yes_no)
      value = choice.id == "yes";
    return Answer{std::move(value), std::move(next)};
  }
  return std::nullopt;
}

std::optional<std::string> read_time(std::string_view text) {
  std::string t = normalise(text);
  int h = -1, m = 0;
  char extra = 0;
  if (std::sscanf(t.c_str(), "%d:%d%c", &h, &m, &extra) == 2 ||
      (t.find(':') == std::string::npos && std::sscanf(t.c_str(), "%d%c", &h, &extra) == 1)) {
    if (h >= 0 && h <= 23 && m >= 0 && m <= 59) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "%02d:%02d", h, m);
      return std::string(buffer);
    }
  }
  return std::nullopt;
}

std::optional<std::string> read_time_zone(std::string_view text) {
  std::string name(text);
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
    name.pop_back();
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())))
    name.erase(0, 1);
  if (name.empty())
    return std::nullopt;
  if (normalise(name) == "utc")
    return std::string("UTC");
  if (const auto* found = find_time_zone(name))
    return std::string(found->name());
  return std::nullopt;
}
}  // namespace

std::vector<Choice> choices_of(const Node& node) {
  std::vector<Choice> out;
  if (node.choices.empty() && node.validator == Validator::yes_no) {
    out.push_back({"yes", "Yes", 1, {"y", "yeah", "yep", "sure", "ok", "okay"}});
    out.push_back({"no", "No", 2, {"n", "nope", "not really"}});
    return out;
  }
  int number = 1;
  for (const auto& spec : node.choices) {
    std::vector<std::string> words = spec.words;
    if (node.validator == Validator::yes_no && spec.id == "yes")
      words.push_back("y");
    if (node.validator == Validator::yes_no && spec.id == "no")
      words.push_back("n");
    out.push_back({spec.id, spec.label, number++, std::move(words)});
  }
  return out;
}

std::optional<double> first_number(std::string_view text) {
  auto n = scan_number(text);
  if (!n)
    return std::nullopt;
  return n->value;
}

std::optional<Answer> read_answer(const Node& node, std::string_view text) {
  if (node.kind == NodeKind::summary)
    return read_choice(node, text);
  switch (node.validator) {
    case Validator::text: {
      if (normalise(text).empty())
        return std::nullopt;
      std::string_view t = text;
      while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front())))
        t.remove_prefix(1);
      while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back())))
        t.remove_suffix(1);
      return Answer{std::string(t), {}};
    }
    case Validator::number: {
      auto n = first_number(text);
      if (!n || !within(node, *n))
        return std::nullopt;
      return Answer{*n, {}};
    }
    case Validator::scale: {
      auto n = scan_number(text);
      const double low = node.min.value_or(1), high = node.max.value_or(10);
      if (!n || std::floor(n->value) != n->value || n->value < low || n->value > high) {
        return std::nullopt;
      }
      return Answer{static_cast<int>(n->value), {}};
    }
    case Validator::score: {
      auto n = scan_number(text);
      if (!n)
        return std::nullopt;
      double v = n->value;
      bool percent =
          n->end < text.size() && text.substr(n->end).find('%') != std::string_view::npos;
      if (percent || (v > 1 && v <= 100))
        v /= 100;
      if (v < 0 || v > 1)
        return std::nullopt;
      return Answer{std::round(v * 100) / 100, {}};
    }
    case Validator::choice:
    case Validator::yes_no:
      return read_choice(node, text);
    case Validator::time:
      if (auto t = read_time(text))
        return Answer{*t, {}};
      return std::nullopt;
    case Validator::time_zone:
      if (auto z = read_time_zone(text))
        return Answer{*z, {}};
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace okr::dialogs
