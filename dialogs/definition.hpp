#pragma once
// A dialog defined as data (config/dialogs/*.json): a graph of named nodes. Loading validates the
// whole graph up front and reports every problem with the file and node it is in, so a broken
// file stops the service at start instead of stranding someone mid-conversation.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace okr::dialogs {

enum class NodeKind { ask, branch, action, loop, summary, end };

// How an ask node reads an answer.
enum class Validator {
  text,       // any non-empty text
  number,     // a number, optionally within [min, max]
  scale,      // a whole number within [min, max], default 1-10
  score,      // 0.0-1.0; "70%" reads as 0.7
  choice,     // one of `choices`, by number, label, word or button
  yes_no,     // yes/no (or the choices given), stored as true/false
  time,       // HH:MM, 24-hour
  time_zone,  // an IANA zone name, e.g. Europe/Berlin
};

struct ChoiceSpec {
  std::string id;
  std::string label;
  std::vector<std::string> words;  // extra typed fallbacks
  std::string next;                // where this choice leads; empty = the node's `next`
};

struct SummaryItemSpec {
  std::string label;
  std::string variable;      // variable path; the item is left out while it has no value
  bool only_so_far = false;  // shown for the `summary` word mid-dialog, not on the final card
};

struct Node {
  std::string id;
  NodeKind kind = NodeKind::end;
  std::string text;  // ask/summary: the prompt; end: the closing words (templates: {var.path})
  std::string help;  // ask/summary: node-specific help
  std::string next;

  // ask (and the confirm choices of summary)
  std::string variable;  // where the answer goes (dotted path; inside a loop: "kr.value")
  Validator validator = Validator::text;
  std::vector<ChoiceSpec> choices;
  std::optional<double> min;
  std::optional<double> max;
  std::string reask;                  // said when the answer does not fit
  std::string default_value;          // template; "ok"/"keep"/"default" accept it
  std::string low_label, high_label;  // scale ends

  // branch: on a fact (see known_facts), "answered:<variable>", or a variable path
  std::string on;
  std::map<std::string, std::string> cases;  // value -> node id
  std::string otherwise;

  // action: a named C++ step (see action_names)
  std::string action;

  // loop: for each element of the list variable `over`, bind it to `as` and run from `body`;
  // the body returns to the loop node, which moves on, and leaves by `next` when done.
  std::string over;
  std::string as;
  std::string body;

  // summary: labelled answers, plus an OKR card or progress table from a variable
  std::vector<SummaryItemSpec> items;
  std::string okr_card;        // variable holding {objective, why, parent, key_results}
  std::string progress_table;  // variable holding {title, rows}
};

struct DialogDefinition {
  std::string name;   // what a person types to begin it, e.g. "draft"
  int version = 1;    // bump when nodes change meaning
  std::string title;  // short description, for help
  std::string help;   // what this dialog is for and how to move around in it
  std::string start;
  std::map<std::string, Node> nodes;

  const Node* find(std::string_view id) const;
};

// One problem found while loading, e.g. "draft.json: node 'why': missing prompt".
struct DefinitionProblem {
  std::string file;
  std::string node;  // empty when about the file as a whole
  std::string message;
  bool error = true;  // false: a warning (e.g. an unreachable node)
  std::string describe() const;
};

struct DefinitionLoad {
  std::optional<DialogDefinition> definition;  // set when there are no errors
  std::vector<DefinitionProblem> problems;
};

// Parses and validates one dialog file's text; `file` names it in problems.
DefinitionLoad parse_definition(std::string_view json_text, std::string_view file);

struct DialogCatalog {
  std::map<std::string, DialogDefinition> dialogs;  // by name
  const DialogDefinition* find(std::string_view name) const;
};

struct CatalogLoad {
  DialogCatalog catalog;
  std::vector<DefinitionProblem> problems;
  bool ok() const;  // no errors (warnings allowed)
};

// The shipped texts (name -> JSON text, e.g. from config::shipped_dialogs()), with every
// `*.json` in `directory` replacing the shipped dialog of the same name when the directory
// exists. An empty directory path means the shipped texts only.
CatalogLoad load_catalog(const std::map<std::string, std::string>& shipped,
                         const std::string& directory);

// Names a branch may test besides variables: has_team, may_set_up_team, has_parent_objective,
// has_last_reflection, has_active_key_results, has_room_for_objective.
const std::vector<std::string>& known_facts();

}  // namespace okr::dialogs
