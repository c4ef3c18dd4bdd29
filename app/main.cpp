#include "app/rsoflow_app.h"

int main(int argc, char** argv) { return rsoflow::app::RunCli(argc, argv); }
