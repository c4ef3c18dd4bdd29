// The table of commands: their synopses, options and help texts (API.md "Command line",
// docs/OPERATIONS.md). The help is laid out by Poco::Util::HelpFormatter (command.cpp).
#include "app/command.h"

namespace rsoflow::app {

const char* const kUsage =
    R"(rsoflow - workflow and approval engine for ISO's partnerships with RSOs

Usage:
  rsoflow serve   [--db PATH] [--bind ADDR] [--port N] [--config FILE] [--web-dir DIR]
  rsoflow migrate [--db PATH]
  rsoflow seed    [--db PATH] [--dataset FILE] [--if-empty]
  rsoflow import  FILE [--db PATH]
  rsoflow user add USERNAME --role ROLE [--rso ACRONYM] [--display-name NAME]
                   [--affiliated ACRONYM,...] [--password-stdin] [--db PATH]
  rsoflow user disable USERNAME [--db PATH]
  rsoflow user enable USERNAME [--db PATH]
  rsoflow user set-role USERNAME ROLE [--rso ACRONYM] [--db PATH]
  rsoflow token create USERNAME [--name NAME] [--expires-days N] [--db PATH]
  rsoflow audit verify [--db PATH] [--head SEQ:HASH] [--from genesis|checkpoint] [--documents]
  rsoflow backup --to FILE [--db PATH]
  rsoflow workflows diagram NAME [--format mermaid|dot]
  rsoflow workflows list
  rsoflow workflows openapi

Defaults: database var/rsoflow.db, bind 127.0.0.1, port 8080. The environment variables
RSOFLOW_DB, RSOFLOW_BIND and RSOFLOW_PORT override the defaults (and serve's config file);
flags override both. Only one rsoflow process at a time opens a database for writing (serve,
migrate, seed, user, token create); audit verify and backup only read it.
Run 'rsoflow COMMAND --help' for one command.
)";

namespace {

constexpr OptionSpec kDb = {"db", "PATH", "database file (env RSOFLOW_DB, default var/rsoflow.db)"};

const char* const kServeAbout =
    R"(Opens the database (creating and migrating it if needed; refuses to start unless SQLite runs
with journal_mode=WAL and synchronous=FULL), fires timers that fell due while the server was
down, and serves HTTP until SIGINT or SIGTERM, then finishes the commands in flight.)";

const char* const kServeConfig =
    "key=value lines: db, bind, port, pbkdf2_iterations, council_min_quorum, "
    "council_min_voting_hours, caller_poll_us, max_polling_callers, writer_poll_us, web_dir, "
    "cookie_secure (true: session cookies carry Secure, for a server reached over TLS through a "
    "proxy), keep_alive_timeout (s, default 5), request_timeout (s, default 10), "
    "max_connections (default 1024), max_connections_per_address (default 64, 0: no cap); the "
    "environment (RSOFLOW_DB, RSOFLOW_BIND, RSOFLOW_PORT, RSOFLOW_PBKDF2_ITERATIONS, "
    "RSOFLOW_COUNCIL_MIN_QUORUM, RSOFLOW_COUNCIL_MIN_VOTING_HOURS, RSOFLOW_CALLER_POLL_US, "
    "RSOFLOW_MAX_POLLING_CALLERS, RSOFLOW_WRITER_POLL_US, RSOFLOW_WEB_DIR, "
    "RSOFLOW_COOKIE_SECURE, RSOFLOW_KEEP_ALIVE_TIMEOUT, RSOFLOW_REQUEST_TIMEOUT, "
    "RSOFLOW_MAX_CONNECTIONS, RSOFLOW_MAX_CONNECTIONS_PER_ADDRESS) overrides the file and flags "
    "override both; an unknown or repeated key in the file, or one without a value, is refused";

const char* const kServeFooter =
    R"(Short waits poll before they sleep (docs/OPERATIONS.md, "Threads"): a caller waiting for
its command's answer polls up to caller_poll_us (default 1000), at most max_polling_callers
of them at once (default 1, right for two CPUs; 0 turns all polling off), and after
answering a polling caller the writer polls up to writer_poll_us (default 100) for the next
command. Every Council ballot's quorum lies within [council_min_quorum, 1] (default 0.5: more
than half of the eligible vote; never below 0.5) and its voting period is at least
council_min_voting_hours (default 72; never below 24); a lower setting is refused.)";

const char* const kSeedAbout =
    R"(Loads the sample data set (default samples/dataset.json) into an empty database through the
engine: its history first, imported as 'rsoflow import' does (by system, each object one audit
entry with its real date: RSOs recognized in the past with their resolutions, past ISO events,
Council resolutions, finished ballots, initiatives and plans), then the applications, the demo
users, the live ISO events, and initiatives, ballots and momentum plans driven step by step by
the demo users.
Every demo user gets the password in RSOFLOW_DEMO_PASSWORD (default demo-password-1). The data
is written to PATH.seeding and moved over PATH only when every step succeeded. Refuses a
database that already holds data (exit 1), or with --if-empty leaves it alone (exit 0).
Timers that fall due (e.g. overdue plan actions) fire when the server starts.)";

const char* const kImportAbout =
    R"(Imports facts that happened before rsoflow from FILE, a JSON document (docs/API.md,
"Historical import"): RSOs recognized in the past with recognized_on and their resolution,
past ISO events, Council resolutions, and finished ballots, initiatives and momentum plans.
Each object is one audit entry (event import, actor system, the historical date in
data.effective_on); resolutions enter the register with source import. All of FILE is one
transaction: a refused object is named with its line in FILE and its field, and nothing is
written (exit 2). Every object has a key (an RSO its acronym, a resolution its number, the
others their key) that is imported once: importing the same FILE again is refused, nothing
doubles. Refused while another rsoflow process (e.g. serve) has the database open; use
POST /api/v1/import (admin) then.)";

const char* const kUserAbout =
    R"(user add: creates a user. ROLE is secretariat, council, rso_liaison, auditor or admin; --rso
names the liaison's RSO by acronym (or RSO id) and is required for (and only for)
rso_liaison; --affiliated lists, comma-separated, the RSOs (acronyms or ids) a Council
reviewer has a conflict of interest with. An RSO that is not registered is refused (exit 2).
With --password-stdin the password (>= 12 characters) is read from the first line of
standard input; otherwise a random password is generated and printed once.
Environment: RSOFLOW_PBKDF2_ITERATIONS (default 600000).

user disable, user enable: disables a user, revoking every token and session it has (its API
tokens do not come back when it is enabled again: issue new ones), or enables it again. The
last active admin cannot be disabled (exit 2).

user set-role: gives the user another role. --rso names the RSO (acronym or id) and is
required for (and only for) rso_liaison; a user leaving rso_liaison leaves its RSO. The last
active admin keeps its role (exit 2).)";

const char* const kUserFooter =
    R"(Every user command writes to the database: refused while another rsoflow process (e.g.
serve) has it open; use POST /api/v1/users or PATCH /api/v1/users/{id} then.)";

const char* const kAuditAbout =
    R"(Walks the audit hash chain, reading the database without changing it (no migration; a
running server may keep writing), pages of it read and hashed on a thread per core. Exit 0
and the head (seq, hash) when every entry verifies; exit 1 naming the first bad seq
otherwise; exit 2 when PATH does not exist or is not an rsoflow database, or --head is not
SEQ:HASH, or --from is neither genesis nor checkpoint. By default (--from genesis) the whole
chain is verified. --from checkpoint verifies only the entries after the checkpoint the
server records after each good full verification (GET /api/v1/audit/verify), checking that
the checkpoint's own entry still holds its recorded hash; with no checkpoint recorded yet (or
a --head at or before it) it says so and verifies the whole chain. This command records no
checkpoint, whatever it finds: it only reads. With --documents, every stored document is read
too and a document whose bytes no longer give the SHA-256 its audit entry recorded is named
(exit 1).)";

const char* const kBackupAbout =
    R"(Copies the database to FILE with SQLite's online backup while a server may keep serving it:
it reads one snapshot (taking no writer lock, holding no writer back) a few hundred pages at
a time, writes a temporary file beside FILE (mode 0600) and renames it to FILE only when
complete, so FILE never holds half a backup. Prints the audit head the copy holds
("head SEQ:HASH"); keep it, and check the copy with
  rsoflow audit verify --db FILE --head SEQ:HASH
Exit 0 when the copy is in place; exit 2 when PATH does not exist or is not an rsoflow
database, or FILE cannot be written (its directory missing, say).)";

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"serve",
       "serve [--db PATH] [--bind ADDR] [--port N] [--config FILE] [--web-dir DIR]",
       kServeAbout,
       kServeFooter,
       {kDb,
        {"bind", "ADDR", "address to listen on (env RSOFLOW_BIND, default 127.0.0.1)"},
        {"port", "N", "port, 0 for an ephemeral one (env RSOFLOW_PORT, default 8080)"},
        {"web-dir", "DIR",
         "serve the web app's files from DIR (laid out like the source tree's web/) instead of "
         "the copy built into the binary, so an edit shows on reload (env RSOFLOW_WEB_DIR; for "
         "working on the app)"},
        {"config", "FILE", kServeConfig}},
       RunServe},
      {"migrate",
       "migrate [--db PATH]",
       "Creates the database if needed and applies pending numbered migrations; prints the "
       "schema version.",
       "",
       {kDb},
       RunMigrate},
      {"seed",
       "seed [--db PATH] [--dataset FILE] [--if-empty]",
       kSeedAbout,
       "Environment: RSOFLOW_PBKDF2_ITERATIONS (default 600000), RSOFLOW_DEMO_PASSWORD.",
       {kDb,
        {"dataset", "FILE", "data set (default samples/dataset.json)"},
        {"if-empty", nullptr, "leave a database that holds data alone (exit 0)"}},
       RunSeed},
      {"import", "import FILE [--db PATH]", kImportAbout, "", {kDb}, RunImport},
      {"user",
       "user add USERNAME --role ROLE [--rso ACRONYM] [--display-name NAME]\n"
       "     [--affiliated ACRONYM,...] [--password-stdin] [--db PATH]\n"
       "user disable USERNAME [--db PATH]\n"
       "user enable USERNAME [--db PATH]\n"
       "user set-role USERNAME ROLE [--rso ACRONYM] [--db PATH]",
       kUserAbout,
       kUserFooter,
       {{"role", "ROLE", "user add: the new user's role"},
        {"rso", "ACRONYM", "the liaison's RSO (acronym or id): user add, user set-role"},
        {"display-name", "NAME", "user add: the name shown for the user"},
        {"affiliated", "ACRONYM,...",
         "user add: the RSOs a Council reviewer has a conflict of interest with"},
        {"password-stdin", nullptr, "user add: read the password from standard input"},
        kDb},
       RunUser},
      {"token",
       "token create USERNAME [--name NAME] [--expires-days N] [--db PATH]",
       "Issues an API token for the user and prints it once. Only its SHA-256 is stored. Writes "
       "to\nthe database: refused while another rsoflow process (e.g. serve) has it open; use\n"
       "POST /api/v1/users/{id}/tokens then.",
       "",
       {{"name", "NAME", "the token's name (default cli)"},
        {"expires-days", "N", "the token expires after N days, 1 to 3650 (default: never)"},
        kDb},
       RunToken},
      {"audit",
       "audit verify [--db PATH] [--head SEQ:HASH] [--from genesis|checkpoint] [--documents]",
       kAuditAbout,
       "",
       {kDb,
        {"head", "SEQ:HASH",
         "the head seq and hash this command (or GET /api/v1/audit/verify) gave earlier: the "
         "chain must still hold entry SEQ with that hash. A tail cut off, or rewritten with its "
         "hashes recomputed, verifies on its own; against an earlier head it does not."},
        {"from", "genesis|checkpoint",
         "where the walk starts: genesis, the whole chain (default), or checkpoint, after the "
         "head the server's last good full verification recorded (read only, never recorded "
         "by this command)"},
        {"documents", nullptr,
         "also read every stored document and recompute its SHA-256 against the hash its "
         "attach_document audit entry recorded (a byte changed in the database is named)"}},
       RunAudit},
      {"backup",
       "backup --to FILE [--db PATH]",
       kBackupAbout,
       "",
       {{"to", "FILE", "where the copy goes (replaced if it exists)"}, kDb},
       RunBackup},
      {"workflows",
       "workflows diagram NAME [--format mermaid|dot]\nworkflows list\nworkflows openapi",
       "Prints a workflow's transition table as a Mermaid state diagram (default) or Graphviz "
       "DOT, or\nlists the workflows, or prints the API document the server serves (with the "
       "workflows'\ncreation routes; scripts/lint-openapi lints it).",
       "",
       {{"format", "mermaid|dot", "the diagram's notation (default mermaid)"}},
       RunWorkflows},
  };
  return commands;
}

const Command* FindCommand(const std::string& name) {
  for (const Command& c : Commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

}  // namespace rsoflow::app
