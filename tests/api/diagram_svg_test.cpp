// Diagrams as SVG (GET .../diagram?format=svg): a well-formed <svg> document naming every
// state, the instance's current state filled and bold, nothing a strict CSP or an <img> would
// refuse, the scope of the dot format, and Graphviz serialized across request threads.
#include "api/diagram_svg.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>

#include <atomic>
#include <map>
#include <thread>

#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

using api::DotToSvg;
using Poco::XML::Element;

constexpr const char* kCurrentFill = "#f9d71c";  // engine/workflow.cpp's RenderDot

struct DrawnState {
  std::string fill;         // the fill of the node's outline
  std::string font_weight;  // of its label
};

// The state nodes of an SVG diagram by their <title> (Graphviz's node name). A test failure
// when the body is not XML or its root is not <svg>.
std::map<std::string, DrawnState> StatesOf(const std::string& svg) {
  std::map<std::string, DrawnState> states;
  Poco::XML::DOMParser parser;
  Poco::AutoPtr<Poco::XML::Document> doc;
  try {
    doc = parser.parseString(svg);
  } catch (const Poco::Exception& e) {
    ADD_FAILURE() << "not XML (" << e.displayText() << "): " << svg;
    return states;
  }
  EXPECT_EQ(doc->documentElement()->localName(), "svg");
  Poco::AutoPtr<Poco::XML::NodeList> groups = doc->getElementsByTagName("g");
  for (unsigned long i = 0; i < groups->length(); ++i) {
    auto* g = static_cast<Element*>(groups->item(i));
    if (g->getAttribute("class") != "node") continue;
    Element* title = g->getChildElement("title");
    if (title == nullptr) continue;
    DrawnState s;
    for (const char* shape : {"path", "polygon", "ellipse"}) {
      if (Element* e = g->getChildElement(shape); e != nullptr) {
        s.fill = e->getAttribute("fill");
        break;
      }
    }
    if (Element* text = g->getChildElement("text"); text != nullptr) {
      s.font_weight = text->getAttribute("font-weight");
    }
    states[title->innerText()] = s;
  }
  return states;
}

class SvgDiagramTest : public ApiTest {
 protected:
  std::vector<std::string> StateNames(const std::string& workflow) {
    std::vector<std::string> names;
    const HttpReply all = Get("/api/v1/workflows", sec.token);  // outlives the loop over it
    for (const Json& w : all.json().AsArray()) {
      if (w.GetString("name") != workflow) continue;
      for (const Json& s : w.Get("states")->AsArray()) names.push_back(s.GetString("name"));
    }
    return names;
  }
  HttpReply Svg(const std::string& path, const std::string& token) {
    HttpReply r = Get(path + "?format=svg", token);
    if (r.status == 200) {
      EXPECT_EQ(r.header("Content-Type"), "image/svg+xml; charset=utf-8");
    }
    return r;
  }
};

TEST_F(SvgDiagramTest, EachWorkflowIsAnSvgDocumentWithANodePerState) {
  for (const char* workflow :
       {"rso_recognition", "council_ballot", "partnership_initiative", "momentum_plan"}) {
    SCOPED_TRACE(workflow);
    HttpReply r = Svg(std::string("/api/v1/workflows/") + workflow + "/diagram", sec.token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto drawn = StatesOf(r.body);
    const auto names = StateNames(workflow);
    ASSERT_FALSE(names.empty());
    for (const std::string& name : names) {
      ASSERT_EQ(drawn.count(name), 1u) << name;
      EXPECT_EQ(drawn.at(name).fill, "none") << name << ": no current state in a workflow's";
    }
  }
}

TEST_F(SvgDiagramTest, AnInstanceMarksItsCurrentStateAndTheMarkFollowsIt) {
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  const std::string path = "/api/v1/instances/" + rec + "/diagram";
  HttpReply draft = Svg(path, sec.token);
  ASSERT_EQ(draft.status, 200) << draft.body;
  auto states = StatesOf(draft.body);
  EXPECT_EQ(states["draft"].fill, kCurrentFill);
  EXPECT_EQ(states["draft"].font_weight, "bold");
  EXPECT_EQ(states["submitted"].fill, "none");
  EXPECT_EQ(states["submitted"].font_weight, "");

  ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
  states = StatesOf(Svg(path, sec.token).body);
  EXPECT_EQ(states["submitted"].fill, kCurrentFill);
  EXPECT_EQ(states["submitted"].font_weight, "bold");
  EXPECT_EQ(states["draft"].fill, "none");
  const auto names = StateNames("rso_recognition");
  EXPECT_GT(names.size(), 5u);
  for (const std::string& name : names) EXPECT_EQ(states.count(name), 1u) << name;
}

TEST_F(SvgDiagramTest, HoldsNothingAStrictCspOrAnImgWouldRefuseNorTheInstanceTitle) {
  const std::string ballot = CreateBallot("<script>alert(1)</script> Budget & co");
  HttpReply r = Svg("/api/v1/instances/" + ballot + "/diagram", council.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(StatesOf(r.body)["open"].fill, kCurrentFill);
  EXPECT_EQ(r.body.rfind("<svg", 0), 0u) << "no XML prolog or DOCTYPE with an external DTD";
  for (const char* refused : {"<script", "<!DOCTYPE", "<!--", "style=", "href", "<image",
                              "<foreignObject", "onload", "url(", "Budget", "alert"}) {
    EXPECT_EQ(r.body.find(refused), std::string::npos) << refused;
  }
}

TEST_F(SvgDiagramTest, AnInstanceOutsideALiaisonsScopeIsNotFoundAsForDot) {
  const std::string own = CreateRso("ARSO");
  const std::string other = CreateRso("BRSO");
  Persona liaison = AddUser("liaison.a", "rso_liaison", own);
  const std::string path = "/api/v1/instances/" + RecognitionOf(other) + "/diagram";
  EXPECT_EQ(Get(path + "?format=dot", liaison.token).status, 404);
  HttpReply svg = Svg(path, liaison.token);
  EXPECT_EQ(svg.status, 404);
  EXPECT_EQ(svg.code(), "not_found");
  EXPECT_EQ(Svg("/api/v1/instances/" + RecognitionOf(own) + "/diagram", liaison.token).status, 200);
}

TEST_F(SvgDiagramTest, AnUnknownFormatIsRefusedNamingTheFieldAndTheAcceptedOnes) {
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  for (const std::string& path : {"/api/v1/instances/" + rec + "/diagram",
                                  std::string("/api/v1/workflows/council_ballot/diagram")}) {
    for (const char* format : {"png", "SVG", ""}) {
      SCOPED_TRACE(path + " " + format);
      HttpReply r = Get(path + "?format=" + format, sec.token);
      ASSERT_EQ(r.status, 400) << r.body;
      EXPECT_EQ(r.json().Get("fields")->Dump(), R"(["format"])");
      const std::string detail = r.json().GetString("detail");
      for (const char* accepted : {"mermaid", "dot", "svg"}) {
        EXPECT_NE(detail.find(accepted), std::string::npos) << detail;
      }
    }
  }
}

TEST_F(SvgDiagramTest, RequestsFromEightThreadsAtOnceAllGetTheDiagram) {
  std::vector<std::string> paths;
  for (const char* w :
       {"rso_recognition", "council_ballot", "partnership_initiative", "momentum_plan"}) {
    paths.push_back(std::string("/api/v1/workflows/") + w + "/diagram");
  }
  paths.push_back("/api/v1/instances/" + RecognitionOf(CreateRso("ARSO")) + "/diagram");
  paths.push_back("/api/v1/instances/" + CreateBallot() + "/diagram");
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < paths.size(); ++i) {
        HttpReply r = Get(paths[(i + t) % paths.size()] + "?format=svg", sec.token);
        if (r.status == 200 && r.body.rfind("<svg", 0) == 0) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), static_cast<int>(8 * paths.size()));
}

// The cache above means requests rarely reach Graphviz together; this reaches it directly
// from eight threads, each drawing other graphs (cgraph and gvc are not thread-safe: without
// the renderer's mutex this crashes or draws garbage).
TEST(DotToSvg, EightThreadsDrawingAtOnceAllGetTheirOwnGraph) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::string a = "s" + std::to_string(t) + "_" + std::to_string(i);
        std::string dot = "digraph g { rankdir=LR; node [shape=box, style=rounded]; ";
        for (int k = 0; k < 8; ++k) dot += a + "_" + std::to_string(k) + " -> ";
        dot += a + " [label=\"go\"]; \"" + a + "\" [style=\"rounded,filled\", fillcolor=red]; }";
        auto svg = DotToSvg(dot, a);
        if (svg.ok() && svg->rfind("<svg", 0) == 0 && StatesOf(*svg).count(a) == 1 &&
            StatesOf(*svg).size() == 9) {
          ++ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8 * 20);
}

TEST(DotToSvg, AGraphvizFailureIsUnavailableAndLogged) {
  LogCapture log;
  auto svg = DotToSvg("digraph g { a -> ");
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.status().code(), Status::Code::kUnavailable);
  const auto lines = log.LinesWith("diagram rendering failed");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("syntax error"), std::string::npos) << lines[0];
  // The renderer still works afterwards.
  EXPECT_TRUE(DotToSvg("digraph g { a -> b }").ok());
}

}  // namespace
}  // namespace rsoflow::testing
