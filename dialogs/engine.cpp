#include "dialogs/engine.hpp"

#include <algorithm>
#include <stdexcept>

#include "dialogs/actions.hpp"
#include "dialogs/answer.hpp"
#include "dialogs/coach_words.hpp"
#include "dialogs/outside_dialog.hpp"
#include "dialogs/variables.hpp"

namespace okr::dialogs {

namespace {
using nlohmann::json;

constexpr const char* loops_key = "_loops";
// Generous: a shipped dialog runs a handful of nodes between questions; only a broken
// definition (which validation rejects) could come near this.
constexpr int max_silent_nodes = 1000;
// Enough to walk back through any shipped dialog; keeps a long loop from bloating stored state.
constexpr std::size_t max_history = 100;

// Last cycle's learnings in one sentence, leaving out what the person did not say.
std::string recap(const Reflection& r) {
  std::vector<std::string> parts;
  if (!r.do_differently.empty())
    parts.push_back("you'd do this differently: \"" + r.do_differently + "\"");
  if (!r.stop_habit.empty())
    parts.push_back("you wanted to stop " + std::string("\"") + r.stop_habit + "\"");
  if (!r.carry_forward.empty())
    parts.push_back("you'd carry forward \"" + r.carry_forward + "\"");
  std::string out = "you said ";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0)
      out += i + 1 == parts.size() ? "; and " : "; ";
    out += parts[i];
  }
  return parts.empty() ? std::string() : out + ".";
}

// Values a prompt may quote besides the dialog's own variables.
json context_values(const Context& ctx) {
  json out = {{"person", {{"name", ctx.person.display_name}}},
              {"team",
               {{"name", ctx.team ? ctx.team->name : ""},
                {"parent_objective", ctx.settings.parent_objective}}},
              {"cycle", {{"label", ctx.cycle ? ctx.cycle->label : ""}}},
              {"program",
               {{"max_objectives", ctx.settings.max_objectives},
                {"min_key_results", ctx.settings.min_key_results},
                {"max_key_results", ctx.settings.max_key_results}}},
              {"objective_count", ctx.objectives.size()}};
  if (ctx.last_reflection) {
    const Reflection& r = *ctx.last_reflection;
    out["last_reflection"] = {{"learned", r.learned},
                              {"went_well", r.went_well},
                              {"do_differently", r.do_differently},
                              {"stop_habit", r.stop_habit},
                              {"carry_forward", r.carry_forward},
                              {"recap", recap(r)}};
  }
  return out;
}

// "answered:<variable>": whether the person has answered it (lets a flow skip questions
// already answered when it comes back through them after an edit).
constexpr std::string_view answered_prefix = "answered:";

// A branch's fact, or nothing when `name` is not one (then it names a variable).
std::optional<bool> fact(const std::string& name, const Context& ctx, const json& vars) {
  if (name.starts_with(answered_prefix)) {
    return !is_blank(find_path(vars, std::string_view(name).substr(answered_prefix.size())));
  }
  if (name == "has_team")
    return ctx.team.has_value();
  if (name == "may_set_up_team")
    return may_set_up_team(ctx);
  if (name == "has_parent_objective")
    return !ctx.settings.parent_objective.empty();
  if (name == "has_last_reflection") {
    const auto& r = ctx.last_reflection;
    return r && (!r->do_differently.empty() || !r->stop_habit.empty() || !r->carry_forward.empty());
  }
  if (name == "has_room_for_objective") {
    return static_cast<int>(ctx.objectives.size()) < ctx.settings.max_objectives;
  }
  if (name == "has_active_key_results") {
    return std::any_of(ctx.objectives.begin(), ctx.objectives.end(),
                       [](const Objective& o) { return !o.key_results.empty(); });
  }
  return std::nullopt;
}

std::string case_key(const json* value) {
  if (!value || value->is_null())
    return "";
  if (value->is_boolean())
    return value->get<bool>() ? "true" : "false";
  if (value->is_string())
    return value->get<std::string>();
  return as_text(*value);
}

class Turn {
 public:
  Turn(const DialogDefinition& def, DialogInstance inst, const Context& ctx)
      : def_(def), ctx_(ctx), values_(context_values(ctx)) {
    result_.instance = std::move(inst);
    result_.instance->updated_at = ctx.now;
    if (!vars().is_object())
      vars() = json::object();
  }

  StepResult finish() { return std::move(result_); }
  DialogInstance& inst() { return *result_.instance; }
  json& vars() { return inst().variables; }
  const Node& current() const { return def_.nodes.at(result_.instance->node); }

  void say(std::string text) {
    result_.messages.push_back(Outbound{std::move(text), {}, {}, {}, {}, {}});
  }

  std::string text_of(std::string_view t) { return fill(t, vars(), values_); }

  // The message that asks `node` (an ask or summary node).
  Outbound prompt(const Node& node) {
    Outbound out;
    out.text = text_of(node.text);
    if (node.kind == NodeKind::summary) {
      out.summary = summary_card(node, false);
      if (!node.okr_card.empty())
        out.okr = okr_card(node.okr_card);
      if (!node.progress_table.empty())
        out.progress = progress_table(node.progress_table);
    }
    if (node.kind == NodeKind::summary || node.validator == Validator::choice ||
        node.validator == Validator::yes_no) {
      out.question = Question{node.id, choices_of(node)};
    } else if (node.validator == Validator::scale) {
      out.scale = Scale{node.id, static_cast<int>(node.min.value_or(1)),
                        static_cast<int>(node.max.value_or(10)), text_of(node.low_label),
                        text_of(node.high_label)};
    }
    return out;
  }

  SummaryCard summary_card(const Node& node, bool so_far) {
    // The heading is the message text itself (the prompt, or "so far"), so cards carry none.
    SummaryCard card{"", {}};
    for (const auto& item : node.items) {
      if (item.only_so_far && !so_far)
        continue;
      const json* v = find_path(vars(), item.variable);
      if (!is_blank(v))
        card.items.push_back({item.label, shown(item.variable, *v)});
    }
    return card;
  }

  // A stored choice id reads better as the label the person picked ("Tuesday", not "tue").
  std::string shown(const std::string& variable, const json& value) {
    if (value.is_string()) {
      for (const auto& [id, n] : def_.nodes) {
        if (n.kind != NodeKind::ask || n.validator != Validator::choice || n.variable != variable)
          continue;
        for (const auto& c : n.choices) {
          if (c.id == value.get<std::string>())
            return c.label;
        }
      }
    }
    return as_text(value);
  }

  OkrCard okr_card(const std::string& variable) {
    OkrCard card;
    const json* v = find_path(vars(), variable);
    if (!v || !v->is_object())
      return card;
    card.objective = v->value("objective", "");
    card.why = v->value("why", "");
    card.parent = v->value("parent", "");
    int position = 0;
    for (const auto& k : v->value("key_results", json::array())) {
      KeyResult kr;
      kr.text = k.value("text", "");
      std::string kind = k.value("kind", "metric");
      kr.kind = kind == "milestone"  ? KeyResultKind::milestone
                : kind == "baseline" ? KeyResultKind::baseline
                                     : KeyResultKind::metric;
      if (k.contains("baseline") && k["baseline"].is_number())
        kr.baseline = k["baseline"].get<double>();
      if (k.contains("target") && k["target"].is_number())
        kr.target = k["target"].get<double>();
      kr.unit = k.value("unit", "");
      kr.direction = k.value("direction", "increase") == "decrease" ? Direction::decrease
                                                                    : Direction::increase;
      if (k.contains("deadline") && k["deadline"].is_string())
        kr.deadline = k["deadline"].get<std::string>();
      kr.position = position++;
      card.key_results.push_back(std::move(kr));
    }
    return card;
  }

  ProgressTable progress_table(const std::string& variable) {
    ProgressTable table;
    const json* v = find_path(vars(), variable);
    if (!v || !v->is_object())
      return table;
    table.title = v->value("title", "");
    for (const auto& r : v->value("rows", json::array())) {
      ProgressRow row;
      row.objective = r.value("objective", "");
      row.key_result = r.value("key_result", "");
      row.value = r.value("value", "");
      row.progress = r.value("progress", 0.0);
      if (r.contains("change") && r["change"].is_number())
        row.change = r["change"].get<double>();
      if (r.contains("confidence") && r["confidence"].is_number())
        row.confidence = r["confidence"].get<int>();
      row.at_risk = r.value("at_risk", false);
      table.rows.push_back(std::move(row));
    }
    return table;
  }

  void ask_again() { result_.messages.push_back(prompt(current())); }

  // Runs silent nodes from `target` until a question is asked or the dialog ends.
  void advance(std::string target) {
    for (int i = 0; i < max_silent_nodes; ++i) {
      if (target == "@restart") {
        vars() = json::object();
        inst().history.clear();
        say(coach_words::starting_over);
        target = def_.start;
      }
      const Node* node = def_.find(target);
      if (!node)
        throw std::logic_error("dialog '" + def_.name + "' has no node '" + target + "'");
      switch (node->kind) {
        case NodeKind::ask:
        case NodeKind::summary:
          inst().node = node->id;
          result_.messages.push_back(prompt(*node));
          return;
        case NodeKind::end:
          say(text_of(node->text));
          result_.instance.reset();
          return;
        case NodeKind::branch: {
          const auto f = fact(node->on, ctx_, vars());
          const std::string key =
              f ? (*f ? "true" : "false") : case_key(find_path(vars(), node->on));
          auto it = node->cases.find(key);
          target = it != node->cases.end() ? it->second : node->otherwise;
          break;
        }
        case NodeKind::action: {
          ActionStep run = find_action(node->action);
          if (!run)
            throw std::logic_error("unknown action '" + node->action + "'");
          ActionTurn turn{vars(), ctx_, result_.effects};
          run(turn);
          target = node->next;
          break;
        }
        case NodeKind::loop:
          target = loop(*node);
          break;
      }
    }
    throw std::logic_error("dialog '" + def_.name + "' ran too many nodes without asking");
  }

  // Enters or re-enters a loop node; returns where to go next.
  std::string loop(const Node& node) {
    json& cursors = vars()[loops_key];
    if (!cursors.is_object())
      cursors = json::object();
    json* list = find_path(vars(), node.over);
    const std::size_t size = list && list->is_array() ? list->size() : 0;
    std::size_t index = 0;
    if (cursors.contains(node.id)) {
      index = cursors[node.id].get<std::size_t>();
      if (index < size && vars().contains(node.as))
        (*list)[index] = vars()[node.as];
      ++index;
    }
    if (index >= size) {
      cursors.erase(node.id);
      vars().erase(node.as);
      return node.next;
    }
    cursors[node.id] = index;
    vars()[node.as] = (*list)[index];
    return node.body;
  }

  // Puts the loop cursors (and the elements they point at) back as they were.
  void restore_loops(const json& snapshot) {
    vars()[loops_key] = snapshot.is_object() ? snapshot : json::object();
    for (const auto& [loop_id, index] : vars()[loops_key].items()) {
      const Node* node = def_.find(loop_id);
      if (!node)
        continue;
      const json* list = find_path(vars(), node->over);
      auto i = index.get<std::size_t>();
      if (list && list->is_array() && i < list->size())
        vars()[node->as] = (*list)[i];
    }
  }

  void answer(const std::string& text) {
    const Node& node = current();
    std::string typed = text;
    if (node.kind == NodeKind::ask && !node.default_value.empty() &&
        coach_words::accepts_default(normalise(text))) {
      typed = text_of(node.default_value);
    }
    auto answer = read_answer(node, typed);
    if (!answer) {
      say(node.reask.empty() ? coach_words::reask_for(node) : text_of(node.reask));
      ask_again();
      return;
    }
    inst().history.push_back({node.id, vars().value(loops_key, json::object())});
    if (inst().history.size() > max_history)
      inst().history.erase(inst().history.begin());
    if (node.kind == NodeKind::ask)
      assign_path(vars(), node.variable, answer->value);
    advance(answer->next.empty() ? node.next : answer->next);
  }

  void back() {
    if (inst().history.empty()) {
      say(coach_words::at_first_question);
      ask_again();
      return;
    }
    AskedQuestion previous = inst().history.back();
    inst().history.pop_back();
    inst().node = previous.node;
    restore_loops(previous.loops);
    ask_again();
  }

  void show_summary() {
    const Node* summary = nullptr;
    for (const auto& [id, n] : def_.nodes) {
      if (n.kind == NodeKind::summary && !summary)
        summary = &n;
    }
    Outbound out;
    SummaryCard card{"", {}};
    if (summary)
      card = summary_card(*summary, true);
    // Once drafted, the OKR itself is the clearest picture of where we are.
    if (summary && !summary->okr_card.empty() &&
        !is_blank(find_path(vars(), summary->okr_card + ".objective"))) {
      out.okr = okr_card(summary->okr_card);
    }
    out.text = card.items.empty() && !out.okr ? coach_words::nothing_yet : coach_words::so_far;
    if (!card.items.empty())
      out.summary = std::move(card);
    result_.messages.push_back(std::move(out));
    ask_again();
  }

  void help() {
    const Node& node = current();
    std::string text = node.help.empty() ? text_of(def_.help) : text_of(node.help);
    if (!text.empty())
      text += "\n";
    say(text + coach_words::moving_around);
    ask_again();
  }

  void cancel() {
    say(coach_words::cancelled(def_.title.empty() ? def_.name : def_.title));
    result_.instance.reset();
  }

 private:
  const DialogDefinition& def_;
  const Context& ctx_;
  json values_;
  StepResult result_;
};

Outbound plain(std::string text) {
  return Outbound{std::move(text), {}, {}, {}, {}, {}};
}

}  // namespace

StepResult begin(const DialogDefinition& definition, const Inbound&, const Context& context) {
  DialogInstance inst;
  inst.dialog = definition.name;
  inst.version = definition.version;
  inst.node = definition.start;
  inst.started_at = context.now;
  Turn turn(definition, std::move(inst), context);
  turn.advance(definition.start);
  return turn.finish();
}

StepResult step(const DialogDefinition& definition, const DialogInstance& instance,
                const Inbound& message, const Context& context) {
  Turn turn(definition, instance, context);
  const Node* node = definition.find(instance.node);
  if (!node || (node->kind != NodeKind::ask && node->kind != NodeKind::summary)) {
    StepResult restarted = begin(definition, message, context);
    restarted.messages.insert(restarted.messages.begin(),
                              plain(coach_words::restarting_changed(definition)));
    return restarted;
  }
  if (message.action) {
    if (message.action->id != instance.node) {
      turn.say(coach_words::stale_button);
      turn.ask_again();
      return turn.finish();
    }
    turn.answer(message.action->value);
    return turn.finish();
  }
  const std::string word = normalise(message.text);
  if (word == "help" || coach_words::trimmed(message.text) == "?") {
    turn.help();
  } else if (word == "back") {
    turn.back();
  } else if (word == "cancel" || word == "quit") {
    turn.cancel();
  } else if (word == "summary") {
    turn.show_summary();
  } else {
    turn.answer(message.text);
  }
  return turn.finish();
}

StepResult handle_turn(const DialogCatalog& catalog, const std::optional<DialogInstance>& active,
                       const Inbound& message, const Context& context) {
  std::vector<Outbound> before;
  if (active) {
    const DialogDefinition* definition = catalog.find(active->dialog);
    const auto idle = context.now - active->updated_at;
    if (!definition) {
      before.push_back(plain(coach_words::dialog_gone));
    } else if (context.idle_days > 0 && idle > std::chrono::hours(24) * context.idle_days) {
      before.push_back(
          plain(coach_words::closed_idle(*definition, active->updated_at, context.now)));
    } else if (active->version == definition->version || definition->find(active->node)) {
      DialogInstance resumed = *active;
      if (resumed.version != definition->version) {
        // Same question still exists: carry on, forgetting history entries that are gone.
        resumed.version = definition->version;
        std::erase_if(resumed.history,
                      [&](const AskedQuestion& a) { return !definition->find(a.node); });
      }
      return step(*definition, resumed, message, context);
    } else {
      StepResult restarted = begin(*definition, message, context);
      restarted.messages.insert(restarted.messages.begin(),
                                plain(coach_words::restarting_changed(*definition)));
      return restarted;
    }
  }
  StepResult result = outside_dialog(catalog, message, context);
  result.messages.insert(result.messages.begin(), before.begin(), before.end());
  return result;
}

}  // namespace okr::dialogs
