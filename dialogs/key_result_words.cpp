#include "dialogs/key_result_words.hpp"

#include <array>
#include <cctype>

#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

std::string_view at(const Words& w, std::size_t i) {
  return i < w.size() ? std::string_view(w[i]) : std::string_view();
}
bool quantity(std::string_view w) {
  return w.starts_with('#') && w != "#date";
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

constexpr std::array<std::string_view, 33> decrease_words{
    "reduce",     "reduces",   "reduced",   "reducing", "reduction", "cut",       "cuts",
    "cutting",    "lower",     "lowered",   "lowering", "decrease",  "decreased", "decreases",
    "decreasing", "fewer",     "less",      "down",     "drop",      "drops",     "dropped",
    "dropping",   "shrink",    "shrinking", "minimise", "minimize",  "halve",     "halved",
    "halving",    "eliminate", "shorten",   "shorter",  "slash"};
constexpr std::array<std::string_view, 31> increase_words{
    "increase", "increases", "increased", "increasing", "grow",    "grows",    "grew",
    "growing",  "growth",    "raise",     "raised",     "raising", "up",       "more",
    "boost",    "boosted",   "boosting",  "double",     "doubled", "doubling", "triple",
    "tripled",  "expand",    "expanded",  "expanding",  "gain",    "higher",   "lift",
    "maximise", "maximize",  "climb"};

}  // namespace

std::string_view strip_list_marker(std::string_view line) {
  for (;;) {
    line = trim(line);
    const std::string_view before = line;
    static constexpr std::array<std::string_view, 12> bullets{"-",
                                                              "*",
                                                              "+",
                                                              ">",
                                                              "\xE2\x80\xA2",
                                                              "\xE2\x80\x93",
                                                              "\xE2\x80\x94",
                                                              "\xC2\xB7",
                                                              "\xE2\x96\xAA",
                                                              "\xE2\x97\xA6",
                                                              "\xE2\x96\xBA",
                                                              "\xE2\x80\xA3"};
    for (const auto b : bullets) {
      if (line.starts_with(b) && (line.size() == b.size() || line[b.size()] == ' ' ||
                                  (b != "-" && b != "+" && b != "*"))) {
        line.remove_prefix(b.size());
        break;
      }
    }
    if (line == before) {
      if (const std::size_t e = emoji_length(line, 0); e > 0)
        line.remove_prefix(e);
    }
    if (line == before && !line.empty() && digit(line[0])) {
      // Keycap numbering as chat apps insert it: "1️⃣ NPS to 45".
      std::string_view rest = line.substr(1);
      if (rest.starts_with("\xEF\xB8\x8F"))
        rest.remove_prefix(3);
      if (rest.starts_with("\xE2\x83\xA3"))
        line = rest.substr(3);
    }
    if (line == before) {
      // "1. ", "12) ", "1: ", "(3) ", "a) ", "b. "
      std::size_t i = 0;
      const bool paren = !line.empty() && line[0] == '(';
      if (paren)
        ++i;
      std::size_t d = i;
      while (d < line.size() && digit(line[d]))
        ++d;
      std::size_t end = d;
      if (d == i && d < line.size() && line[d] >= 'a' && line[d] <= 'h')
        end = d + 1;
      if (d == i && d < line.size() && line[d] >= 'A' && line[d] <= 'H' && !paren)
        end = d + 1;
      if (end > i && end - i <= 2 && end < line.size()) {
        const char m = line[end];
        const bool closes = paren ? m == ')' : (m == '.' || m == ')' || (m == ':' && d > i));
        if (closes && (end + 1 == line.size() || line[end + 1] == ' '))
          line.remove_prefix(end + 1);
      }
    }
    if (line == before) {
      // "KR1:", "KR 2 -", "KR3."
      const std::string lower = lower_ascii(line.substr(0, 8));
      if (lower.starts_with("kr")) {
        std::size_t i = 2;
        if (i < line.size() && line[i] == ' ')
          ++i;
        const std::size_t d = i;
        while (i < line.size() && digit(line[i]))
          ++i;
        if (i > d) {
          while (i < line.size() && (line[i] == ':' || line[i] == '.' || line[i] == ')' ||
                                     line[i] == '-' || line[i] == ' ')) {
            ++i;
          }
          line.remove_prefix(i);
        }
      }
    }
    if (line == before)
      return trim(line);
  }
}

std::string_view strip_answer_lead_in(std::string_view line) {
  const std::string lower = lower_ascii(plain_quotes(line));
  static constexpr std::array<std::string_view, 14> knowers{
      "we'll know",  "we will know", "we would know",      "we'd know",    "we know",
      "i'll know",   "i will know",  "i would know",       "i'd know",     "i know",
      "you'll know", "we'll see",    "success looks like", "success means"};
  for (const auto k : knowers) {
    if (!lower.starts_with(k))
      continue;
    // The quotes in the lower-cased copy may be shorter than typographic ones in `line`, so
    // recompute the cut on the original by counting words.
    std::size_t words = 1;
    for (const char c : k)
      words += c == ' ';
    static constexpr std::array<std::string_view, 9> tails{
        "we got there", "we've got there", "it worked",     "we succeeded", "we made it",
        "we're there",  "i got there",     "we've made it", "it's working"};
    std::string_view rest = std::string_view(lower).substr(k.size());
    rest = trim(rest);
    for (const auto t : tails) {
      if (rest.starts_with(t)) {
        for (const char c : t)
          words += c == ' ';
        ++words;
        rest = trim(rest.substr(t.size()));
        break;
      }
    }
    for (const auto c : {"when", "if", "because", "by", "that", "once"}) {
      const std::string_view cw(c);
      if (rest.starts_with(cw) && (rest.size() == cw.size() || rest[cw.size()] == ' ')) {
        ++words;
        break;
      }
    }
    std::size_t i = 0;
    const std::string_view text = trim(line);
    for (std::size_t n = 0; n < words && i < text.size(); ++n) {
      while (i < text.size() && text[i] != ' ')
        ++i;
      while (i < text.size() && text[i] == ' ')
        ++i;
    }
    std::string_view out = trim(text.substr(i));
    while (!out.empty() && (out.front() == ':' || out.front() == ',' || out.front() == '-')) {
      out.remove_prefix(1);
      out = trim(out);
    }
    return out;
  }
  return trim(line);
}

std::optional<Direction> direction_word(std::string_view previous, std::string_view word,
                                        std::string_view next) {
  if (word == "up") {
    static constexpr std::array<std::string_view, 22> phrasal{
        "set",  "sign", "follow", "pick", "back", "catch", "show",  "clean",
        "wrap", "look", "start",  "spin", "line", "open",  "build", "keep",
        "mix",  "end",  "free",   "sum",  "fill", "speed"};
    if (one_of(previous, phrasal) || next == "to")
      return std::nullopt;
    return Direction::increase;
  }
  if (word == "down") {
    static constexpr std::array<std::string_view, 9> phrasal{
        "break", "shut", "write", "wind", "close", "step", "turn", "let", "track"};
    if (one_of(previous, phrasal))
      return std::nullopt;
    return Direction::decrease;
  }
  if ((word == "cut" || word == "drop") && next == "off")
    return std::nullopt;
  if (one_of(word, decrease_words))
    return Direction::decrease;
  if (one_of(word, increase_words))
    return Direction::increase;
  return std::nullopt;
}

std::optional<Direction> direction_in_words(const Words& words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (const auto d = direction_word(i > 0 ? at(words, i - 1) : "", words[i], at(words, i + 1))) {
      return d;
    }
  }
  return std::nullopt;
}

TargetCue target_cue(std::string_view word, std::string_view previous) {
  TargetCue cue;
  static constexpr std::array<std::string_view, 16> plain{
      "reach",     "reaching", "reached", "hit",     "hitting", "achieve", "achieving", "target",
      "targeting", "goal",     "aim",     "towards", "toward",  "into",    "want",      "land"};
  static constexpr std::array<std::string_view, 7> at_most{
      "below", "under", "<", "<=", "max", "maximum", "beneath"};
  static constexpr std::array<std::string_view, 9> at_least{
      "above", "over", ">", ">=", "least", "minimum", "min", "exceed", "exceeding"};
  if (one_of(word, plain)) {
    cue.is_target = true;
  } else if (one_of(word, at_most) || (word == "most" && previous == "at")) {
    cue.is_target = true;
    cue.threshold = true;
    cue.hint = Direction::decrease;
  } else if (one_of(word, at_least) || word == "beyond") {
    cue.is_target = true;
    cue.threshold = true;
    cue.hint = Direction::increase;
  } else if (word == "than") {
    cue.is_target = true;
    cue.threshold = true;
    if (previous == "less" || previous == "fewer" || previous == "lower" || previous == "shorter") {
      cue.hint = Direction::decrease;
    } else if (previous == "more" || previous == "greater" || previous == "higher") {
      cue.hint = Direction::increase;
    }
  }
  return cue;
}

bool baseline_cue_before(std::string_view word) {
  return word == "currently" || word == "current" || word == "today" || word == "now" ||
         word == "was" || word == "baseline" || word == "starting";
}

bool baseline_cue_after(std::string_view word) {
  return word == "today" || word == "now" || word == "currently" || word == "baseline" ||
         word == "atm" || word == "presently" || word == "moment" || word == "right";
}

double multiplier_of(std::string_view word, std::string_view previous) {
  if (word == "double" || word == "doubled" || word == "doubling" || word == "doubles")
    return 2;
  if (word == "triple" || word == "tripled" || word == "tripling" || word == "threefold")
    return 3;
  if (word == "quadruple" || word == "fourfold")
    return 4;
  if (word == "halve" || word == "halved" || word == "halving")
    return 0.5;
  if (word == "half" && (previous == "in" || previous == "by"))
    return 0.5;
  return 0;
}

bool establishes_baseline(const Words& words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (w == "baseline" || w == "baselines" || w == "baselined" || w == "benchmark" ||
        w == "benchmarked") {
      return true;
    }
    if (w == "measure" || w == "measuring" || w == "measured" || w == "track" || w == "know" ||
        w == "understand" || w == "find" || w == "learn") {
      for (std::size_t j = i + 1; j < words.size() && j <= i + 4; ++j) {
        if (words[j] == "current" || words[j] == "today's" || words[j] == "where")
          return true;
      }
    }
    if (w == "start" || w == "begin" || w == "started" || w == "starting") {
      std::string_view next = at(words, i + 1);
      if (next == "to")
        next = at(words, i + 2);
      static constexpr std::array<std::string_view, 12> acts{
          "measuring", "tracking", "measure",   "track",  "collecting", "collect",
          "logging",   "log",      "recording", "record", "monitoring", "monitor"};
      if (one_of(next, acts))
        return true;
    }
    if (w == "first" && (at(words, i + 1) == "measurement" || at(words, i + 1) == "measurements")) {
      return true;
    }
  }
  return false;
}

namespace {

bool milestone_verb(std::string_view w, std::string_view next) {
  static constexpr std::array<std::string_view, 118> verbs{
      "launch",    "launches",   "launched",  "launching",  "ship",        "ships",
      "shipped",   "shipping",   "release",   "releases",   "released",    "releasing",
      "publish",   "publishes",  "published", "publishing", "complete",    "completes",
      "completed", "completing", "finish",    "finishes",   "finished",    "finishing",
      "finalise",  "finalize",   "finalised", "finalized",  "build",       "builds",
      "built",     "building",   "implement", "implements", "implemented", "implementing",
      "hire",      "hires",      "hired",     "hiring",     "recruit",     "recruited",
      "migrate",   "migrates",   "migrated",  "migrating",  "deliver",     "delivers",
      "delivered", "delivering", "deploy",    "deploys",    "deployed",    "deploying",
      "create",    "creates",    "created",   "creating",   "introduce",   "introduced",
      "design",    "designed",   "redesign",  "redesigned", "write",       "wrote",
      "written",   "rewrite",    "document",  "documented", "run",         "runs",
      "ran",       "hold",       "held",      "host",       "organise",    "organize",
      "integrate", "integrated", "automate",  "automated",  "open",        "opened",
      "sign",      "signed",     "replace",   "replaced",   "retire",      "sunset",
      "deprecate", "refactor",   "upgrade",   "adopt",      "draft",       "prepare",
      "train",     "onboard",    "onboarded", "conduct",    "conducted",   "pilot",
      "establish", "start",      "define",    "obtain",     "pass",        "certify",
      "translate", "localise",   "localize",  "deliver",    "introduce",   "test",
      "interview", "publish",    "roll-out",  "rollout"};
  if (one_of(w, verbs))
    return true;
  if ((w == "kick" || w == "kicked") && next == "off")
    return true;
  if (w == "set" && next == "up")
    return true;
  if ((w == "roll" || w == "rolls" || w == "rolled" || w == "rolling") && next == "out")
    return true;
  if ((w == "go" || w == "goes" || w == "went" || w == "gone") && next == "live")
    return true;
  if ((w == "achieve" || w == "get" || w == "become") &&
      (next.starts_with("soc") || next.starts_with("iso") || next.starts_with("pci") ||
       next == "certified" || next == "compliant" || next == "certification")) {
    return true;  // "Achieve SOC 2", "get ISO 27001 certified"
  }
  if ((w == "move" || w == "switch") && next == "to")
    return true;
  return false;
}

bool milestone_state(std::string_view previous, std::string_view w, std::string_view next) {
  static constexpr std::array<std::string_view, 24> states{
      "launched", "shipped",     "released",  "published",  "completed", "finished",
      "built",    "implemented", "hired",     "recruited",  "migrated",  "delivered",
      "deployed", "certified",   "onboarded", "documented", "automated", "integrated",
      "retired",  "deprecated",  "replaced",  "adopted",    "go-live",   "signed"};
  if (one_of(w, states))
    return true;
  if (w == "rolled" && next == "out")
    return true;
  if (w == "in" && next == "production")
    return true;
  if (w == "live" && previous != "" &&
      (next.empty() || next == "in" || next == "on" || next == "for" || next == "by" ||
       next == "," || next == "and" || next == "before" || next == "across" || next == "to")) {
    return true;
  }
  return false;
}

}  // namespace

bool is_milestone(const Words& words) {
  static constexpr std::array<std::string_view, 40> lead{
      "we",    "i",       "we'll", "i'll", "we've", "i've",     "will", "shall", "should",
      "must",  "have",    "has",   "to",   "the",   "team",     "our",  "my",    "successfully",
      "fully", "finally", "also",  "then", "and",   "need",     "want", "would", "like",
      "we'd",  "i'd",     "let's", "lets", "us",    "actually", "plan", "going", "gonna",
      "be",    "able",    "can",   "first"};
  std::size_t k = 0;
  while (k < words.size() &&
         (one_of(at(words, k), lead) || (!words[k].empty() && !quantity(words[k]) &&
                                         !std::isalnum(static_cast<unsigned char>(words[k][0]))))) {
    ++k;
  }
  // "Deploy frequency", "Release cadence": the verb names a metric here, not a deliverable.
  static constexpr std::array<std::string_view, 14> metric_nouns{
      "frequency", "rate",  "time",    "times", "count",   "volume",   "speed",
      "cost",      "costs", "cadence", "lead",  "success", "velocity", ":"};
  const bool verb_first = k < words.size() && milestone_verb(words[k], at(words, k + 1)) &&
                          !one_of(at(words, k + 1), metric_nouns);
  bool state = false;
  bool share = false;
  bool paired = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    state = state || milestone_state(i > 0 ? at(words, i - 1) : "", words[i], at(words, i + 1));
    share = share || words[i] == "#%";
    paired = paired || words[i] == "from" || words[i] == "->";
  }
  if (!verb_first && !state)
    return false;
  // An outcome stated after the deliverable ("... to reduce tickets by 30%", "so that 60% of
  // trials activate") makes the change itself the key result.
  const std::size_t from = verb_first ? k + 1 : 0;
  for (std::size_t i = from; i < words.size(); ++i) {
    const bool outcome_word =
        direction_word(i > 0 ? at(words, i - 1) : "", words[i], at(words, i + 1)).has_value() ||
        words[i] == "so" || words[i] == "resulting" || words[i] == "leading" ||
        words[i] == "thereby";
    if (!outcome_word)
      continue;
    for (std::size_t j = i + 1; j < words.size(); ++j) {
      if (quantity(words[j]))
        return false;
    }
    if (!verb_first)
      return false;
  }
  if (!verb_first)
    return !share && !paired;
  // "Onboard 100% of new hires with a buddy": a share of people reached is a rate to measure.
  for (std::size_t i = k + 1; i + 1 < words.size(); ++i) {
    if (words[i] == "#%" && words[i + 1] == "of")
      return false;
  }
  return true;
}

}  // namespace okr::dialogs
