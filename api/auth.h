// Moved to accounts/auth.h (issue 22: accounts are their own module). This forwarding header
// keeps the files that still name the old path building (api/cli.cpp, which another change is
// moving out of api/); delete it once nothing includes it.
#pragma once

#include "accounts/auth.h"
