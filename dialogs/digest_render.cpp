#include "dialogs/digest_render.hpp"

#include <cmath>
#include <sstream>

#include "dialogs/key_result_view.hpp"

namespace okr::dialogs {
namespace {

std::string names_of(const std::vector<DigestPerson>& people) {
  std::string out;
  for (const auto& p : people) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

std::string title_of(const Digest& d) {
  std::string title = "Weekly digest for " + d.team.name + ", " + to_string(d.week);
  if (!d.cycle_label.empty())
    title += " (" + d.cycle_label + ")";
  return title;
}

std::string confidence_text(const DigestKeyResult& v) {
  if (!v.confidence)
    return "";
  std::string out = "confidence " + std::to_string(*v.confidence) + "/10";
  if (v.trend == ConfidenceTrend::up || v.trend == ConfidenceTrend::down)
    out += std::string(v.trend == ConfidenceTrend::up ? ", up from " : ", down from ") +
           std::to_string(*v.previous_confidence);
  return out;
}

std::string risks_text(const DigestKeyResult& v) {
  std::string out;
  for (DigestRisk r : v.risks) out += (out.empty() ? "" : "; ") + describe(r);
  return out;
}

// The facts of one key result in one line: value, progress, change, confidence.
std::string facts_of(const DigestKeyResult& v) {
  std::string out = digest_value_text(v);
  if (v.progress)
    out += ", " + percent_text(*v.progress);
  if (v.change)
    out += " (" + change_text(*v.change) + ")";
  const auto confidence = confidence_text(v);
  if (!confidence.empty())
    out += ", " + confidence;
  return out;
}

// People's words go into table cells; a stray '|' would split the cell.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string people_lines(const Digest& d, const std::string& bullet) {
  std::string out;
  if (d.checked_in.empty() && d.not_checked_in.empty())
    return out;
  out += bullet + "Checked in: " + (d.checked_in.empty() ? "nobody yet" : names_of(d.checked_in)) + "\n";
  out += bullet + "Not checked in: " + (d.not_checked_in.empty() ? "nobody" : names_of(d.not_checked_in)) + "\n";
  return out;
}

}  // namespace

std::string percent_text(double fraction) {
  return std::to_string(static_cast<int>(std::lround(fraction * 100))) + "%";
}

std::string change_text(double change) {
  const long points = std::lround(change * 100);
  if (points == 0)
    return "no change";
  return (points > 0 ? "+" : "") + std::to_string(points) + " pts";
}

std::string digest_value_text(const DigestKeyResult& v) {
  if (!v.value)
    return "no check-in yet";
  return value_text(v.key_result, *v.value);
}

std::string digest_text(const Digest& d) {
  std::ostringstream out;
  out << title_of(d) << "\n" << d.headline << "\n";
  for (const auto& o : d.objectives) {
    out << "\n" << o.objective.text << " (" << o.owner;
    if (o.progress)
      out << ", " << percent_text(*o.progress);
    out << ")\n";
    for (const auto& v : o.key_results) {
      out << "  - " << v.key_result.text << ": " << facts_of(v) << "\n";
      if (v.at_risk())
        out << "    AT RISK: " << risks_text(v) << "\n";
    }
    for (const auto& b : o.blockers) out << "  Blocker: \"" << b.text << "\" (" << b.author << ")\n";
  }
  const auto people = people_lines(d, "");
  if (!people.empty())
    out << "\n" << people;
  return out.str();
}

std::string digest_markdown(const Digest& d) {
  std::ostringstream out;
  out << "## " << title_of(d) << "\n\n**" << d.headline << "**\n";
  for (const auto& o : d.objectives) {
    out << "\n### " << o.objective.text << "\n\n_" << o.owner;
    if (o.progress)
      out << " · " << percent_text(*o.progress);
    out << "_\n\n| Key result | Now | Progress | Change | Confidence | Risk |\n|---|---|---|---|---|---|\n";
    for (const auto& v : o.key_results) {
      out << "| " << cell(v.key_result.text) << " | " << digest_value_text(v) << " | "
          << (v.progress ? percent_text(*v.progress) : "–") << " | " << (v.change ? change_text(*v.change) : "–")
          << " | " << (v.confidence ? confidence_text(v) : "–") << " | "
          << (v.at_risk() ? "⚠️ " + risks_text(v) : "on track") << " |\n";
    }
    if (!o.blockers.empty()) {
      out << "\nBlockers:\n";
      for (const auto& b : o.blockers) out << "- \"" << b.text << "\" — " << b.author << "\n";
    }
  }
  const auto people = people_lines(d, "- ");
  if (!people.empty())
    out << "\n" << people;
  return out.str();
}

std::string digest_summary_text(const Digest& d) {
  std::ostringstream out;
  out << title_of(d) << "\n" << d.headline << "\n";
  bool first = true;
  for (const auto& o : d.objectives)
    for (const auto& v : o.key_results) {
      if (!v.at_risk())
        continue;
      out << (first ? "\nAt risk:\n" : "") << "- " << v.key_result.text << " (" << o.owner << "): " << risks_text(v)
          << "\n";
      first = false;
    }
  first = true;
  for (const auto& o : d.objectives)
    for (const auto& b : o.blockers) {
      out << (first ? "\nBlockers:\n" : "") << "- \"" << b.text << "\" (" << b.author << ")\n";
      first = false;
    }
  const auto people = people_lines(d, "");
  if (!people.empty())
    out << "\n" << people;
  return out.str();
}

Outbound digest_message(const Digest& d) {
  Outbound message;
  // The table carries each key result's line; the text adds what a row cannot hold (the risk
  // reasons, blockers, people), so a channel showing both never repeats itself.
  message.text = digest_summary_text(d);
  ProgressTable table;
  table.title = "Key results, " + to_string(d.week);
  for (const auto& o : d.objectives) {
    for (const auto& v : o.key_results) {
      ProgressRow row;
      row.objective = o.objective.text;
      row.key_result = v.key_result.text;
      row.value = digest_value_text(v);
      row.progress = v.progress.value_or(0);
      row.change = v.change;
      row.confidence = v.confidence;
      row.at_risk = v.at_risk();
      table.rows.push_back(std::move(row));
    }
  }
  message.progress = std::move(table);
  return message;
}

}  // namespace okr::dialogs
