// The Council ballot page: question, subject and its frozen documents, basis, deadline, quorum
// and threshold, my vote or recusal (each with a confirmation step), votes cast, the tally as
// the visibility rules allow, outcome and resolution once closed.
import { h, mount, summaryList, table } from '../core/dom.js';
import { radios, textArea, button, buttonGroup, showErrors, showProblem } from '../core/forms.js';
import { newIdempotencyKey } from '../core/api.js';
import { stateTag, itemHref } from '../core/ui.js';
import { actionsSection, historyTimeline, diagramSection } from './instance.js';
import { ballotDelegators, delegatedVotesSection } from '../components/mandate_vote.js';

let flash = null;  // {id, kind: 'vote'|'recuse'|'event', choice?, event?}

// The confirmation the next render of ballot `f.id` shows (e.g. after a referral opened it).
export function setFlash(f) { flash = f; }

const CHOICES = ['approve', 'reject', 'abstain'];
const optional = (p) => p.catch(() => null);

function choiceOf(v) {
  if (!v) return null;
  return typeof v === 'string' ? v : v.choice || null;
}

function quorumText(t, q, fmtNumber) {
  const n = typeof q === 'number' ? q : 0.5;
  return t('ballot.quorum_value', { percent: fmtNumber(n, { style: 'percent', maximumFractionDigits: 1 }) });
}

function fmtNumberFor(lang) {
  return (n, opts) => new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', opts).format(n);
}

// The vote form, then its confirmation; `submit(choice)` sends the vote.
function voteSection(ctx, d, inst, send) {
  const { t } = ctx;
  const slot = h('div', { id: 'ballot-vote' });
  const showForm = (chosen) => {
    const form = h('form', { class: 'form', novalidate: true, id: 'vote-form' },
      radios({ name: 'choice', legend: t('ballot.vote_legend'), legendClass: 'heading-s', value: chosen,
        options: CHOICES.map((c) => ({ value: c, text: t(`choice.${c}`) })) }),
      button(t('ballot.vote')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = form.querySelector('input[name=choice]:checked');
      if (!picked) { showErrors(form, [{ name: 'choice', text: t('ballot.choose') }]); return; }
      showConfirm(picked.value);
    });
    slot.replaceChildren(form);
    return form;
  };
  const showConfirm = (choice) => {
    const key = newIdempotencyKey();
    const form = h('form', { class: 'confirm', novalidate: true, id: 'vote-confirm', tabindex: '-1',
      'aria-labelledby': 'vote-confirm-title' },
    h('h2', { class: 'heading-m', id: 'vote-confirm-title' }, t('ballot.confirm_title')),
    h('p', { class: 'body lead' }, t('ballot.confirm_text', { choice: t(`choice.${choice}`), title: inst.title })),
    buttonGroup(button(t('ballot.confirm_vote')),
      button(t('ballot.go_back'), { type: 'button', variant: 'secondary', onclick: () => {
        const back = showForm(choice);
        back.querySelector('input[name=choice]:checked')?.focus();
      } })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const b = form.querySelector('button[type=submit]');
      b.disabled = true;
      try {
        await send({ event: 'vote', data: { choice } }, key, { kind: 'vote' });
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

function recuseSection(ctx, inst, send) {
  const { t } = ctx;
  const slot = h('div', { id: 'ballot-recuse' });
  const showStart = () => {
    slot.replaceChildren(h('p', { class: 'body' }, t('ballot.recuse_text')),
      button(t('ballot.recuse'), { type: 'button', variant: 'secondary', onclick: showConfirm }));
  };
  const showConfirm = () => {
    const key = newIdempotencyKey();
    const form = h('form', { class: 'confirm', novalidate: true, id: 'recuse-confirm', tabindex: '-1',
      'aria-labelledby': 'recuse-confirm-title' },
    h('h2', { class: 'heading-m', id: 'recuse-confirm-title' }, t('ballot.recuse_confirm_title')),
    h('p', { class: 'body lead' }, t('ballot.recuse_confirm_text', { title: inst.title })),
    textArea({ name: 'comment', label: t('ballot.recuse_comment'), rows: 3 }),
    buttonGroup(button(t('ballot.confirm_recusal'), { variant: 'warning' }),
      button(t('ballot.go_back'), { type: 'button', variant: 'secondary', onclick: () => {
        showStart();
        slot.querySelector('button').focus();
      } })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const b = form.querySelector('button[type=submit]');
      b.disabled = true;
      const body = { event: 'recuse' };
      if (form.comment.value.trim()) body.comment = form.comment.value.trim();
      try {
        await send(body, key, { kind: 'recuse' });
      } catch (err) {
        b.disabled = false;
        if (err.status !== 401) showProblem(form, err);
      }
    });
    slot.replaceChildren(form);
    form.focus();
  };
  showStart();
  return slot;
}

// Who may not vote and why (DESIGN 8): the members excluded when the ballot opened, each with
// the reason; or, when the secretariat referred without excluding, a line that says so.
function exclusionsSection(ctx, d, names) {
  const { t, label } = ctx;
  const list = Array.isArray(d.exclusions) ? d.exclusions : [];
  if (!list.length && d.exclude_affiliated !== false) return null;
  return h('section', { class: 'section', id: 'ballot-exclusions', 'aria-labelledby': 'exclusions-title' },
    h('h2', { class: 'heading-m', id: 'exclusions-title' }, t('ballot.exclusions')),
    d.exclude_affiliated === false ? h('p', { class: 'body', id: 'ballot-not-excluding' }, t('ballot.not_excluding')) : null,
    list.length ? table(t('ballot.exclusions'), [t('ballot.member'), t('ballot.exclusion_reason')],
      list.map((x) => [names[x.user_id] || x.username || `#${x.user_id}`, label('reasons', x.reason)])) : null);
}

export async function render(main, params, ctx, given) {
  const { t, api, label, fmtDateTime } = ctx;
  const fmtNumber = fmtNumberFor(ctx.lang);
  const id = params.id;
  const path = `/instances/${encodeURIComponent(id)}`;
  const inst = given || await api.get(path);
  if (inst.workflow !== 'council_ballot') {
    const notfound = await import('./notfound.js');
    await notfound.render(main, params, ctx);
    return;
  }
  const d = inst.data || {};
  const me = ctx.user;
  const [subject, history, svg, users, delegators] = await Promise.all([
    d.subject_instance_id ? optional(api.get(`/instances/${encodeURIComponent(d.subject_instance_id)}`)) : null,
    optional(api.get(`${path}/history`)),
    optional(api.getText(`${path}/diagram`, { format: 'svg' })),
    d.roll_call && me.role === 'secretariat' ? optional(api.get('/users', { limit: 200 })) : null,
    inst.state === 'open' ? ballotDelegators(api, me) : [],
  ]);
  const names = {};
  // Roll-call names: the voters' audit entries name them; the user list (secretariat) better.
  ((history && history.items) || []).forEach((e) => {
    if (e.actor && e.actor.user_id && e.actor.username) names[e.actor.user_id] = e.actor.username;
  });
  ((users && users.items) || []).forEach((u) => { names[u.id] = u.display_name || u.username; });

  const open = inst.state === 'open';
  const myChoice = choiceOf(d.my_vote);
  const recused = Array.isArray(d.recused) && d.recused.includes(me.id);
  const excluded = Array.isArray(d.excluded) && d.excluded.includes(me.id);
  const allowed = inst.allowed_events || [];

  const send = async (body, key, what) => {
    const res = await api.post(`${path}/events`, body, { ifMatch: inst.version, idempotencyKey: key });
    const after = (res && res.instance && res.instance.data) || {};
    flash = { id, kind: what.kind, who: what.who,
      choice: what.kind === 'vote_for' ? body.data.choice : choiceOf(after.my_vote) || (body.data && body.data.choice) };
    await ctx.refresh({ focus: '#flash' });
  };

  const shown = flash && flash.id === id ? flash : null;
  flash = null;
  let flashEl = null;
  if (shown) {
    const title = shown.kind === 'vote_for' ? t('mandates.vote_recorded', { who: shown.who.name })
      : shown.kind === 'vote' ? t('ballot.recorded')
      : shown.kind === 'recuse' ? t('ballot.recusal_recorded') : t('instance.done_title');
    const text = shown.kind === 'vote_for'
      ? t('mandates.vote_recorded_text', { choice: t(`choice.${shown.choice}`), who: shown.who.name })
      : shown.kind === 'vote' ? t('ballot.recorded_text', { choice: t(`choice.${shown.choice}`) })
      : shown.kind === 'event' ? t('instance.done', { event: label('events', shown.event) }) : null;
    flashEl = h('div', { class: 'notification notification--success', id: 'flash', role: 'status', tabindex: '-1' },
      h('h2', { class: 'notification__title' }, title), text ? h('p', { class: 'body' }, text) : null);
  }

  // My part: what I did, or the vote and recusal forms when I still may.
  let mine = null;
  if (me.role === 'council') {
    let status;
    if (myChoice) status = t('ballot.you_voted', { choice: t(`choice.${myChoice}`) });
    else if (recused) status = t('ballot.you_recused');
    else if (excluded) status = t('ballot.you_excluded');
    else if (d.eligible === false) status = t('ballot.not_eligible');
    else status = open ? t('ballot.not_voted') : null;
    mine = h('section', { class: 'section', id: 'ballot-mine', 'aria-labelledby': 'mine-title' },
      h('h2', { class: 'heading-m', id: 'mine-title' }, t('ballot.my_vote')),
      status ? h('p', { class: 'body my-vote', id: 'my-vote' }, status) : null,
      open && !myChoice && !recused && allowed.includes('vote') ? voteSection(ctx, d, inst, send) : null,
      open && !myChoice && !recused && allowed.includes('recuse') ? recuseSection(ctx, inst, send) : null);
  }

  const votesText = d.eligible_size !== undefined && d.eligible_size !== d.electorate_size
    ? t('ballot.votes_eligible', { cast: d.votes_cast, eligible: d.eligible_size, size: d.electorate_size })
    : t('ballot.votes_value', { cast: d.votes_cast, size: d.electorate_size });
  const docs = Array.isArray(d.documents) ? d.documents : null;
  const tally = d.tally;
  const others = actionsSection(ctx, inst, { exclude: ['vote', 'recuse'], title: t('ballot.secretariat_actions'),
    onDone: async (res, ev) => { flash = { id, kind: 'event', event: ev }; await ctx.refresh({ focus: '#flash' }); } });

  mount(main,
    flashEl,
    h('span', { class: 'caption' }, t('ballot.caption')),
    h('h1', { class: 'heading-l page-title', id: 'page-title' }, inst.title || d.title || `#${inst.id}`),
    h('div', { class: 'state-line', id: 'instance-state' },
      h('span', {}, t('instance.state'), ': '), stateTag(label, inst.state)),
    d.question ? h('div', { class: 'ballot-question', id: 'ballot-question' },
      h('h2', { class: 'visually-hidden' }, t('ballot.question')), d.question) : null,
    summaryList([
      [t('ballot.subject'), d.subject_instance_id ? h('a', { href: itemHref(subject ? subject.workflow : 'rso_recognition',
        d.subject_instance_id) }, subject ? subject.title : `#${d.subject_instance_id}`)
        : (d.question ? t('ballot.no_subject') : '')],
      [t('ballot.basis'), d.basis ? t('field.basis_value', { basis: d.basis }) : ''],
      [t('ballot.deadline'), fmtDateTime(d.deadline)],
      [t('ballot.quorum'), d.question ? quorumText(t, d.quorum, fmtNumber) : ''],
      [t('ballot.threshold'), d.threshold ? t(`threshold.${d.threshold}`) : (d.question ? t('threshold.simple_majority') : '')],
      [t('ballot.opened'), fmtDateTime(d.opened_at)],
      [t('ballot.closed_at'), fmtDateTime(d.closed_at || d.cancelled_at)],
      [t('ballot.votes'), d.votes_cast !== undefined ? votesText : ''],
      [t('ballot.outcome'), !open && (d.outcome || inst.state) ? t(`outcome.${d.outcome || inst.state}`) : ''],
      [t('ballot.resolution'), d.resolution],
    ], { id: 'ballot-details' }),
    me.role === 'rso_liaison' ? h('p', { class: 'secondary' }, t('ballot.no_access_detail')) : null,
    docs ? h('section', { class: 'section', id: 'ballot-documents', 'aria-labelledby': 'ballot-docs-title' },
      h('h2', { class: 'heading-m', id: 'ballot-docs-title' }, t('ballot.documents')),
      h('p', { class: 'hint' }, t('ballot.documents_hint')),
      docs.length ? h('ul', { class: 'list' }, docs.map((doc) => h('li', {},
        h('a', { href: `/api/v1/documents/${encodeURIComponent(doc.id)}`, download: doc.filename || '' },
          t('ballot.download', { name: doc.filename || doc.id })),
        doc.sha256 ? h('span', { class: 'secondary small' }, ` — SHA-256 ${String(doc.sha256).slice(0, 12)}…`) : null)))
        : h('p', {}, t('instance.no_documents'))) : null,
    mine,
    delegatedVotesSection(ctx, inst, delegators || [], send),
    exclusionsSection(ctx, d, names),
    tally ? h('section', { class: 'section', id: 'ballot-tally', 'aria-labelledby': 'tally-title' },
      h('h2', { class: 'heading-m', id: 'tally-title' }, t('ballot.tally')),
      summaryList(CHOICES.map((c) => [t(`choice.${c}`), String(tally[c] ?? 0)])))
      : (open && me.role === 'council' ? h('p', { class: 'secondary', id: 'ballot-tally' }, t('ballot.tally_hidden')) : null),
    Array.isArray(d.roll_call) && d.roll_call.length ? h('section', { class: 'section', id: 'ballot-roll-call' },
      table(t('ballot.roll_call'), [t('ballot.member'), t('field.choice'), t('ballot.cast_at')],
        d.roll_call.map((r) => [names[r.user_id] || `#${r.user_id}`, t(`choice.${r.choice}`), fmtDateTime(r.at)])))
      : null,
    me.role === 'secretariat' || (inst.allowed_events || []).some((e) => !['vote', 'recuse'].includes(e)) ? others : null,
    history && history.items && history.items.length ? h('section', { class: 'section', 'aria-labelledby': 'history-title' },
      h('h2', { class: 'heading-m', id: 'history-title' }, t('instance.history')),
      historyTimeline(ctx, history.items || [])) : null,
    diagramSection(ctx, inst, svg));
}
