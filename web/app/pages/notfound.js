// "Page not found": unknown routes and API 404s. Shows nothing of the object asked for.
import { h, mount } from '../core/dom.js';

export async function render(main, params, ctx) {
  const { t } = ctx;
  mount(main,
    h('h1', { class: 'heading-l', id: 'notfound-title' }, t('notfound.title')),
    h('p', { class: 'body' }, t('notfound.text')),
    h('p', { class: 'body' }, t('notfound.check')),
    ctx.user ? h('p', { class: 'body' }, h('a', { href: ctx.home() }, t('notfound.home'))) : null);
}
