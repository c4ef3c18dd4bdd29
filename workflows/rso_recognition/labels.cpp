// Labels of rso_recognition. Russian terms follow the policy's Russian text: РОС
// (региональные и субрегиональные организации по стандартизации), Совет ИСО, ИСО/ЦС.
#include "workflows/meta_builder.h"
#include "workflows/rso_recognition/workflow.h"

namespace rsoflow::rso_recognition {

void AddLabels(MetaSpec* spec) {
  spec->label = {"RSO recognition", "Признание РОС"};
  spec->state_labels = {
      {"draft", {"Draft", "Черновик"}},
      {"submitted", {"Submitted", "Подано"}},
      {"secretariat_review", {"Review by ISO/CS", "Рассмотрение в ИСО/ЦС"}},
      {"returned", {"Returned for changes", "Возвращено на доработку"}},
      {"council_review", {"Council review", "Рассмотрение Советом ИСО"}},
      {"recognized", {"Recognized by Council", "Признана Советом ИСО"}},
      {"rejected", {"Rejected", "Отклонено"}},
      {"suspended", {"Relations suspended", "Отношения приостановлены"}},
      {"withdrawal_review",
       {"Withdrawal under Council review", "Прекращение признания на рассмотрении Совета ИСО"}},
      {"withdrawn", {"Withdrawn", "Отозвано"}},
  };
  spec->event_labels = {
      {"edit_dossier", {"Edit the dossier", "Изменить досье"}},
      {"submit", {"Submit", "Подать"}},
      {"start_review", {"Start the review", "Начать рассмотрение"}},
      {"return_for_changes", {"Return for changes", "Вернуть на доработку"}},
      {"refer_to_council", {"Refer to Council", "Передать в Совет ИСО"}},
      {"council_approved", {"Approved by Council", "Одобрено Советом ИСО"}},
      {"council_rejected", {"Rejected by Council", "Отклонено Советом ИСО"}},
      {"council_no_quorum", {"No quorum in Council", "Нет кворума в Совете ИСО"}},
      {"suspend", {"Suspend relations", "Приостановить отношения"}},
      {"reinstate", {"Reinstate relations", "Восстановить отношения"}},
      {"propose_withdrawal",
       {"Propose withdrawal of recognition", "Предложить прекращение признания"}},
      {"withdraw", {"Withdraw", "Отозвать"}},
      {"reopen", {"Reopen", "Открыть заново"}},
  };
  spec->reason_labels = {
      {"rso_record_unreadable",
       {"The RSO record cannot be read", "Не удаётся прочитать запись РОС"}},
      {"dossier_incomplete",
       {"A required field of the dossier is missing", "В досье не заполнено обязательное поле"}},
      {"too_few_member_bodies",
       {"At least 2 member bodies are required", "Требуется не менее двух членов ИСО"}},
  };
}

}  // namespace rsoflow::rso_recognition
