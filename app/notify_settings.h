// The settings of notifications (DESIGN 9; OPERATIONS.md, "Notifications"): which workflow's
// instances are ballots, and the reminders with their periods. The engine knows no workflow by
// name; this is where the app names them.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/notify/options.h"

namespace rsoflow {

struct ReminderPeriods {
  std::vector<int64_t> ballot_hours = {72, 24};  // before a ballot's deadline
  int64_t action_days = 7;                       // before a momentum action falls due
  int64_t returned_idle_days = 14;               // a returned dossier left untouched
};

// The ballots (council_ballot) and the reminders of DESIGN 9 with these periods: a ballot
// reminds the members it waits for (who have not voted); a momentum action reminds its RSO's
// liaisons and the secretariat before it falls due and when it does (overdue); a returned
// recognition dossier reminds its liaison.
NotifyOptions DefaultNotifyOptions(const ReminderPeriods& periods = {});

}  // namespace rsoflow
