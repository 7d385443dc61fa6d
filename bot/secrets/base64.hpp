#pragma once
// Standard base64 (RFC 4648 §4, with '=' padding): the form OKR_COACH_SECRET_KEY is given in
// (`openssl rand -base64 32`) and the form sealed tokens take in the database.
#include <optional>
#include <string>
#include <string_view>

namespace okr::bot::secrets {

std::string base64_encode(std::string_view bytes);
// nullopt for anything that is not canonical padded base64 (stray characters, bad length).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace okr::bot::secrets
