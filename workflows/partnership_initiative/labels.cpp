// Labels of partnership_initiative. Russian terms follow the policy's Russian text
// ("инициативы по сотрудничеству", "мероприятие ИСО", "план ... поддерживать динамику").
#include "workflows/meta_builder.h"
#include "workflows/partnership_initiative/workflow.h"

namespace rsoflow::partnership_initiative {

void AddLabels(MetaSpec* spec) {
  spec->label = {"Partnership initiative", "Инициатива по сотрудничеству"};
  spec->state_labels = {
      {"proposed", {"Proposed", "Предложено"}},
      {"under_review", {"Under review", "На рассмотрении"}},
      {"approved", {"Approved", "Одобрено"}},
      {"active", {"Active", "Выполняется"}},
      {"on_hold", {"On hold", "Приостановлено"}},
      {"completed", {"Completed", "Завершено"}},
      {"declined", {"Declined", "Не принято"}},
      {"cancelled", {"Cancelled", "Отменено"}},
  };
  spec->event_labels = {
      {"revise", {"Revise", "Внести изменения"}},
      {"start_review", {"Start the review", "Начать рассмотрение"}},
      {"request_changes", {"Request changes", "Запросить изменения"}},
      {"approve", {"Approve", "Одобрить"}},
      {"decline", {"Decline", "Не принять"}},
      {"start", {"Start", "Начать выполнение"}},
      {"report_progress", {"Report progress", "Сообщить о ходе работ"}},
      {"pause", {"Pause", "Приостановить"}},
      {"rso_suspended", {"RSO relations suspended", "Отношения с РОС приостановлены"}},
      {"resume", {"Resume", "Возобновить"}},
      {"complete", {"Complete", "Завершить"}},
      {"cancel", {"Cancel", "Отменить"}},
  };
  spec->reason_labels = {
      {"outcome_summary_required",
       {"An outcome summary is required", "Требуется краткое изложение результатов"}},
      {"momentum_plans_unreadable",
       {"Momentum plans cannot be read", "Не удаётся прочитать планы поддержания динамики"}},
      {"momentum_plan_not_approved",
       {"An approved momentum plan for the ISO event is required",
        "Требуется одобренный план поддержания динамики после мероприятия ИСО"}},
      {"progress_note_required", {"A progress note is required", "Требуется описание хода работ"}},
  };
}

}  // namespace rsoflow::partnership_initiative
