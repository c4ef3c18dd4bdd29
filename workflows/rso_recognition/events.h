// Events of the rso_recognition workflow. Names are stable strings: stored, shown, audited.
#pragma once

#include "workflows/event.h"

namespace rsoflow::rso_recognition::events {

RSOFLOW_EVENT(EditDossier, "edit_dossier");
RSOFLOW_EVENT(Submit, "submit");
RSOFLOW_EVENT(StartReview, "start_review");
RSOFLOW_EVENT(ReturnForChanges, "return_for_changes");
RSOFLOW_EVENT(ReferToCouncil, "refer_to_council");
RSOFLOW_EVENT(CouncilApproved, "council_approved");
RSOFLOW_EVENT(CouncilRejected, "council_rejected");
RSOFLOW_EVENT(CouncilNoQuorum, "council_no_quorum");
RSOFLOW_EVENT(Suspend, "suspend");
RSOFLOW_EVENT(Reinstate, "reinstate");
RSOFLOW_EVENT(ProposeWithdrawal, "propose_withdrawal");
RSOFLOW_EVENT(Withdraw, "withdraw");
RSOFLOW_EVENT(Reopen, "reopen");

}  // namespace rsoflow::rso_recognition::events
