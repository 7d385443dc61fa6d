// Actions of the `draft` dialog: from the person's answers to a draft OKR, coaching follow-ups
// for weak key results (at most two rounds), and the SaveObjective effect.
#include <algorithm>
#include <cctype>

#include "dialogs/actions_list.hpp"
#include "dialogs/answer.hpp"
#include "dialogs/domain_names.hpp"
#include "dialogs/drafter.hpp"
#include "dialogs/linter.hpp"
#include "dialogs/variables.hpp"

namespace okr::dialogs::actions {

namespace {
using nlohmann::json;

constexpr int max_followup_rounds = 2;

json to_json(const KeyResultDraft& d) {
  json out = {{"text", d.text},
              {"kind", to_string(d.kind)},
              {"unit", d.unit},
              {"direction", to_string(d.direction)},
              {"has_number", d.has_number}};
  if (d.baseline)
    out["baseline"] = *d.baseline;
  if (d.target)
    out["target"] = *d.target;
  if (d.deadline)
    out["deadline"] = *d.deadline;
  if (d.relative_change)
    out["relative_change"] = *d.relative_change;
  if (d.absolute_change)
    out["absolute_change"] = *d.absolute_change;
  return out;
}

KeyResultDraft from_json(const json& j) {
  KeyResultDraft d;
  d.text = j.value("text", "");
  d.kind = key_result_kind_from(j.value("kind", "metric")).value_or(KeyResultKind::metric);
  d.unit = j.value("unit", "");
  d.direction = direction_from(j.value("direction", "increase")).value_or(Direction::increase);
  d.has_number = j.value("has_number", false);
  if (j.contains("baseline") && j["baseline"].is_number())
    d.baseline = j["baseline"].get<double>();
  if (j.contains("target") && j["target"].is_number())
    d.target = j["target"].get<double>();
  if (j.contains("deadline") && j["deadline"].is_string())
    d.deadline = j["deadline"].get<std::string>();
  if (j.contains("relative_change") && j["relative_change"].is_number())
    d.relative_change = j["relative_change"].get<double>();
  if (j.contains("absolute_change") && j["absolute_change"].is_number())
    d.absolute_change = j["absolute_change"].get<double>();
  return d;
}

// A key result from the person's words, with "where are you today" as its baseline when the
// words themselves name none.
json parsed(const std::string& text, const std::string& today) {
  KeyResultDraft d = parse_key_result(text);
  if (!d.baseline && d.kind == KeyResultKind::metric) {
    // with_baseline also turns a stated change ("reduce churn by 20%") into a target.
    if (auto start = amount_in_answer(today))
      d = with_baseline(std::move(d), *start);
  }
  json out = to_json(d);
  if (!today.empty())
    out["today"] = today;
  return out;
}

std::vector<KeyResultDraft> drafts_of(const json& vars) {
  std::vector<KeyResultDraft> out;
  const json* krs = find_path(vars, "draft.key_results");
  if (krs && krs->is_array()) {
    for (const auto& k : *krs)
      out.push_back(from_json(k));
  }
  return out;
}

// An answer to a follow-up that is a whole key result by itself: something to measure and a
// target, in more than a bare number.
bool stands_alone(const std::string& answer) {
  const KeyResultDraft draft = parse_key_result(answer);
  const bool has_words = std::count_if(answer.begin(), answer.end(), [](unsigned char c) {
                           return std::isalpha(c) != 0;
                         }) >= 3;
  return draft.has_number && draft.target.has_value() && has_words;
}

bool wants_to_keep(const std::string& answer) {
  const std::string a = normalise(answer);
  for (const char* w : {"keep", "keep it", "keep as is", "keep it as is", "as is", "leave it",
                        "skip", "pass", "fine", "it's fine", "that's fine", "no", "no change"}) {
    if (a == w)
      return true;
  }
  return false;
}

std::string finding_key(const json& f) {
  return f.value("rule", "") + ":" + std::to_string(f.value("index", -1));
}

// "1, 3 and 4" -> {0, 2, 3}; empty unless the answer is only key-result numbers.
std::vector<std::size_t> chosen_numbers(const std::string& answer, std::size_t count) {
  std::vector<std::size_t> out;
  std::string word;
  auto flush = [&]() -> bool {
    if (word.empty())
      return true;
    bool digits = std::all_of(word.begin(), word.end(),
                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (!digits && word != "and")
      return false;
    if (digits) {
      auto n = static_cast<std::size_t>(std::stoul(word));
      if (n < 1 || n > count)
        return false;
      if (std::find(out.begin(), out.end(), n - 1) == out.end())
        out.push_back(n - 1);
    }
    word.clear();
    return true;
  };
  for (char c : normalise(answer)) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '&' || c == '+') {
      if (!flush())
        return {};
    } else {
      word += c;
    }
  }
  if (!flush())
    return {};
  std::sort(out.begin(), out.end());
  return out;
}

// "Which matter most?" is easier to answer by number when the candidates are listed.
std::string with_numbered_list(const std::string& question, const json& vars) {
  std::string out = question;
  int n = 1;
  for (const auto& d : drafts_of(vars))
    out += "\n  " + std::to_string(n++) + ") " + d.text;
  return out + "\nYou can answer with their numbers, like 1 3 4.";
}

Objective objective_of(const json& vars, const Context& ctx) {
  Objective o;
  o.person_id = ctx.person.id;
  o.team_id = ctx.team ? ctx.team->id : 0;
  o.cycle_id = ctx.cycle ? ctx.cycle->id : 0;
  o.text = text_at(vars, "draft.objective");
  o.why = text_at(vars, "why");
  o.obstacles = text_at(vars, "obstacles");
  o.support = text_at(vars, "support");
  o.parent = text_at(vars, "parent_link");
  o.created_at = ctx.now;
  int position = 0;
  for (const auto& d : drafts_of(vars)) {
    KeyResult kr;
    kr.text = d.text;
    kr.kind = d.kind;
    kr.baseline = d.baseline;
    kr.target = d.target;
    kr.unit = d.unit;
    kr.direction = d.direction;
    kr.current = d.baseline;
    kr.deadline = d.deadline;
    kr.position = position++;
    o.key_results.push_back(std::move(kr));
  }
  return o;
}
}  // namespace

void split_signals(ActionTurn& turn) {
  json& vars = turn.variables;
  const std::string signals = text_at(vars, "signals");
  json answers = json::array();
  for (const auto& candidate : split_key_result_candidates(signals)) {
    // "Where are you today?" only where the person has not said it already: a metric that
    // names its starting point ("from 40% to 60%") or a milestone needs no such question.
    const KeyResultDraft draft = parse_key_result(candidate);
    const bool needs_today = draft.kind == KeyResultKind::metric && !draft.baseline;
    answers.push_back({{"text", candidate}, {"needs_today", needs_today}});
  }
  if (answers.empty() && !signals.empty())
    answers.push_back({{"text", signals}, {"needs_today", true}});
  // In a chat every line is its own message, so "one per line" arrives one at a time: ask for
  // more until the program's minimum is met or the person says that's all.
  // Once someone sends signs one at a time, keep collecting until they say done or the
  // program's maximum is reached.
  const int minimum = std::max(1, turn.context.settings.min_key_results);
  const int maximum = std::max(minimum, turn.context.settings.max_key_results);
  const int count = static_cast<int>(answers.size());
  const bool one_at_a_time = vars.value("collecting_signals", false);
  vars["wants_more_signals"] = !vars.value("signals_done", false) &&
                               (count < minimum || (one_at_a_time && count < maximum));
  vars["signal_count"] = answers.size();
  vars["key_result_answers"] = std::move(answers);
}

void add_signal(ActionTurn& turn) {
  json& vars = turn.variables;
  const std::string more = text_at(vars, "more_signals");
  const std::string said = normalise(more);
  for (const char* enough : {"done", "no", "none", "nothing", "that's it", "thats it",
                             "that's all", "thats all", "nope", "no more", "enough"}) {
    if (said == enough) {
      vars["signals_done"] = true;
      vars.erase("more_signals");
      return split_signals(turn);
    }
  }
  const std::string signals = text_at(vars, "signals");
  vars["signals"] = signals.empty() ? more : signals + "\n" + more;
  vars["collecting_signals"] = true;
  vars.erase("more_signals");
  split_signals(turn);
}

void draft_objective(ActionTurn& turn) {
  json& vars = turn.variables;
  assign_path(vars, "draft.objective", objective_from_answer(text_at(vars, "want")));
  assign_path(vars, "draft.why", text_at(vars, "why"));
  assign_path(vars, "draft.parent", text_at(vars, "parent_link"));
}

void draft_key_results(ActionTurn& turn) {
  json& vars = turn.variables;
  json krs = json::array();
  for (const auto& a : vars.value("key_result_answers", json::array())) {
    krs.push_back(parsed(a.value("text", ""), a.value("today", "")));
  }
  assign_path(vars, "draft.key_results", std::move(krs));
  // New key results deserve fresh follow-ups.
  vars["followup_round"] = 0;
  vars["kept_findings"] = json::array();
}

void lint_key_results(ActionTurn& turn) {
  json& vars = turn.variables;
  const int round = vars.value("followup_round", 0);
  json followups = json::array();
  if (round < max_followup_rounds) {
    const json kept = vars.value("kept_findings", json::array());
    std::vector<int> asked_about;  // one question per key result per round is plenty
    for (const auto& f :
         lint_okr(text_at(vars, "draft.objective"), drafts_of(vars), turn.context.settings)) {
      json finding = {
          {"rule", to_string(f.rule)}, {"index", f.key_result_index}, {"question", f.question}};
      if (std::find(kept.begin(), kept.end(), json(finding_key(finding))) != kept.end())
        continue;
      if (f.key_result_index >= 0 && std::find(asked_about.begin(), asked_about.end(),
                                               f.key_result_index) != asked_about.end()) {
        continue;
      }
      if (f.key_result_index >= 0)
        asked_about.push_back(f.key_result_index);
      if (f.rule == LintRule::too_many_key_results)
        finding["question"] = with_numbered_list(f.question, vars);
      followups.push_back(std::move(finding));
    }
  }
  vars["has_followups"] = !followups.empty();
  if (!followups.empty())
    vars["followup_round"] = round + 1;
  vars["followups"] = std::move(followups);
}

void apply_followups(ActionTurn& turn) {
  json& vars = turn.variables;
  json* krs = find_path(vars, "draft.key_results");
  if (!krs || !krs->is_array())
    return;
  json& kept = vars["kept_findings"];
  if (!kept.is_array())
    kept = json::array();
  json added = json::array();
  std::vector<std::size_t> only;  // key results to keep when the person picked the ones that matter
  for (const auto& f : vars.value("followups", json::array())) {
    const std::string answer = f.value("answer", "");
    const std::string rule = f.value("rule", "");
    const int index = f.value("index", -1);
    if (answer.empty() || wants_to_keep(answer)) {
      kept.push_back(finding_key(f));
      continue;
    }
    if (index >= 0 && static_cast<std::size_t>(index) < krs->size()) {
      json& kr = (*krs)[static_cast<std::size_t>(index)];
      const std::string text = kr.value("text", "");
      const std::string today = kr.value("today", "");
      if (rule == "missing_baseline") {
        if (auto start = amount_in_answer(answer)) {
          kr = to_json(with_baseline(from_json(kr), *start));
          kr["today"] = answer;
        } else {
          kept.push_back(finding_key(f));  // they don't know yet; that is an honest answer
        }
      } else if (rule == "output_not_outcome" || rule == "milestone_not_allowed") {
        kr = parsed(answer, today);  // the outcome they named becomes the key result
      } else if (stands_alone(answer)) {
        kr = parsed(answer, today);  // "NPS from 30 to 45" says it all in their new words
      } else {
        kr = parsed(text + ": " + answer, today);  // "45" only makes sense next to the old words
      }
    } else if (rule == "number_in_objective" || rule == "objective_too_long") {
      assign_path(vars, "draft.objective", objective_from_answer(answer));
    } else if (rule == "too_few_key_results") {
      for (const auto& c : split_key_result_candidates(answer))
        added.push_back(parsed(c, ""));
    } else if (rule == "too_many_key_results") {
      only = chosen_numbers(answer, krs->size());
      if (only.empty())
        kept.push_back(finding_key(f));
    }
  }
  if (!only.empty()) {
    json chosen = json::array();
    for (auto i : only)
      chosen.push_back((*krs)[i]);
    *krs = std::move(chosen);
    kept = json::array();  // indexes changed; earlier "keep" answers no longer line up
  }
  for (auto& a : added)
    krs->push_back(std::move(a));
}

void save_objective(ActionTurn& turn) {
  turn.effects.push_back(SaveObjective{objective_of(turn.variables, turn.context)});
}

}  // namespace okr::dialogs::actions
