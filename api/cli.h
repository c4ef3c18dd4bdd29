// The rsoflow command line (API.md "Command line"): serve, migrate, user add, token create,
// audit verify, workflows diagram. Each command has --help.
#pragma once

namespace rsoflow {

// Returns the process exit code: 0 success, 1 a failed check (audit verify), 2 bad usage or
// an error.
int RunCli(int argc, char** argv);

}  // namespace rsoflow
