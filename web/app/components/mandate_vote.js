// On a ballot page: the votes a Council member may cast for the members it holds a mandate
// from today (API.md "Mandates": POST .../events with "on_behalf_of"; the vote is theirs, one
// per member, and the audit names both). One section per delegating member, each a choice and
// a confirmation like the member's own vote. The server decides (403 without a mandate, 409
// once that member's vote is cast, 403 conflict_of_interest when either is excluded).
import { h } from '../core/dom.js';
import { radios, button, buttonGroup, showErrors, showProblem } from '../core/forms.js';
import { newIdempotencyKey } from '../core/api.js';

const CHOICES = ['approve', 'reject', 'abstain'];

// The delegating members `me` may vote for on ballots today: [{user_id, name}].
export async function ballotDelegators(api, me) {
  if (!me || me.role !== 'council') return [];
  let page;
  try { page = await api.get('/mandates', { active: 'true', limit: 200 }); } catch (e) { return []; }
  const seen = new Map();
  (page.items || []).forEach((m) => {
    if (m.to_user_id !== me.id) return;
    if (m.workflows && m.workflows.length && !m.workflows.includes('council_ballot')) return;
    seen.set(m.from_user_id, m.from_username || `#${m.from_user_id}`);
  });
  return [...seen].map(([user_id, name]) => ({ user_id, name }));
}

function delegatedVote(ctx, inst, who, send) {
  const { t } = ctx;
  const slot = h('div', { class: 'delegated-vote', dataset: { onBehalfOf: who.user_id } });
  const name = `choice-for-${who.user_id}`;
  const showForm = (chosen) => {
    const form = h('form', { class: 'form', novalidate: true },
      radios({ name, legend: t('mandates.vote_legend', { who: who.name }), legendClass: 'heading-s',
        value: chosen, options: CHOICES.map((c) => ({ value: c, text: t(`choice.${c}`) })) }),
      button(t('mandates.vote_for', { who: who.name })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = form.querySelector(`input[name="${name}"]:checked`);
      if (!picked) { showErrors(form, [{ name, text: t('ballot.choose') }]); return; }
      showConfirm(picked.value);
    });
    slot.replaceChildren(form);
  };
  const showConfirm = (choice) => {
    const key = newIdempotencyKey();
    const form = h('form', { class: 'confirm', novalidate: true, tabindex: '-1' },
      h('p', { class: 'body lead' }, t('mandates.vote_confirm', { choice: t(`choice.${choice}`), who: who.name,
        title: inst.title })),
      buttonGroup(button(t('mandates.vote_confirm_button', { who: who.name })),
        button(t('ballot.go_back'), { type: 'button', variant: 'secondary', onclick: () => showForm(choice) })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const b = form.querySelector('button[type=submit]');
      b.disabled = true;
      try {
        await send({ event: 'vote', data: { choice }, on_behalf_of: who.user_id }, key, { kind: 'vote_for', who });
      } catch (err) {
        b.disabled = false;
        if (err.status !== 401) showProblem(form, err);
      }
    });
    slot.replaceChildren(form);
    form.focus();
  };
  showForm(null);
  return slot;
}

// The section of the delegated votes, or null when `me` votes for nobody on this ballot.
export function delegatedVotesSection(ctx, inst, delegators, send) {
  if (inst.state !== 'open' || !delegators.length) return null;
  const { t } = ctx;
  return h('section', { class: 'section', id: 'ballot-on-behalf', 'aria-labelledby': 'on-behalf-title' },
    h('h2', { class: 'heading-m', id: 'on-behalf-title' }, t('mandates.on_behalf_title')),
    h('p', { class: 'body' }, t('mandates.on_behalf_intro')),
    delegators.map((who) => delegatedVote(ctx, inst, who, send)));
}
