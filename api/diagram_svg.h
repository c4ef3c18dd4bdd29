// Workflow diagrams as SVG (GET .../diagram?format=svg, the web app's instance page, DESIGN 7):
// the DOT of engine/workflow.h laid out with Graphviz's dot algorithm and drawn by its SVG
// renderer (libcgraph + libgvc). Only api/ links Graphviz; engine/ produces the DOT.
//
// The SVG is what an <img> or a page under a strict CSP can show: the document starts at
// <svg> (no DOCTYPE with its external DTD, no comments with Graphviz's version), and it has no
// script, style attribute or link. Every text in it comes from the workflow's metadata (state
// and event names, the workflow's name), never from users, and Graphviz escapes it.
//
// Thread-safety: callable from any thread. cgraph is documented not thread-safe and gvc keeps
// process-wide state, so every parse, layout and render runs under one process-wide mutex,
// with one GVC_t created on first use and kept for the life of the process. The SVG depends
// only on the DOT (the workflow and the highlighted state), so RenderSvg caches what it drew
// and the mutex is taken about once per (workflow, state).
#pragma once

#include <string>

#include "engine/status.h"
#include "engine/workflow.h"

namespace rsoflow::api {

inline constexpr const char* kSvgContentType = "image/svg+xml; charset=utf-8";

// The workflow's diagram; `highlight` (a state name, or "" for none) is filled and drawn bold.
// Unavailable when Graphviz fails (the failure is logged).
Result<std::string> RenderSvg(const WorkflowMeta& meta, const std::string& highlight = "");

// Lays out one DOT document and draws it, uncached (what RenderSvg does on a miss); the node
// named `highlight`, if any, gets a bold label. Unavailable (logged, with Graphviz's messages)
// when Graphviz refuses the document or cannot lay it out or draw it.
Result<std::string> DotToSvg(const std::string& dot, const std::string& highlight = "");

}  // namespace rsoflow::api
