#pragma once
// Team setup from a chat channel, and sharing a reflection with one's coach. Platform-free: the
// channel adapter reads the channel's people (a Web API call, outside any transaction) and hands
// them over as a ChannelRoster; everything here runs inside one storage transaction.
//
//   `/okr setup` in a channel → set_up_channel_team: binds the channel to a team (new: its
//     setter becomes admin; bound already: its coaches and admins only), makes the channel's
//     people its members, then asks in the person's DM for managers, then coaches, by @mention
//     (typed fallback "skip") — answered through answer_setup_question.
//   once a day → apply_channel_roster: members follow the channel (joiners in, leavers out).
//   `share` → the person's latest reflection goes to the coaches of their team, recorded.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/pipeline/office_commands.hpp"
#include "dialogs/domain.hpp"
#include "dialogs/message.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::pipeline {

// Action id of the setup question's buttons (value "skip"); typed answers work as well.
inline constexpr const char* kTeamSetupQuestion = "team_setup";

struct ChannelPerson {
  std::string user_ref;  // the platform's user id
  std::string display_name;
  std::string time_zone;  // IANA name; empty when the platform did not say
};

// The people of a channel: humans only (the adapter leaves out bots and the coach itself).
struct ChannelRoster {
  std::string platform;
  std::string workspace;
  std::string channel;  // the platform's channel id
  std::string name;     // what people call it ("growth"), for the team's name and messages
  std::vector<ChannelPerson> people;
};

// What a channel adapter passes as the neutral text of `/okr setup` typed in a channel:
// "setup channel <id> [<name>]". nullopt for any other text.
struct ChannelSetupRequest {
  std::string channel;
  std::string name;
};
std::optional<ChannelSetupRequest> channel_setup_request(std::string_view text);

// `who` ran setup in the roster's channel. Returns the replies for their DM.
std::vector<dialogs::Outbound> set_up_channel_team(storage::Database& db, const dialogs::Person& who,
                                                   const ChannelRoster& roster,
                                                   dialogs::TimePoint now);

// The answer to the person's open setup question; nullopt when none is open (or it is older
// than two days), so the message is an ordinary turn.
std::optional<std::vector<dialogs::Outbound>> answer_setup_question(storage::Database& db,
                                                                    const dialogs::Inbound& message,
                                                                    dialogs::TimePoint now);

struct RosterChange {
  int joined = 0;
  int left = 0;
};
// Makes the team's members the roster's people: newcomers become members, members of the same
// platform and workspace who left the channel lose the member role (other roles stay), and the
// default schedules follow. Pushes the channel's next membership read a day on.
RosterChange apply_channel_roster(storage::Database& db, dialogs::Id team_id,
                                  const ChannelRoster& roster, dialogs::TimePoint now);

// `share`: the person's latest reflection to their team's coaches (see share_command.cpp).
void add_share_command(CommandTable& table);

// Sends `reflection` to each coach of the team (but its author) in their DM through the outbox
// and records the share; a coach who already has it gets nothing again. Joins the caller's
// transaction. Also used when the reflect dialog's "may your coach read this?" was answered yes.
struct ShareOutcome {
  std::vector<std::string> sent_to;  // coaches' names
  std::vector<std::string> had_it;
};
ShareOutcome share_with_coaches(storage::Database& db, const dialogs::Person& author,
                                dialogs::Id team_id, const dialogs::Reflection& reflection,
                                dialogs::TimePoint now);

}  // namespace okr::bot::pipeline
