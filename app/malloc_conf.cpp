// jemalloc's options for the executables linked with it (CMakeLists.txt, rsoflow_malloc): pages
// freed after a burst of requests go back to the system within about a second, from jemalloc's
// background thread, instead of staying resident until the next allocations reuse them. A
// server that answered a million-instance database's lists then holds about what one serving
// an empty database does (docs/PERFORMANCE.md, "A million instances"; issue 21).
extern "C" {
// NOLINTNEXTLINE: jemalloc reads this name (a weak symbol in the library).
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
