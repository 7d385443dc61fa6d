#include "storage/json_text.hpp"

#include <cstddef>
#include <cstdint>
#include <utility>

namespace okr::storage {
namespace {

// How many bytes the valid UTF-8 sequence at `text[i]` takes (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); 0 when none starts there.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const auto continuation = [&](std::size_t k, std::uint8_t low = 0x80, std::uint8_t high = 0xBF) {
    return k < text.size() && byte(k) >= low && byte(k) <= high;
  };
  const std::uint8_t lead = byte(i);
  if (lead < 0x80)
    return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    return continuation(i + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const std::uint8_t low = lead == 0xE0 ? 0xA0 : 0x80;
    const std::uint8_t high = lead == 0xED ? 0x9F : 0xBF;
    return continuation(i + 1, low, high) && continuation(i + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const std::uint8_t low = lead == 0xF0 ? 0x90 : 0x80;
    const std::uint8_t high = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(i + 1, low, high) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
  }
  return 0;
}

// Printable ASCII that JSON takes as it is: most of any text we store.
bool needs_no_escape(char c) {
  const auto u = static_cast<std::uint8_t>(c);
  return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    // Runs of plain characters are copied at once, not byte by byte (the inbox writer stores
    // every event's text this way).
    std::size_t plain_end = i;
    while (plain_end < text.size() && needs_no_escape(text[plain_end]))
      ++plain_end;
    if (plain_end > i) {
      out.append(text.data() + i, plain_end - i);
      i = plain_end;
      continue;
    }
    const char c = text[i];
    const auto u = static_cast<std::uint8_t>(c);
    if (u >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:  // the other control characters: everything else was copied above
        out.append("\\u00");
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0xF]);
    }
    ++i;
  }
  out.push_back('"');
}

FlatJsonObject& FlatJsonObject::add(std::string_view key, std::string_view value) {
  text_.push_back(text_.empty() ? '{' : ',');
  append_json_string(text_, key);
  text_.push_back(':');
  append_json_string(text_, value);
  return *this;
}

FlatJsonObject& FlatJsonObject::add_json(std::string_view key, std::string_view json_text) {
  text_.push_back(text_.empty() ? '{' : ',');
  append_json_string(text_, key);
  text_.push_back(':');
  text_.append(json_text);
  return *this;
}

std::string FlatJsonObject::take() {
  if (text_.empty())
    return "{}";
  text_.push_back('}');
  std::string finished = std::move(text_);
  text_.clear();
  return finished;
}

}  // namespace okr::storage
