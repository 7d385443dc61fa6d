#pragma once
// The ordered list of schema migrations. Database::migrate() applies every one whose version is
// not yet recorded in schema_migrations, each in its own IMMEDIATE transaction.
#include <string>
#include <vector>

namespace okr::storage {

struct Migration {
  int version;       // 1, 2, 3, ... without gaps; the order of application
  std::string name;  // short snake_case label, recorded next to the version
  std::string sql;   // one or more statements, run as a script inside the transaction
};

// Every migration this binary ships, in version order. The list lives in migrations.cpp.
const std::vector<Migration>& migrations();

}  // namespace okr::storage
