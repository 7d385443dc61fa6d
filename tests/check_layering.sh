#!/usr/bin/env bash
# Fails when an include breaks the dependency direction of ../shared/ARCHITECTURE.md.
# Linking alone cannot catch these: system include paths make every header reachable.
set -u
root=${1:-.}
cd "$root" || exit 2
status=0
complain() { echo "layering: $1"; status=1; }

hits=$(grep -rnE '#include *[<"](boost/|SQLiteCpp|sqlite3|spdlog|CLI/|openssl/)' dialogs 2>/dev/null)
[ -n "$hits" ] && complain "dialogs/ must stay platform-free (std, nlohmann/json, date only):"$'\n'"$hits"
hits=$(grep -rnE '#include *[<"](bot/|storage/|config/)' dialogs 2>/dev/null)
[ -n "$hits" ] && complain "dialogs/ must not include bot/, storage/ or config/:"$'\n'"$hits"
hits=$(grep -rnE '#include *[<"](boost/beast|boost/asio|bot/|config/)' storage 2>/dev/null)
[ -n "$hits" ] && complain "storage/ must not include Beast, Asio, bot/ or config/:"$'\n'"$hits"
hits=$(grep -rnE '#include *[<"](bot/|storage/|dialogs/|boost/)' config 2>/dev/null)
[ -n "$hits" ] && complain "config/ depends on nothing of ours:"$'\n'"$hits"
hits=$(grep -rnE '"(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE TABLE)' bot dialogs config 2>/dev/null)
[ -n "$hits" ] && complain "SQL belongs in storage/:"$'\n'"$hits"
channels="slack teams web terminal"
for a in $channels; do
  [ -d "bot/$a" ] || continue
  for b in $channels; do
    [ "$a" = "$b" ] && continue
    hits=$(grep -rnE "#include *[<\"]bot/$b/" "bot/$a" 2>/dev/null)
    [ -n "$hits" ] && complain "channel bot/$a includes channel bot/$b:"$'\n'"$hits"
  done
done
[ $status -eq 0 ] && echo "layering: ok"
exit $status
