#include "bot/pipeline/thread_role.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include <spdlog/spdlog.h>

namespace okr::bot::pipeline {

void take_thread_role(const char* name, ThreadRole role) {
  // Linux keeps 15 characters and a terminator; a longer name would be refused whole.
  const std::string shortened = std::string(name).substr(0, 15);
  pthread_setname_np(pthread_self(), shortened.c_str());
  if (role != ThreadRole::background)
    return;
  // On Linux the nice value belongs to the thread (its kernel task id), not the process; a new
  // thread starts with its creator's. 19 is the lowest priority there is.
  const auto self = static_cast<id_t>(gettid());
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, self);
  if (errno != 0)
    return;
  if (setpriority(PRIO_PROCESS, self, std::min(current + kBackgroundNiceStep, 19)) != 0) {
    spdlog::debug("thread {}: could not lower its CPU priority: {}", shortened,
                  std::strerror(errno));
  }
}

}  // namespace okr::bot::pipeline
