#include "api/diagram_svg.h"

#include <gvc.h>
#include <spdlog/spdlog.h>

#include <map>
#include <mutex>

#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer (the RSOFLOW_SANITIZE build) reports at exit what Graphviz and fontconfig keep
// for the life of the process: the one context below, which is never freed on purpose, and
// fontconfig's font cache it loads. Those allocations are theirs, not ours; ours stay checked.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libgvc.so\nleak:libcgraph.so\nleak:libfontconfig.so\n";
}
#endif

namespace rsoflow::api {
namespace {

// Held for every call into Graphviz: cgraph's error state, the dot layout's and the renderer's
// globals are process-wide.
std::mutex& GraphvizMutex() {
  static std::mutex mu;
  return mu;
}

// What Graphviz reported during the current render (under GraphvizMutex). Without a handler it
// would write to stderr, past our log.
std::string& GraphvizMessages() {
  static std::string messages;
  return messages;
}

int CollectGraphvizMessage(char* message) {
  GraphvizMessages() += message;
  return 0;
}

// The one context, made on first use under GraphvizMutex. A context is meant to serve many
// graphs (each layout is freed with gvFreeLayout), and making one reads the plugin
// configuration each time. It is never freed: gvFreeContext at exit could run while a request
// thread still renders.
GVC_t* Context() {
  static GVC_t* gvc = [] {
    agseterrf(CollectGraphvizMessage);
    return gvContext();
  }();
  return gvc;
}

// Graphviz 2.42's declarations take char* for names and values it only reads.
char* C(const char* s) { return const_cast<char*>(s); }

// Graphviz's SVG from <svg> on, without its comments: the prolog holds a DOCTYPE naming an
// external DTD and comments with Graphviz's version; the comments inside repeat node and edge
// names (already in <title>). Graphviz writes "-" as "&#45;" inside comments, so the first
// "-->" ends each one.
std::string WithoutPrologAndComments(const std::string& svg) {
  const size_t start = svg.find("<svg");
  if (start == std::string::npos) return "";
  std::string out;
  out.reserve(svg.size() - start);
  size_t at = start;
  while (at < svg.size()) {
    const size_t open = svg.find("<!--", at);
    if (open == std::string::npos) {
      out.append(svg, at, std::string::npos);
      break;
    }
    out.append(svg, at, open - at);
    const size_t close = svg.find("-->", open + 4);
    if (close == std::string::npos) return "";
    at = close + 3;
    if (at < svg.size() && svg[at] == '\n') ++at;  // the comment's own line goes with it
  }
  return out;
}

// Lays out and draws `g` with the context; "" and the reason on failure.
std::string LayOutAndDraw(GVC_t* gvc, Agraph_t* g, std::string* reason) {
  if (gvLayout(gvc, g, "dot") != 0) {
    *reason = "the dot layout failed";
    return "";
  }
  char* data = nullptr;
  unsigned int length = 0;
  const int rendered = gvRenderData(gvc, g, "svg", &data, &length);
  std::string svg = rendered == 0 && data != nullptr ? std::string(data, length) : "";
  if (data != nullptr) gvFreeRenderData(data);
  gvFreeLayout(gvc, g);
  if (svg.empty()) *reason = "the svg renderer failed";
  return svg;
}

}  // namespace

Result<std::string> DotToSvg(const std::string& dot, const std::string& highlight) {
  std::string svg;
  std::string reason;
  std::string messages;
  {
    std::lock_guard<std::mutex> lock(GraphvizMutex());
    GraphvizMessages().clear();
    GVC_t* gvc = Context();
    if (gvc == nullptr) {
      reason = "no Graphviz context";
    } else if (Agraph_t* g = agmemread(dot.c_str()); g == nullptr) {
      reason = "the DOT was refused";
    } else {
      // A sans-serif face reads better on screens than Graphviz's default Times; the current
      // state's label is bold besides its fill and border.
      agattr(g, AGNODE, C("fontname"), C("Helvetica"));
      agattr(g, AGEDGE, C("fontname"), C("Helvetica"));
      if (!highlight.empty()) {
        if (Agnode_t* n = agnode(g, C(highlight.c_str()), 0); n != nullptr) {
          agsafeset(n, C("fontname"), C("Helvetica-Bold"), C("Helvetica"));
        }
      }
      svg = LayOutAndDraw(gvc, g, &reason);
      agclose(g);
    }
    messages = GraphvizMessages();
  }
  if (!svg.empty()) svg = WithoutPrologAndComments(svg);
  if (svg.empty()) {
    if (reason.empty()) reason = "the SVG had no <svg> element";
    spdlog::error("diagram rendering failed: {}{}{}", reason, messages.empty() ? "" : ": ",
                  messages);
    return Status::Unavailable("the diagram could not be drawn");
  }
  if (!messages.empty()) spdlog::warn("Graphviz while drawing a diagram: {}", messages);
  return svg;
}

Result<std::string> RenderSvg(const WorkflowMeta& meta, const std::string& highlight) {
  // Keyed by the DOT, which is all the SVG depends on besides the highlight it already
  // names. The registry's workflows and their states bound the entries; the cap is a guard.
  static std::mutex cache_mu;
  static std::map<std::string, std::string> cache;
  constexpr size_t kMaxEntries = 512;
  const std::string dot = RenderDot(meta, highlight);
  const std::string key = highlight + '\n' + dot;
  {
    std::lock_guard<std::mutex> lock(cache_mu);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
  }
  auto svg = DotToSvg(dot, highlight);
  if (!svg.ok()) return svg.status();
  std::lock_guard<std::mutex> lock(cache_mu);
  if (cache.size() < kMaxEntries) cache.emplace(key, *svg);
  return svg;
}

}  // namespace rsoflow::api
