#include "dialogs/words.hpp"

#include <array>

namespace okr::dialogs {
namespace {

unsigned char byte_at(std::string_view s, std::size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

bool is_space_at(std::string_view s, std::size_t i, std::size_t& len) {
  const unsigned char c = byte_at(s, i);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    len = 1;
    return true;
  }
  if (c == 0xC2 && byte_at(s, i + 1) == 0xA0) {  // no-break space, common in pasted text
    len = 2;
    return true;
  }
  return false;
}

// Joiners and selectors that glue emoji sequences together (ZWJ, VS16, keycap, skin tones are
// inside the F0 block and handled by the caller).
std::size_t glue_length(std::string_view s, std::size_t i) {
  if (i >= s.size())
    return 0;
  if (s.substr(i).starts_with("\xE2\x80\x8D"))
    return 3;  // zero-width joiner
  if (s.substr(i).starts_with("\xEF\xB8\x8F"))
    return 3;  // variation selector-16
  if (s.substr(i).starts_with("\xE2\x83\xA3"))
    return 3;  // combining keycap
  return 0;
}

std::size_t single_pictograph(std::string_view s, std::size_t i) {
  const unsigned char c = byte_at(s, i);
  if (c >= 0xF0 && c <= 0xF4 && i + 3 < s.size())
    return 4;                           // emoji planes
  if (c == 0xE2 && i + 2 < s.size()) {  // a truncated sequence is left for the caller
    const unsigned char c1 = byte_at(s, i + 1);
    // Miscellaneous symbols and dingbats (☀ ✅ ✨ ❤ …) and the star/arrow pictographs in 2B.
    if (c1 >= 0x98 && c1 <= 0x9F)
      return 3;
    if (c1 == 0xAD || c1 == 0xAC)
      return 3;
    if (c1 == 0x8C || c1 == 0x8F)
      return 3;  // ⌛ ⏰ ⏳
  }
  return 0;
}

}  // namespace

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view text) {
  std::size_t len = 0;
  while (!text.empty() && is_space_at(text, 0, len))
    text.remove_prefix(len);
  while (!text.empty()) {
    if (is_space_at(text, text.size() - 1, len) && len == 1) {
      text.remove_suffix(1);
    } else if (text.size() >= 2 && is_space_at(text, text.size() - 2, len) && len == 2) {
      text.remove_suffix(2);
    } else {
      break;
    }
  }
  return text;
}

std::string plain_quotes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("\xE2\x80\x98") || rest.starts_with("\xE2\x80\x99")) {
      out += '\'';
      i += 3;
    } else if (rest.starts_with("\xE2\x80\x9C") || rest.starts_with("\xE2\x80\x9D")) {
      out += '"';
      i += 3;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::size_t emoji_length(std::string_view text, std::size_t at) {
  std::size_t len = single_pictograph(text, at);
  if (len == 0)
    return 0;
  for (;;) {
    if (const std::size_t glue = glue_length(text, at + len); glue > 0) {
      len += glue;
      if (byte_at(text, at + len - 3) == 0xE2 && byte_at(text, at + len - 2) == 0x80) {
        len += single_pictograph(text, at + len);  // ZWJ sequence continues with a pictograph
      }
      continue;
    }
    // Skin-tone modifiers and regional indicators are themselves 4-byte F0 sequences.
    if (byte_at(text, at + len) == 0xF0 && byte_at(text, at + len + 1) == 0x9F &&
        byte_at(text, at + len + 2) == 0x8F && byte_at(text, at + len + 3) >= 0xBB) {
      len += 4;
      continue;
    }
    return len;
  }
}

std::string without_emoji(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t len = emoji_length(text, i); len > 0) {
      i += len;
    } else if (const std::size_t glue = glue_length(text, i); glue > 0) {
      i += glue;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 0;
    if (is_space_at(text, i, len)) {
      pending_space = !out.empty();
      i += len;
      continue;
    }
    if (pending_space)
      out += ' ';
    pending_space = false;
    out += text[i++];
  }
  return out;
}

int count_sentences(std::string_view text) {
  static constexpr std::array<std::string_view, 12> abbreviations{
      "e.g", "i.e", "etc", "vs", "approx", "incl", "no", "mr", "mrs", "dr", "ca", "esp"};
  const std::string_view original = trim(text);
  const std::string lower = lower_ascii(original);
  if (lower.empty())
    return 0;
  int sentences = 1;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const char c = lower[i];
    if (c != '.' && c != '!' && c != '?')
      continue;
    std::size_t j = i;
    while (j < lower.size() && (lower[j] == '.' || lower[j] == '!' || lower[j] == '?'))
      ++j;
    const std::size_t end = j;
    if (j >= lower.size() || (lower[j] != ' ' && lower[j] != '\n')) {
      i = end - 1;
      continue;  // "2.5", "v1.2", or the final full stop
    }
    while (j < lower.size() && (lower[j] == ' ' || lower[j] == '\n'))
      ++j;
    if (j >= lower.size())
      break;
    // "one day... maybe": an ellipsis before a lower-case word trails off mid-sentence.
    const char first = original[j];
    if (end - i > 1 && first >= 'a' && first <= 'z') {
      i = end - 1;
      continue;
    }
    if (c == '.') {
      std::size_t w = i;
      while (w > 0 && lower[w - 1] != ' ')
        --w;
      const std::string_view word = std::string_view(lower).substr(w, i - w);
      bool abbreviation = word.size() == 1;  // an initial, as in "J. Smith"
      for (const auto a : abbreviations)
        abbreviation = abbreviation || word == a;
      if (abbreviation) {
        i = end - 1;
        continue;
      }
    }
    ++sentences;
    i = end - 1;
  }
  return sentences;
}

std::string shorten(std::string_view text, std::size_t limit) {
  if (text.size() <= limit)
    return std::string(text);
  std::size_t cut = text.rfind(' ', limit);
  if (cut == std::string_view::npos || cut < limit / 2) {
    cut = limit;
    // Never split a UTF-8 sequence: back up to a lead byte.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
  }
  std::string out(trim(text.substr(0, cut)));
  while (!out.empty() && (out.back() == ',' || out.back() == ';' || out.back() == ':')) {
    out.pop_back();
  }
  return out + "\xE2\x80\xA6";
}

}  // namespace okr::dialogs
