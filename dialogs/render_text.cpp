#include "dialogs/render_text.hpp"

#include <cmath>
#include <cstdio>

#include "dialogs/domain_names.hpp"

namespace okr::dialogs {

namespace {

std::string number_text(double v) {
  char buffer[32];
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
    std::string s = buffer;
    while (s.back() == '0')
      s.pop_back();
    return s;
  }
  return buffer;
}

std::string with_unit(double v, const std::string& unit) {
  if (unit.empty())
    return number_text(v);
  if (unit == "%")
    return number_text(v) + "%";
  return number_text(v) + " " + unit;
}

std::string percent(double fraction) {
  double rounded = std::round(fraction * 100);
  if (rounded == 0)
    rounded = 0;  // no "-0%" for a tiny step backwards
  return number_text(rounded) + "%";
}

void add_line(std::string& out, const std::string& line) {
  if (!out.empty())
    out += '\n';
  out += line;
}

void render_summary(std::string& out, const SummaryCard& card) {
  if (!card.heading.empty())
    add_line(out, card.heading);
  for (const auto& item : card.items)
    add_line(out, "  " + item.label + ": " + item.text);
}

void render_okr(std::string& out, const OkrCard& card) {
  add_line(out, "  Objective: " + card.objective);
  if (!card.why.empty())
    add_line(out, "  Why now: " + card.why);
  if (!card.parent.empty())
    add_line(out, "  Connects to: " + card.parent);
  int n = 1;
  for (const auto& kr : card.key_results) {
    std::string line = "  KR" + std::to_string(n++) + ": " + kr.text;
    std::string detail(to_string(kr.kind));
    if (kr.baseline && kr.target) {
      detail += ", " + with_unit(*kr.baseline, kr.unit) + " -> " + with_unit(*kr.target, kr.unit);
    } else if (kr.target) {
      detail += ", target " + with_unit(*kr.target, kr.unit);
    } else if (kr.baseline) {
      detail += ", today " + with_unit(*kr.baseline, kr.unit);
    }
    if (kr.deadline)
      detail += ", by " + *kr.deadline;
    add_line(out, line + " (" + detail + ")");
  }
}

void render_progress(std::string& out, const ProgressTable& table) {
  if (!table.title.empty())
    add_line(out, table.title);
  std::string objective;
  for (const auto& row : table.rows) {
    if (!row.objective.empty() && row.objective != objective) {
      objective = row.objective;
      add_line(out, "  " + objective);
    }
    if (row.value.empty()) {  // nothing measured: e.g. an objective still without key results
      add_line(out, "    - " + row.key_result);
      continue;
    }
    std::string line = "    - " + row.key_result + ": " + row.value + " (" + percent(row.progress);
    if (row.change) {
      double points = std::round(*row.change * 100);
      if (points == 0)
        points = 0;
      line += std::string(", ") + (points >= 0 ? "+" : "") + number_text(points) + " pts";
    }
    line += ")";
    if (row.confidence)
      line += ", confidence " + std::to_string(*row.confidence) + "/10";
    if (row.at_risk)
      line += "  [at risk]";
    add_line(out, line);
  }
  if (table.rows.empty())
    add_line(out, "  (nothing yet)");
}

}  // namespace

std::string render_text(const Outbound& message) {
  std::string out = message.text;
  // The OKR itself first: it is what the person is confirming; the context around it follows.
  if (message.okr)
    render_okr(out, *message.okr);
  if (message.summary)
    render_summary(out, *message.summary);
  if (message.progress)
    render_progress(out, *message.progress);
  if (message.question && !message.question->choices.empty()) {
    std::string line;
    for (const auto& c : message.question->choices) {
      if (!line.empty())
        line += "  ";
      line += std::to_string(c.number) + ") " + c.label;
    }
    add_line(out, line);
  }
  if (message.scale) {
    std::string hint =
        "(" + std::to_string(message.scale->min) + "-" + std::to_string(message.scale->max);
    if (!message.scale->low_label.empty() && !message.scale->high_label.empty()) {
      hint += ": " + std::to_string(message.scale->min) + " = " + message.scale->low_label + ", " +
              std::to_string(message.scale->max) + " = " + message.scale->high_label;
    }
    add_line(out, hint + ")");
  }
  return out;
}

}  // namespace okr::dialogs
