#pragma once
// Inside storage/ only: run SQLite work and turn SQLiteCpp's exceptions into StorageError that
// says what we were doing. Constraint violations become Code::conflict so callers can tell
// "already there / refers to nothing" from "the disk is unhappy".
#include <SQLiteCpp/Exception.h>

#include <concepts>
#include <string>
#include <utility>

#include "storage/database.hpp"

namespace okr::storage {

inline StorageError storage_error_from(const SQLite::Exception& e, const std::string& what) {
  constexpr int sqlite_constraint = 19;  // SQLITE_CONSTRAINT, the primary result code
  const bool constraint = (e.getErrorCode() & 0xff) == sqlite_constraint;
  return StorageError(constraint ? StorageError::Code::conflict : StorageError::Code::query_failed,
                      what + ": " + e.what());
}

template <class Body>
auto guarded(const std::string& what, Body&& body) -> decltype(body()) {
  try {
    return std::forward<Body>(body)();
  } catch (const SQLite::Exception& e) {
    throw storage_error_from(e, what);
  }
}

// The same, with the description built only when something failed: for the hot paths, where
// composing "recording inbound event '<id>' ..." on every call costs allocations for nothing.
template <std::invocable Describe, class Body>
auto guarded(Describe&& describe, Body&& body) -> decltype(body()) {
  try {
    return std::forward<Body>(body)();
  } catch (const SQLite::Exception& e) {
    throw storage_error_from(e, std::forward<Describe>(describe)());
  }
}

}  // namespace okr::storage
