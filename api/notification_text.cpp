#include "api/notification_text.h"

namespace rsoflow::api {
namespace {

std::string StateLabel(const WorkflowRegistry& registry, const NotificationRow& row, bool ru) {
  const std::string state = row.detail.GetString("state");
  const Workflow* wf = registry.Find(row.detail.GetString("workflow"));
  if (wf == nullptr) return state;
  auto it = wf->Meta().state_labels.find(state);
  if (it == wf->Meta().state_labels.end()) return state;
  return ru ? it->second.ru : it->second.en;
}

}  // namespace

std::string NotificationText(const WorkflowRegistry& registry, const NotificationRow& row,
                             const std::string& language) {
  const bool ru = language == "ru";
  const std::string state = StateLabel(registry, row, ru);
  if (row.type == "item.waiting") {
    return ru ? "Ожидает вашего действия: " + state : "Waiting for you: " + state;
  }
  if (row.type == "ballot.closed") {
    return ru ? "Голосование Совета ИСО завершено: " + state : "Council ballot closed: " + state;
  }
  if (row.type == "reminder.due") {
    const std::string kind = row.detail.GetString("reminder");
    if (kind == "before") {
      const std::string hours = std::to_string(row.detail.GetInt("hours"));
      return ru ? "Напоминание: срок истекает через " + hours + " ч"
                : "Reminder: due in " + hours + " hours";
    }
    if (kind == "overdue") return ru ? "Напоминание: срок истёк" : "Reminder: overdue";
    const std::string days = std::to_string(row.detail.GetInt("days"));
    return ru ? "Напоминание: без движения " + days + " дн. (" + state + ")"
              : "Reminder: untouched for " + days + " days (" + state + ")";
  }
  return row.type;
}

const LabelMap& WebhookReasonLabels() {
  static const LabelMap kLabels = {
      {"webhook_private_address",
       {"The webhook's host is a private, loopback or link-local address",
        "Адрес веб-хука является частным, локальным или адресом обратной петли"}},
      {"webhook_host_unresolved",
       {"The webhook's host name does not resolve", "Имя узла веб-хука не разрешается"}},
  };
  return kLabels;
}

MailText NotificationMail(const WorkflowRegistry& registry, const NotificationRow& row,
                          const std::string& language, const std::string& link) {
  const bool ru = language == "ru";
  const std::string text = NotificationText(registry, row, language);
  MailText m;
  m.subject = "[rsoflow] " + text + ": " + row.title;
  m.body = (ru ? "Здравствуйте!\n\n" : "Hello,\n\n") + text + "\n\n" + row.title + "\n\n" +
           (ru ? "Открыть: " : "Open it: ") + link + "\n\n" +
           (ru ? "-- \nrsoflow, Центральный секретариат ИСО\n"
               : "-- \nrsoflow, ISO Central Secretariat\n");
  return m;
}

}  // namespace rsoflow::api
