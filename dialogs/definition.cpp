#include "dialogs/definition.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "dialogs/actions.hpp"

namespace okr::dialogs {

namespace {
using nlohmann::json;

// A node may jump here to begin the dialog afresh with nothing kept.
constexpr std::string_view restart_target = "@restart";

std::optional<NodeKind> kind_from(const std::string& name) {
  if (name == "ask")
    return NodeKind::ask;
  if (name == "branch")
    return NodeKind::branch;
  if (name == "action")
    return NodeKind::action;
  if (name == "loop")
    return NodeKind::loop;
  if (name == "summary")
    return NodeKind::summary;
  if (name == "end")
    return NodeKind::end;
  return std::nullopt;
}

std::optional<Validator> validator_from(const std::string& name) {
  static const std::map<std::string, Validator> names = {
      {"text", Validator::text},     {"number", Validator::number},
      {"scale", Validator::scale},   {"score", Validator::score},
      {"choice", Validator::choice}, {"yes_no", Validator::yes_no},
      {"time", Validator::time},     {"time_zone", Validator::time_zone}};
  auto it = names.find(name);
  if (it == names.end())
    return std::nullopt;
  return it->second;
}

const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = {
      "id",        "kind",       "text", "help",  "next",      "variable",
      "validator", "choices",    "min",  "max",   "reask",     "default",
      "low_label", "high_label", "on",   "cases", "otherwise", "action",
      "over",      "as",         "body", "items", "okr_card",  "progress_table"};
  return keys;
}

class Checker {
 public:
  explicit Checker(std::string file) : file_(std::move(file)) {}

  void error(const std::string& node, std::string message) {
    problems_.push_back({file_, node, std::move(message), true});
  }
  void warning(const std::string& node, std::string message) {
    problems_.push_back({file_, node, std::move(message), false});
  }
  bool has_errors() const {
    return std::any_of(problems_.begin(), problems_.end(), [](auto& p) { return p.error; });
  }
  std::vector<DefinitionProblem> take() { return std::move(problems_); }

 private:
  std::string file_;
  std::vector<DefinitionProblem> problems_;
};

std::string string_field(const json& j, const char* key, Checker& check, const std::string& node) {
  if (!j.contains(key))
    return {};
  if (!j.at(key).is_string()) {
    check.error(node, std::string("'") + key + "' must be a string");
    return {};
  }
  return j.at(key).get<std::string>();
}

std::optional<double> number_field(const json& j, const char* key, Checker& check,
                                   const std::string& node) {
  if (!j.contains(key))
    return std::nullopt;
  if (!j.at(key).is_number()) {
    check.error(node, std::string("'") + key + "' must be a number");
    return std::nullopt;
  }
  return j.at(key).get<double>();
}

std::vector<ChoiceSpec> parse_choices(const json& j, Checker& check, const std::string& node) {
  std::vector<ChoiceSpec> choices;
  if (!j.contains("choices"))
    return choices;
  if (!j["choices"].is_array()) {
    check.error(node, "'choices' must be a list");
    return choices;
  }
  for (const auto& c : j["choices"]) {
    if (!c.is_object()) {
      check.error(node, "each choice must be an object with an id and a label");
      continue;
    }
    ChoiceSpec spec;
    spec.id = string_field(c, "id", check, node);
    spec.label = string_field(c, "label", check, node);
    spec.next = string_field(c, "next", check, node);
    if (c.contains("words") && c["words"].is_array()) {
      for (const auto& w : c["words"]) {
        if (w.is_string())
          spec.words.push_back(w.get<std::string>());
      }
    }
    if (spec.id.empty() || spec.label.empty()) {
      check.error(node, "a choice needs both an id and a label");
    }
    choices.push_back(std::move(spec));
  }
  return choices;
}

Node parse_node(const json& j, Checker& check, std::size_t position) {
  Node n;
  if (!j.is_object()) {
    check.error("#" + std::to_string(position + 1), "a node must be a JSON object");
    return n;
  }
  n.id = string_field(j, "id", check, "#" + std::to_string(position + 1));
  const std::string where = n.id.empty() ? "#" + std::to_string(position + 1) : n.id;
  if (n.id.empty())
    check.error(where, "node without an id");
  for (const auto& [key, value] : j.items()) {
    if (!known_keys().count(key))
      check.warning(where, "unknown field '" + key + "' is ignored");
  }
  const std::string kind = string_field(j, "kind", check, where);
  auto parsed_kind = kind_from(kind);
  if (!parsed_kind) {
    check.error(where, kind.empty() ? "missing 'kind'" : "unknown kind '" + kind + "'");
  } else {
    n.kind = *parsed_kind;
  }
  n.text = string_field(j, "text", check, where);
  n.help = string_field(j, "help", check, where);
  n.next = string_field(j, "next", check, where);
  n.variable = string_field(j, "variable", check, where);
  const std::string validator = string_field(j, "validator", check, where);
  if (!validator.empty()) {
    if (auto v = validator_from(validator)) {
      n.validator = *v;
    } else {
      check.error(where, "bad validator '" + validator +
                             "' (use text, number, scale, score, choice, yes_no, time, time_zone)");
    }
  }
  n.choices = parse_choices(j, check, where);
  n.min = number_field(j, "min", check, where);
  n.max = number_field(j, "max", check, where);
  n.reask = string_field(j, "reask", check, where);
  n.default_value = string_field(j, "default", check, where);
  n.low_label = string_field(j, "low_label", check, where);
  n.high_label = string_field(j, "high_label", check, where);
  n.on = string_field(j, "on", check, where);
  if (j.contains("cases")) {
    if (!j["cases"].is_object()) {
      check.error(where, "'cases' must map values to node ids");
    } else {
      for (const auto& [value, target] : j["cases"].items()) {
        if (target.is_string()) {
          n.cases[value] = target.get<std::string>();
        } else {
          check.error(where, "case '" + value + "' must name a node id");
        }
      }
    }
  }
  n.otherwise = string_field(j, "otherwise", check, where);
  n.action = string_field(j, "action", check, where);
  n.over = string_field(j, "over", check, where);
  n.as = string_field(j, "as", check, where);
  n.body = string_field(j, "body", check, where);
  if (j.contains("items")) {
    if (!j["items"].is_array()) {
      check.error(where, "'items' must be a list of {label, variable}");
    } else {
      for (const auto& item : j["items"]) {
        if (!item.is_object()) {
          check.error(where, "each summary item needs a label and a variable");
          continue;
        }
        n.items.push_back({string_field(item, "label", check, where),
                           string_field(item, "variable", check, where),
                           item.contains("only_so_far") && item["only_so_far"].is_boolean() &&
                               item["only_so_far"].get<bool>()});
      }
    }
  }
  n.okr_card = string_field(j, "okr_card", check, where);
  n.progress_table = string_field(j, "progress_table", check, where);
  return n;
}

// Every node id this node can lead to.
std::vector<std::string> targets_of(const Node& n) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& t) {
    if (!t.empty())
      out.push_back(t);
  };
  add(n.next);
  for (const auto& c : n.choices)
    add(c.next);
  for (const auto& [value, target] : n.cases)
    add(target);
  add(n.otherwise);
  add(n.body);
  return out;
}

void check_node(const Node& n, Checker& check) {
  const std::string& id = n.id;
  auto need = [&](bool ok, const std::string& message) {
    if (!ok)
      check.error(id, message);
  };
  switch (n.kind) {
    case NodeKind::ask:
      need(!n.text.empty(), "missing prompt ('text')");
      need(!n.variable.empty(), "an ask node needs a 'variable' to store the answer in");
      if (n.validator == Validator::choice)
        need(!n.choices.empty(), "a choice question needs 'choices'");
      if (n.min && n.max)
        need(*n.min <= *n.max, "'min' is greater than 'max'");
      need(!n.next.empty() ||
               (!n.choices.empty() && std::all_of(n.choices.begin(), n.choices.end(),
                                                  [](auto& c) { return !c.next.empty(); })),
           "missing 'next' (or a 'next' on every choice)");
      break;
    case NodeKind::summary:
      need(!n.text.empty(), "missing prompt ('text')");
      need(!n.choices.empty(), "a summary needs choices (e.g. Confirm / Edit / Start over)");
      need(std::all_of(n.choices.begin(), n.choices.end(), [](auto& c) { return !c.next.empty(); }),
           "every summary choice needs a 'next'");
      for (const auto& item : n.items) {
        need(!item.label.empty() && !item.variable.empty(),
             "each summary item needs a label and a variable");
      }
      break;
    case NodeKind::branch:
      need(!n.on.empty(), "a branch needs 'on' (a fact or a variable)");
      need(!n.otherwise.empty(), "a branch needs 'otherwise' for values no case names");
      break;
    case NodeKind::action:
      need(!n.action.empty(), "an action node needs 'action'");
      if (!n.action.empty())
        need(find_action(n.action) != nullptr, "unknown action '" + n.action + "'");
      need(!n.next.empty(), "missing 'next'");
      break;
    case NodeKind::loop:
      need(!n.over.empty(), "a loop needs 'over' (the list variable)");
      need(!n.as.empty(), "a loop needs 'as' (the name of the current element)");
      need(!n.body.empty(), "a loop needs 'body' (its first node)");
      need(!n.next.empty(), "missing 'next' (where to go after the last element)");
      break;
    case NodeKind::end:
      need(!n.text.empty(), "an end node needs closing words ('text')");
      break;
  }
}

void check_graph(const DialogDefinition& d, Checker& check) {
  // Unknown targets.
  if (!d.find(d.start))
    check.error("", "start node '" + d.start + "' does not exist");
  for (const auto& [id, n] : d.nodes) {
    for (const auto& t : targets_of(n)) {
      if (t != restart_target && !d.find(t)) {
        check.error(id, "refers to unknown node '" + t + "'");
      }
    }
  }
  if (check.has_errors())
    return;

  // Reachable from the start.
  std::set<std::string> reached;
  std::vector<std::string> todo = {d.start};
  while (!todo.empty()) {
    auto id = todo.back();
    todo.pop_back();
    if (id == restart_target || !reached.insert(id).second)
      continue;
    for (const auto& t : targets_of(d.nodes.at(id)))
      todo.push_back(t);
  }
  for (const auto& [id, n] : d.nodes) {
    if (!reached.count(id))
      check.warning(id, "unreachable: no path from the start leads here");
  }

  // Every reachable node must be able to reach an end node; otherwise people get stuck in a
  // cycle with no exit (cancel still works, but the dialog could never finish).
  std::set<std::string> can_end;
  bool grew = true;
  for (const auto& [id, n] : d.nodes) {
    if (n.kind == NodeKind::end)
      can_end.insert(id);
  }
  while (grew) {
    grew = false;
    for (const auto& [id, n] : d.nodes) {
      if (can_end.count(id))
        continue;
      for (const auto& t : targets_of(n)) {
        if (t == restart_target || can_end.count(t)) {
          // A loop finishes only through `next`; its body alone is not an exit.
          if (n.kind == NodeKind::loop && t == n.body && t != n.next)
            continue;
          can_end.insert(id);
          grew = true;
          break;
        }
      }
    }
  }
  for (const auto& id : reached) {
    if (!can_end.count(id))
      check.error(id, "cycle with no exit: no end node can be reached from here");
  }

  // A cycle made only of branches and actions would spin without ever asking anything.
  std::map<std::string, int> colour;  // 0 new, 1 on the path, 2 done
  std::function<bool(const std::string&)> spins = [&](const std::string& id) -> bool {
    colour[id] = 1;
    const Node& n = d.nodes.at(id);
    if (n.kind == NodeKind::branch || n.kind == NodeKind::action) {
      for (const auto& t : targets_of(n)) {
        if (t == restart_target)
          continue;
        const Node& m = d.nodes.at(t);
        if (m.kind != NodeKind::branch && m.kind != NodeKind::action)
          continue;
        if (colour[t] == 1) {
          check.error(id,
                      "cycle through '" + t + "' never asks a question, so it would never stop");
          return true;
        }
        if (colour[t] == 0 && spins(t))
          return true;
      }
    }
    colour[id] = 2;
    return false;
  };
  for (const auto& [id, n] : d.nodes) {
    if (colour[id] == 0 && spins(id))
      break;
  }
}
}  // namespace

const Node* DialogDefinition::find(std::string_view id) const {
  auto it = nodes.find(std::string(id));
  return it == nodes.end() ? nullptr : &it->second;
}

std::string DefinitionProblem::describe() const {
  std::string out = file + ": ";
  if (!node.empty())
    out += "node '" + node + "': ";
  out += message;
  if (!error)
    out += " (warning)";
  return out;
}

DefinitionLoad parse_definition(std::string_view json_text, std::string_view file) {
  Checker check{std::string(file)};
  DefinitionLoad result;
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::exception& e) {
    // Not only parse_error: a number too large for a double ("1e999") throws out_of_range.
    check.error("", std::string("not valid JSON: ") + e.what());
    result.problems = check.take();
    return result;
  }
  if (!j.is_object()) {
    check.error("", "a dialog file must hold one JSON object");
    result.problems = check.take();
    return result;
  }
  DialogDefinition d;
  d.name = string_field(j, "name", check, "");
  d.title = string_field(j, "title", check, "");
  d.help = string_field(j, "help", check, "");
  d.start = string_field(j, "start", check, "");
  if (d.name.empty())
    check.error("", "missing 'name'");
  if (d.start.empty())
    check.error("", "missing 'start'");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() < 1) {
    check.error("", "'version' must be a whole number of at least 1");
  } else {
    d.version = j["version"].get<int>();
  }
  if (!j.contains("nodes") || !j["nodes"].is_array() || j["nodes"].empty()) {
    check.error("", "'nodes' must be a non-empty list");
  } else {
    for (std::size_t i = 0; i < j["nodes"].size(); ++i) {
      Node n = parse_node(j["nodes"][i], check, i);
      if (n.id.empty())
        continue;
      if (d.nodes.count(n.id)) {
        check.error(n.id, "duplicate node id");
        continue;
      }
      check_node(n, check);
      d.nodes.emplace(n.id, std::move(n));
    }
  }
  if (!check.has_errors())
    check_graph(d, check);
  if (!check.has_errors())
    result.definition = std::move(d);
  result.problems = check.take();
  return result;
}

const DialogDefinition* DialogCatalog::find(std::string_view name) const {
  auto it = dialogs.find(std::string(name));
  return it == dialogs.end() ? nullptr : &it->second;
}

bool CatalogLoad::ok() const {
  return std::none_of(problems.begin(), problems.end(), [](auto& p) { return p.error; });
}

const std::vector<std::string>& known_facts() {
  static const std::vector<std::string> facts = {"has_team",
                                                 "may_set_up_team",
                                                 "has_parent_objective",
                                                 "has_last_reflection",
                                                 "has_active_key_results",
                                                 "has_room_for_objective"};
  return facts;
}

}  // namespace okr::dialogs
