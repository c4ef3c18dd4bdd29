// A decision the Council took in session (API.md 1.1, "Council resolutions"), entered by the
// secretariat with the Council's own number. It is recorded in the register and, when its
// subject waits for the Council (a recognition in council_review or withdrawal_review), it
// moves that subject as a ballot's outcome would (council_approved / council_rejected, the
// follow-up a closing ballot sends) and cancels the subject's open ballot: all of it in one job
// of the engine's writer, so in one transaction, or nothing.
//
// Thread-safety: RecordSessionDecision runs on the writer thread, inside an Engine::Job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "engine/command.h"
#include "engine/engine.h"
#include "engine/store.h"

namespace rsoflow::council_ballot {

// The register's workflow name on the audit chain: each entry recorded outside a ballot is one
// audit entry of it (instance 0, like the accounts entries), data the resolution.
inline constexpr const char* kResolutionsAuditWorkflow = "resolutions";

// The resolution as API.md shows it.
Json ResolutionJson(const Resolution& r);

// A Council resolution number "N/YYYY" (N from 1 to 999999, leading zeros allowed: 01/2026 is
// 1/2026; YYYY from 1900): N and YYYY, or nullopt. The API, the import and the seed read them so.
std::optional<std::pair<int64_t, int>> ParseResolutionNumber(const std::string& text);

// Records `decision` (number, decided_on, title, outcome, subject_instance_id checked by the
// caller; source, rso_id, recorded_* set here) on behalf of `by` (its actor, request id,
// client address and token). NotFound when the subject does not exist; InvalidTransition when
// it does not wait for the Council; Duplicate when the number is taken.
Result<Resolution> RecordSessionDecision(Engine& engine, Store& store, Resolution decision,
                                         const Command& by);

}  // namespace rsoflow::council_ballot
