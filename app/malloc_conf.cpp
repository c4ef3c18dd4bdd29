// jemalloc's options for the executables linked with it (CMakeLists.txt, rsoflow_malloc): pages
// freed after a burst of requests go back to the system within about a second, from jemalloc's
// background thread, instead of staying resident until the next allocations reuse them. A
// server that answered a million-instance database's lists then holds about what one serving
// an empty database does (docs/PERFORMANCE.md, "A million instances"; issue 21).
//
// One arena per CPU (percpu_arena), not jemalloc's four per CPU, each taken by the thread of
// whichever worker runs a request: with dozens of worker threads spread over eight arenas on
// two cores, a request mostly landed in an arena whose pages the last one had not touched, and
// the summary report of a million instances faulted in ~3 000 fresh pages (12 MB) each time,
// about a third of its time. With an arena per CPU the next request reuses them.
extern "C" {
// NOLINTNEXTLINE: jemalloc reads this name (a weak symbol in the library).
const char* malloc_conf =
    "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,percpu_arena:percpu";
}
