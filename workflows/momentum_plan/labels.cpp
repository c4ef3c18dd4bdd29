// Labels of momentum_plan. Russian terms follow the policy's Russian text ("разработка плана,
// чтобы РОС могло поддерживать динамику в регионе после мероприятия ИСО").
#include "workflows/meta_builder.h"
#include "workflows/momentum_plan/workflow.h"

namespace rsoflow::momentum_plan {

void AddLabels(MetaSpec* spec) {
  spec->label = {"Momentum plan", "План поддержания динамики"};
  spec->state_labels = {
      {"drafting", {"Drafting", "Составляется"}},
      {"submitted", {"Submitted", "Подано"}},
      {"approved", {"Approved", "Одобрено"}},
      {"in_progress", {"In progress", "Выполняется"}},
      {"at_risk", {"At risk", "Под угрозой срыва"}},
      {"completed", {"Completed", "Завершено"}},
      {"lapsed", {"Lapsed", "Утратил силу"}},
      {"withdrawn", {"Withdrawn", "Отозвано"}},
  };
  spec->event_labels = {
      {"revise", {"Revise", "Внести изменения"}},
      {"submit", {"Submit", "Подать"}},
      {"request_changes", {"Request changes", "Запросить изменения"}},
      {"approve", {"Approve", "Одобрить"}},
      {"start", {"Start", "Начать выполнение"}},
      {"report_progress", {"Report progress", "Сообщить о ходе работ"}},
      {"flag_at_risk", {"Flag at risk", "Отметить угрозу срыва"}},
      {"recover", {"Back on schedule", "Возвращено в график"}},
      {"lapse", {"Lapse", "Прекратить по истечении срока"}},
      {"complete", {"Complete", "Завершить"}},
      {"withdraw", {"Withdraw", "Отозвать"}},
  };
  spec->reason_labels = {
      {"plan_has_no_actions",
       {"The plan needs at least one action", "В плане должно быть хотя бы одно действие"}},
      {"action_title_missing", {"An action has no title", "У действия нет названия"}},
      {"action_owner_missing", {"An action has no owner", "У действия нет ответственного"}},
      {"action_due_date_missing", {"An action has no due date", "У действия нет срока"}},
      {"action_due_before_event_end",
       {"An action is due before the ISO event ended",
        "Срок действия наступает до окончания мероприятия ИСО"}},
      {"unknown_action", {"The plan has no such action", "В плане нет такого действия"}},
      {"no_action_overdue",
       {"No unfinished action is past its due date", "Нет просроченных незавершённых действий"}},
      {"action_overdue", {"An action is past its due date", "Действие просрочено"}},
      {"grace_period_not_over", {"The grace period is not over", "Льготный период не истёк"}},
      {"action_not_done", {"An action is not done", "Действие не выполнено"}},
  };
}

}  // namespace rsoflow::momentum_plan
