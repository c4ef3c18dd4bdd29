// #/notifications — what the outbox told me in the app (API.md "Notifications"), newest first:
// an item that newly waits for me, a ballot closed, a reminder before a deadline; each links
// to its instance. "Mark all as read" reads up to the newest (POST /me/notifications/read), and
// the bell in the header (main.js) counts what is still unread.
import { h, mount, table } from '../core/dom.js';
import { t, fmtDateTime } from '../core/i18n.js';
import { button, buttonGroup } from '../core/forms.js';
import { loadKitStyles, pageHeading, problemBox, successBox, moreButton } from '../components/forms_kit.js';

// Tells the header's bell to count again.
export function notificationsChanged() {
  window.dispatchEvent(new Event('rsoflow:notifications'));
}

function row(n) {
  return [
    fmtDateTime(n.at),
    n.instance_id ? h('a', { href: `#/instances/${encodeURIComponent(n.instance_id)}` }, n.title || `#${n.instance_id}`)
      : (n.title || ''),
    n.text,
    n.read ? t('notifications.read') : h('strong', { class: 'tag tag--yellow' }, t('notifications.unread')),
  ];
}

export async function render(main, params, ctx) {
  loadKitStyles();
  const q = params.query || {};
  const unreadOnly = q.unread === 'true';
  const first = await ctx.api.get('/me/notifications', { limit: 50, ...(unreadOnly ? { unread: 'true' } : {}) });
  const items = [...(first.items || [])];
  const holder = h('div', { id: 'notification-list' });
  let cursor = first.next_cursor;
  const draw = () => {
    const headers = [t('notifications.col.at'), t('notifications.col.item'), t('notifications.col.what'),
      t('notifications.col.state')];
    mount(holder,
      items.length ? table(t('notifications.table'), headers, items.map(row))
        : h('p', { class: 'body' }, unreadOnly ? t('notifications.none_unread') : t('notifications.none')),
      cursor ? moreButton(async () => {
        const next = await ctx.api.get('/me/notifications',
          { limit: 50, cursor, ...(unreadOnly ? { unread: 'true' } : {}) });
        items.push(...(next.items || []));
        cursor = next.next_cursor;
        draw();
      }) : null);
  };
  draw();
  const newest = items.length ? items[0].id : null;
  const markRead = button(t('notifications.mark_read'), { type: 'button', onclick: async () => {
    markRead.disabled = true;
    try {
      await ctx.api.post('/me/notifications/read', { up_to_id: newest });
      notificationsChanged();
      ctx.navigate('#/notifications?marked=1');
    } catch (err) {
      markRead.disabled = false;
      if (err.status !== 401) holder.prepend(problemBox(err));
    }
  } });
  const anyUnread = items.some((n) => !n.read);
  mount(main,
    q.marked ? successBox(t('kit.saved'), t('notifications.marked')) : null,
    pageHeading(t('notifications.title')),
    h('p', { class: 'body' }, t('notifications.intro')),
    h('p', {}, unreadOnly
      ? h('a', { href: '#/notifications' }, t('notifications.show_all'))
      : h('a', { href: '#/notifications?unread=true' }, t('notifications.show_unread'))),
    anyUnread && newest ? buttonGroup(markRead) : null,
    holder);
}
