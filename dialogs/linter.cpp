// lint_okr: the coaching checks of ../shared/COACHING.md ("Rules a drafter and linter apply").
// Each finding is phrased as one open question that hands the person's own words back to them;
// none of them tells the person what is right.
#include "dialogs/linter.hpp"

#include <string>
#include <string_view>

#include "dialogs/answer_tokens.hpp"
#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

// Long enough to recognise the key result, short enough to read in a chat bubble.
constexpr std::size_t quote_limit = 80;

std::string quoted(std::string_view text) {
  return "\xE2\x80\x9C" + shorten(trim(text), quote_limit) + "\xE2\x80\x9D";
}

std::string number_text(const KeyResultDraft& kr, std::optional<double> value) {
  if (!value)
    return "";
  std::string n = std::to_string(*value);
  n.erase(n.find_last_not_of('0') + 1);
  if (!n.empty() && n.back() == '.')
    n.pop_back();
  if (kr.unit == "%")
    return n + "%";
  if (kr.unit.empty())
    return n;
  if (kr.unit == "USD" || kr.unit == "EUR" || kr.unit == "GBP")
    return n + " " + kr.unit;
  return n + " " + kr.unit;
}

// The first number written in the objective, as the person wrote it ("30%", "$2M", "3").
std::optional<std::string> number_in(std::string_view objective) {
  const std::vector<AnswerToken> tokens = tokenize_answer(objective);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const AnswerToken& t = tokens[i];
    if (t.kind != TokenKind::quantity)
      continue;
    if (t.year_like)
      continue;  // "in 2027" places the objective in time; it is not a measure
    if (i > 0 && tokens[i - 1].kind == TokenKind::symbol && tokens[i - 1].word == "#" &&
        t.value == 1) {
      continue;  // "#1" is an aspiration, not a measure
    }
    return std::string(objective.substr(t.begin, t.end - t.begin));
  }
  return std::nullopt;
}

LintFinding finding(LintRule rule, int index, std::string question) {
  return LintFinding{rule, index, std::move(question)};
}

std::string objective_label(const std::string& objective) {
  return objective.empty() ? std::string("this objective") : quoted(objective);
}

}  // namespace

const char* to_string(LintRule rule) {
  switch (rule) {
    case LintRule::no_number:
      return "no_number";
    case LintRule::output_not_outcome:
      return "output_not_outcome";
    case LintRule::milestone_not_allowed:
      return "milestone_not_allowed";
    case LintRule::missing_baseline:
      return "missing_baseline";
    case LintRule::too_many_key_results:
      return "too_many_key_results";
    case LintRule::too_few_key_results:
      return "too_few_key_results";
    case LintRule::number_in_objective:
      return "number_in_objective";
    case LintRule::objective_too_long:
      return "objective_too_long";
  }
  return "unknown";
}

std::vector<LintFinding> lint_okr(const std::string& objective,
                                  const std::vector<KeyResultDraft>& key_results,
                                  const ProgramSettings& settings) {
  std::vector<LintFinding> findings;

  if (!trim(objective).empty()) {
    if (const int sentences = count_sentences(objective); sentences > 1) {
      findings.push_back(
          finding(LintRule::objective_too_long, -1,
                  "Your objective runs to " + std::to_string(sentences) +
                      " sentences. If you had to say what you want in a single sentence, how would "
                      "it go?"));
    }
    if (const auto number = number_in(objective)) {
      findings.push_back(finding(
          LintRule::number_in_objective, -1,
          "Your objective mentions " + quoted(*number) +
              ". How would you put what you want in words alone, letting that number live in "
              "a key result?"));
    }
  }

  const int count = static_cast<int>(key_results.size());
  if (count > settings.max_key_results) {
    findings.push_back(finding(LintRule::too_many_key_results, -1,
                               "You have named " + std::to_string(count) +
                                   " signals of success. If you kept only " +
                                   std::to_string(settings.max_key_results) +
                                   ", which would tell you most clearly that you got there?"));
  } else if (count < settings.min_key_results) {
    std::string question =
        count == 0 ? "What could you count or observe that would show you are getting closer "
                     "to " +
                         objective_label(objective) + "?"
                   : "Besides what you have named, what else would show you are getting closer "
                     "to " +
                         objective_label(objective) + "?";
    findings.push_back(finding(LintRule::too_few_key_results, -1, std::move(question)));
  }

  for (int i = 0; i < count; ++i) {
    const KeyResultDraft& kr = key_results[static_cast<std::size_t>(i)];
    const std::string said = quoted(kr.text);
    switch (kr.kind) {
      case KeyResultKind::milestone:
        if (!settings.allow_milestone) {
          findings.push_back(finding(
              LintRule::milestone_not_allowed, i,
              "In this program key results describe a change rather than a deliverable. Once " +
                  said + " is done, what would have changed that you could measure?"));
        } else {
          findings.push_back(finding(
              LintRule::output_not_outcome, i,
              "Suppose " + said +
                  " is done. What will be different for the people it is meant for, and how "
                  "would you notice?"));
        }
        break;
      case KeyResultKind::baseline:
        break;  // measuring for the first time is the point; nothing to ask yet
      case KeyResultKind::metric:
        if (!kr.has_number) {
          findings.push_back(
              finding(LintRule::no_number, i,
                      "What number would tell you that " + said + " is really happening?"));
        } else if (!kr.baseline && (kr.target || kr.relative_change || kr.absolute_change)) {
          const std::string aim = kr.target ? number_text(kr, kr.target) : "";
          findings.push_back(finding(
              LintRule::missing_baseline, i,
              aim.empty()
                  ? "Where does this stand today, so you can see how far " + said + " takes you?"
                  : "You are aiming for " + aim + " with " + said +
                        ". Where does it stand today?"));
        }
        break;
    }
  }
  return findings;
}

}  // namespace okr::dialogs
