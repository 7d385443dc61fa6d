#include "bot/app/turn_backlog.hpp"

#include <algorithm>

namespace okr::bot::app {

TurnBacklog::TurnBacklog(std::size_t capacity, bool can_leave_on_disk, Queue queue,
                         std::size_t read_chunk)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      can_leave_on_disk_(can_leave_on_disk),
      read_chunk_(std::max<std::size_t>(read_chunk, 1)),
      queue_(std::move(queue)) {}

void TurnBacklog::batch_writing() {
  std::lock_guard lock(mutex_);
  batch_in_flight_ = true;
}

void TurnBacklog::batch_failed() {
  std::lock_guard lock(mutex_);
  batch_in_flight_ = false;
}

TurnBacklog::Handed TurnBacklog::batch_committed(std::vector<Entry> fresh) {
  Handed handed;
  std::lock_guard lock(mutex_);
  batch_in_flight_ = false;
  for (auto& [work, id] : fresh) {
    if (!left_on_disk_ && can_leave_on_disk_ && in_memory_ >= capacity_)
      left_on_disk_ = true;
    if (!left_on_disk_) {
      queue(std::move(work), id);
      continue;
    }
    if (id > queued_through_) {  // else a reader saw it committed and queued it already
      left_through_ = id;
      ++handed.left_on_disk;
    }
  }
  // A reader that stopped for this batch, or failed, left entries waiting: fetch them.
  if (may_read_back()) {
    reading_back_ = true;
    handed.read_back = true;
  }
  return handed;
}

bool TurnBacklog::turn_finished() {
  std::lock_guard lock(mutex_);
  if (in_memory_ > 0)
    --in_memory_;
  if (!may_read_back())
    return false;
  reading_back_ = true;
  return true;
}

void TurnBacklog::recover() {
  std::lock_guard lock(mutex_);
  left_on_disk_ = can_leave_on_disk_;
  reading_back_ = true;
}

std::size_t TurnBacklog::read_back(const ReadPending& read) {
  std::size_t queued = 0;
  try {
    while (true) {
      dialogs::Id after = 0;
      dialogs::Id left_seen = 0;
      std::size_t room = 0;
      {
        std::lock_guard lock(mutex_);
        if (stopped_ || !left_on_disk_) {
          reading_back_ = false;
          return queued;
        }
        after = queued_through_;
        left_seen = left_through_;  // every entry up to it was committed before the read below
        room = capacity_ - std::min(capacity_, in_memory_);
      }
      const std::size_t chunk = std::clamp<std::size_t>(room, 1, read_chunk_);
      auto entries = read(after, chunk);
      std::lock_guard lock(mutex_);
      for (auto& [work, id] : entries) {
        if (id <= queued_through_)
          continue;  // queued already
        queue(std::move(work), id);
        ++queued;
      }
      if (entries.size() < chunk && left_through_ == left_seen) {
        // Caught up, unless a batch it may have read is still on its way from the writer;
        // then the writer finds entries left on disk and asks for another read.
        if (!batch_in_flight_)
          left_on_disk_ = false;  // the batch writer queues directly again
        reading_back_ = false;
        return queued;
      }
      if (!entries.empty() && in_memory_ >= capacity_) {
        reading_back_ = false;  // full again: the turns just queued call back when they end
        return queued;
      }
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    reading_back_ = false;
    throw;
  }
}

void TurnBacklog::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

std::size_t TurnBacklog::in_memory() const {
  std::lock_guard lock(mutex_);
  return in_memory_;
}

bool TurnBacklog::entries_on_disk() const {
  std::lock_guard lock(mutex_);
  return left_on_disk_;
}

void TurnBacklog::queue(InboundWork work, dialogs::Id inbox_id) {
  queue_(std::move(work), inbox_id);
  queued_through_ = inbox_id;
  ++in_memory_;
}

bool TurnBacklog::may_read_back() const {
  return left_on_disk_ && !reading_back_ && !stopped_ && in_memory_ <= capacity_ / 2;
}

}  // namespace okr::bot::app
