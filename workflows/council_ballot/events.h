// Events of the council_ballot workflow. Names are stable strings: stored, shown, audited.
#pragma once

namespace rsoflow::council_ballot::events {

struct Vote {
  static constexpr const char* name = "vote";
};
struct Recuse {
  static constexpr const char* name = "recuse";
};
struct Extend {
  static constexpr const char* name = "extend";
};
struct Close {
  static constexpr const char* name = "close";
};
struct Cancel {
  static constexpr const char* name = "cancel";
};

}  // namespace rsoflow::council_ballot::events
