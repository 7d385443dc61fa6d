#pragma once
// What a thread of the service is for, set by the thread itself when it starts: its name (so
// `top -H`, perf and gdb show which part of the coach is busy) and how it competes for the CPU.
//
// Why a priority at all: Slack takes a request as failed when it is not acknowledged within 3 s
// and delivers it again (and, after enough failures, turns the app's events off). Under a burst
// (Monday 09:00: everyone answers their check-in at once) the acknowledgements must therefore
// win the CPU over the dialog turns and the replies queued behind them, which only need to
// happen soon. Background threads run at a lower CPU weight (a higher nice value), so the
// network threads are scheduled first whenever both want the CPU; when the network threads are
// idle, the background threads get everything, so turns lose nothing on a quiet machine.
// Lowering a thread's own priority needs no privilege.
namespace okr::bot::pipeline {

enum class ThreadRole {
  network,     // accepts and answers requests: normal priority
  background,  // dialog turns, outbox senders, the dispatcher, the scheduler: lower priority
};

// How much nicer background threads are than the thread that starts them (the process's own
// nice value, 0 unless the operator chose otherwise), capped at 19: from nice 0, a CPU weight of
// about 1.5% of a network thread's while both want the CPU, and everything while the network
// threads wait. Measured against a step of 10 (a weight of about a tenth; bench/notes.md,
// session 9): ingest at c=64 +11-17% and its p99 lower, while turns still move during the burst
// (6-11k replies in 8 s instead of 13-15k) and catch up after it; the turn p99 at 1,000 turns/s
// went from 5.2-5.5 to 5.8-6.7 ms. SCHED_IDLE was faster still (+25%) but is not used: a turn
// holding SQLite's write lock then gets no CPU at all while acknowledgements wait for that lock
// (one acknowledgement took 41 ms), and an unprivileged thread cannot leave SCHED_IDLE again.
inline constexpr int kBackgroundNiceStep = 19;

// Names the calling thread (at most 15 characters are kept) and applies its role's priority.
// Best effort: a system that refuses either leaves the thread as it was.
void take_thread_role(const char* name, ThreadRole role);

}  // namespace okr::bot::pipeline
