#include "tests/db/power_loss_workload.h"

#include "engine/documents.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {

Status Node::Open(const std::string& path, FakeClock& c, const WorkflowRegistry& registry) {
  clock = &c;
  auto s = db::SqliteStore::Open(path);
  if (!s.ok()) return s.status();
  store = std::move(s).value();
  EngineOptions options;
  options.writer_nice = 0;  // the machine is shared; the test needs no priority
  engine = std::make_unique<Engine>(*store, c, registry, options);
  RSOFLOW_RETURN_IF_ERROR(engine->Start());
  timers = std::make_unique<TimerScheduler>(*engine, c);
  return Status::Ok();
}

void Node::Close() {
  timers.reset();
  if (engine) engine->Stop();
  engine.reset();
  store.reset();
}

void Workload::Run(int rounds, int restart_after) {
  for (int r = 0; r < rounds && !stopped_; ++r) {
    Round(r);
    if (r == restart_after && !stopped_) {
      // A server restart: the last connection's close checkpoints the WAL and deletes it.
      node_.Close();
      if (!node_.Open(path_, clock_, registry_).ok()) stopped_ = true;
    }
  }
}

std::optional<CommandResult> Workload::Send(Command c) {
  if (stopped_) return std::nullopt;
  c.idempotency_key = "power-loss-" + std::to_string(commands_++);
  auto r = node_.engine->Execute(c);
  if (!r.ok()) {
    stopped_ = true;
    in_flight = std::move(c);
    return std::nullopt;
  }
  acknowledged.push_back(Acknowledged{c.idempotency_key, r->seq, r->hash});
  return *r;
}

std::optional<CommandResult> Workload::Start(const std::string& workflow, const Actor& who,
                                             Json data, const std::string& rso) {
  Command c;
  c.start_workflow = workflow;
  c.event = "create";
  c.actor = who;
  c.data = std::move(data);
  c.rso_id = rso;
  return Send(std::move(c));
}

std::optional<CommandResult> Workload::Fire(int64_t id, const std::string& event, const Actor& who,
                                            Json data, const std::string& comment) {
  Command c;
  c.instance_id = id;
  c.event = event;
  c.actor = who;
  c.data = std::move(data);
  c.comment = comment;
  return Send(std::move(c));
}

int64_t Workload::Attach(int64_t instance, const std::string& filename, size_t size,
                         int64_t supersedes) {
  if (stopped_) return 0;
  Command by;
  by.actor = cast_.sec;
  by.idempotency_key = "power-loss-" + std::to_string(commands_++);
  DocumentUpload upload;
  upload.instance_id = instance;
  upload.filename = filename;
  upload.media_type = "application/pdf";
  upload.supersedes = supersedes;
  // Bytes that differ per upload and span many pages (the blob's overflow chain).
  upload.bytes = "%PDF-1.7\n";
  uint32_t x = static_cast<uint32_t>(commands_) * 2654435761u + 1;
  while (upload.bytes.size() < size) {
    x = x * 1664525u + 1013904223u;
    upload.bytes.push_back(static_cast<char>(x >> 24));
  }
  auto d = AttachDocument(*node_.engine, by, std::move(upload));
  if (!d.ok()) {
    stopped_ = true;  // not sent again: an upload carries no Idempotency-Key to dedupe on
    return 0;
  }
  documents.push_back(AttachedDocument{d->id, instance, d->sha256, supersedes});
  return d->id;
}

bool Workload::AdvanceAndFire(std::chrono::milliseconds by, int64_t id, const std::string& event) {
  if (stopped_) return false;
  clock_.Advance(by);
  if (node_.timers->FireDue() != 1) {
    stopped_ = true;
    in_flight_timer = FiredTimer{id, event};
    return false;
  }
  timers_fired.push_back(FiredTimer{id, event});
  return true;
}

std::optional<int64_t> Workload::OpenBallotOf(const std::string& rso) {
  if (stopped_) return std::nullopt;
  InstanceQuery q;
  q.workflow = "council_ballot";
  q.state = "open";
  q.rso_id = rso;
  auto ballots = node_.store->ListInstances(q);
  if (!ballots.ok() || ballots->size() != 1) {
    stopped_ = true;
    return std::nullopt;
  }
  return ballots->front().id;
}

void Workload::Round(int r) {
  const std::string tag = std::to_string(r);
  const Actor& sec = cast_.sec;
  const int64_t day = kMsPerDay;

  // rso_recognition up to a Council ballot, whose last vote closes it and recognizes the RSO
  // in the same transaction (a follow-up each way).
  Json dossier = J(R"({"name": "Power Loss Standards Body", "kind": "sub_regional",
                       "region": "Africa", "member_bodies": ["KE", "TZ"],
                       "statutes_ref": "Treaty 2001"})");
  dossier.Set("acronym", "PL" + tag);
  auto recognition = Start("rso_recognition", sec, dossier);
  if (!recognition) return;
  const int64_t rec = recognition->instance.id;
  const std::string rso = recognition->instance.rso_id;
  // The statutes as evidence, then a corrected copy that supersedes them; the ballot the
  // referral opens freezes the list.
  const int64_t statutes = Attach(rec, "statutes.pdf", 48 * 1024);
  if (statutes == 0 || Attach(rec, "statutes-corrected.pdf", 20 * 1024, statutes) == 0) return;
  for (const char* e : {"submit", "start_review", "refer_to_council"}) {
    if (!Fire(rec, e, sec)) return;
  }
  const auto referral = OpenBallotOf(rso);
  if (!referral) return;
  for (const Actor& c : cast_.council) {
    if (!Fire(*referral, "vote", c, J(R"({"choice": "approve"})"))) return;
  }

  // partnership_initiative of the new RSO, put on hold by its suspension (a follow-up to
  // every active initiative), resumed and completed.
  Json initiative = J(R"({"type": "training"})");
  initiative.Set("title", "Training " + tag);
  auto ini = Start("partnership_initiative", sec, initiative, rso);
  if (!ini) return;
  const int64_t i = ini->instance.id;
  for (const char* e : {"start_review", "approve", "start"}) {
    if (!Fire(i, e, sec)) return;
  }
  if (!Fire(i, "report_progress", sec, J(R"({"note": "first cohort", "percent_complete": 40})")))
    return;
  if (!Fire(rec, "suspend", sec, Json::MakeObject(), "dues unpaid")) return;
  if (!Fire(rec, "reinstate", sec, Json::MakeObject(), "dues paid")) return;
  if (!Fire(i, "resume", sec)) return;
  if (!Fire(i, "complete", sec, J(R"({"outcome_summary": "trained"})"))) return;

  // momentum_plan of the base RSO with one action due in 5 days, whose timer flags it.
  Json action = J(R"({"title": "Publish the report", "owner": "Secretariat"})");
  action.Set("due_on", FormatDate(clock_.NowMs() / day + 5));
  Json actions = Json::MakeArray();
  actions.Push(action);
  Json plan_data = Json::MakeObject();
  plan_data.Set("title", "Momentum " + tag);
  plan_data.Set("iso_event_id", cast_.iso_event);
  plan_data.Set("actions", actions);
  auto plan = Start("momentum_plan", sec, plan_data, cast_.rso);
  if (!plan) return;
  const int64_t p = plan->instance.id;
  for (const char* e : {"submit", "approve", "start"}) {
    if (!Fire(p, e, sec)) return;
  }

  // A Council ballot closed by its deadline timer.
  Json ballot_data = J(R"({"question": "Shall it be?"})");
  ballot_data.Set("title", "Decision " + tag);
  ballot_data.Set("deadline", FormatTime(clock_.NowMs() + 4 * day));
  auto ballot = Start("council_ballot", sec, ballot_data);
  if (!ballot) return;
  const int64_t b = ballot->instance.id;
  if (!Fire(b, "vote", cast_.council[0], J(R"({"choice": "approve"})"))) return;
  if (!Fire(b, "vote", cast_.council[1], J(R"({"choice": "reject"})"))) return;

  // The timers, one at a time: the ballot's deadline, then the plan's overdue action; the
  // action done, the plan recovers (a follow-up) and completes.
  if (!AdvanceAndFire(std::chrono::hours(4 * 24 + 1), b, "close")) return;
  if (!AdvanceAndFire(std::chrono::hours(2 * 24), p, "flag_at_risk")) return;
  if (!Fire(p, "report_progress", sec,
            J(R"({"action_id": "A1", "status": "done", "note": "published"})")))
    return;
  Fire(p, "complete", sec);
}

}  // namespace rsoflow::testing
