#pragma once
// Migration 2: the coaching domain tables (people, teams, memberships, cycles, objectives, key
// results, check-ins, reflections, dialog instances). Kept as one SQL script so the migration
// list can apply it in its own transaction.
//
// Conventions the repositories rely on:
// - every timestamp is INTEGER unix seconds, UTC;
// - enums are stored as their lower-case names and guarded by CHECK constraints, so a bad
//   value fails loudly at write time instead of surfacing later as a parse error;
// - team settings are one JSON column, so adding a program parameter needs no migration.
namespace okr::storage {

const char* domain_schema_sql();

}  // namespace okr::storage
