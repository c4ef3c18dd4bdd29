// Guards about the RSO an instance belongs to, shared by the machines of the workflows that
// need them (partnership_initiative, momentum_plan). Plain functors on MachineContext: no MSM
// here; included only from a machine.cpp (DESIGN 3.1).
//
// Thread-safety: stateless functors; the context is the command's own.
#pragma once

#include "workflows/machine_context.h"
#include "workflows/rso_records.h"

namespace rsoflow::rso {

// Guard: the instance's RSO is recognized (DESIGN 4.3 approve, start, resume; DESIGN 8: a
// momentum plan's approve and start). Otherwise the reason rso_not_recognized (or
// rso_not_registered); a storage failure fails the command instead.
struct RsoRecognized {
  static constexpr const char* name = "rso_recognized";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    MachineContext& c = *m.ctx;
    auto why = NotRecognizedReason(c.request->env, c.request->instance.rso_id);
    if (!why.ok()) {
      c.Fail(why.status());
      return false;
    }
    if (why->code.empty()) return true;
    c.Reason(*why);
    return false;
  }
};

}  // namespace rsoflow::rso
