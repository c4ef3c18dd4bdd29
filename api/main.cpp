#include "api/cli.h"

int main(int argc, char** argv) { return rsoflow::RunCli(argc, argv); }
