// TokenService page: one panel per reader, live over /api/events (server-sent events). It reads the API
// once per connection (/api/readers, /api/history, /api/status) and then applies events; it never polls.
// Text goes in with textContent only (reader names and token labels are data, never markup), and no
// style attribute is ever set: the Content-Security-Policy allows neither inline script nor inline style.
'use strict';

(() => {
  const HISTORY_LIMIT = 100;

  // Verdicts of the check contract (README "Verdicts"); any other string is shown as itself, never hidden.
  const VERDICTS = {
    'compatible': { word: 'Compatible', icon: '\u2714', tone: 'ok', says: 'TLS 1.3 and TLS 1.2 client authentication work with this card.' },
    'tls12-only': { word: 'TLS 1.2 only', icon: '\u25B2', tone: 'warn', says: 'TLS 1.3 fails in every client; TLS 1.2 works.' },
    'client-dependent': { word: 'Depends on the client', icon: '\u25C6', tone: 'warn', says: 'Some clients work with this card and some do not: see the clients.' },
    'incompatible': { word: 'Incompatible', icon: '\u2716', tone: 'bad', says: 'No client authenticates with this card.' },
  };

  // Reader states (README "Serving the fleet") and the page's own pcscd-lost state.
  const STATES = {
    'empty': { word: 'No card', icon: '\u25CB', tone: 'none', says: 'Insert a card to check it.' },
    'probing': { word: 'Reading the token\u2026', icon: '\u27F3', tone: 'info', says: 'The card is being read; keep it in the reader.' },
    'removed-during-probe': { word: 'Removed while being read', icon: '\u23CF', tone: 'warn', says: 'The card left the reader before it was read: no verdict. Reinsert it.' },
    'module-failed': { word: 'Module failed', icon: '\u26A0', tone: 'bad', says: 'The PKCS#11 module failed, hung, or has no matching token.' },
    'no-binding': { word: 'No binding', icon: '\u2298', tone: 'none', says: 'No bench binding names a module and token for this reader and card.' },
    'pcscd-lost': { word: 'pcscd unreachable', icon: '\u26A1', tone: 'lost', says: 'The PC/SC service is gone; tokenservice reconnects by itself and shows the readers again when it answers.' },
  };

  const SIDES = [['card', 'Card'], ['client', 'Client'], ['server', 'Server']];
  const EVENT_TYPES = ['reader-attached', 'reader-detached', 'card-inserted', 'card-removed', 'probe-started',
    'verdict', 'service-lost', 'service-restored', 'events-dropped'];

  const model = {
    readers: new Map(), // name -> ReaderStateEntry
    lastReports: new Map(), // name -> { entry, at }: the last report seen, kept for the card report after removal
    history: [],
    service: 'connecting', // connecting | ok | lost | disconnected
    lostReason: null,
  };

  // ---- DOM helpers -------------------------------------------------------------------------------------
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') element.textContent = value;
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  const $ = (selector) => document.querySelector(selector);
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
  const dateTime = (iso) => (iso ? new Date(iso).toLocaleString() : '');
  const slug = (text) => String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const verdictOf = (verdict) => VERDICTS[verdict] || { word: String(verdict), icon: '?', tone: 'none', says: 'A verdict this page does not know: see the JSON report.' };

  function badge(look, extraClass) {
    return h('span', { class: `badge tone-${look.tone} ${extraClass || ''}` },
      h('span', { class: 'icon', 'aria-hidden': 'true', text: look.icon }), h('span', { class: 'word', text: look.word }));
  }

  function headline(look, stateClass, detail) {
    return h('div', { class: `headline tone-${look.tone} ${stateClass}`, 'data-headline': look.word },
      h('span', { class: 'icon', 'aria-hidden': 'true', text: look.icon }),
      h('span', { class: 'word', text: look.word }),
      detail ? h('span', { class: 'detail', text: detail }) : null);
  }

  function tableWrap(caption, head, rows) {
    return h('div', { class: 'table-wrap' }, h('table', {},
      caption ? h('caption', { class: 'visually-hidden', text: caption }) : null,
      h('thead', {}, h('tr', {}, head.map((title) => h('th', { scope: 'col', text: title })))),
      h('tbody', {}, rows)));
  }

  // ---- What a report says ------------------------------------------------------------------------------
  const keySize = (key) => (key.keyType === 'RSA' ? `RSA-${key.bits}` : key.keyType === 'EC' ? `EC ${key.curve || ''}` : (key.curve || key.keyType));

  // The key that decides the token's verdict: the first whose verdict is the token's (the token takes its best key).
  const headlineKey = (token) => (token.keys || []).find((k) => k.verdict === token.verdict) || (token.keys || [])[0] || null;

  // The one-sentence cause: the first error, else the first warning, of that key (of the token without keys).
  function causeOf(token) {
    const key = headlineKey(token);
    const problems = (key ? key.problems : token.problems) || [];
    return problems.find((p) => p.severity === 'error') || problems.find((p) => p.severity === 'warning') || null;
  }

  function fixesOf(token) {
    const key = headlineKey(token);
    const all = [...((key && key.remediation) || []), ...(token.remediation || [])];
    const bySide = new Map();
    for (const fix of all) {
      const list = bySide.get(fix.side) || [];
      if (!list.some((f) => f.action === fix.action)) list.push(fix);
      bySide.set(fix.side, list);
    }
    return bySide;
  }

  // The card's name: the card-family fields when the reader JSON carries them, else its ATR.
  function cardName(entry) {
    const card = entry.card || (entry.report && entry.report.card) || null;
    const names = card && (Array.isArray(card.names) ? card.names.join(' / ') : card.name);
    const family = card && card.family;
    if (names || family) return [names, family && `family ${family}`].filter(Boolean).join(', ');
    return null;
  }

  function causeBlock(token) {
    const cause = causeOf(token);
    const look = verdictOf(token.verdict);
    return h('p', { class: 'cause' }, cause
      ? [h('strong', { text: 'Cause: ' }), cause.message, ' ', h('span', { class: 'code', text: `[${cause.code}]` })]
      : [h('strong', { text: 'Cause: ' }), look.says]);
  }

  function fixesBlock(token) {
    const bySide = fixesOf(token);
    if (bySide.size === 0) return h('p', { class: 'fixes-none' }, h('strong', { text: 'Fix: ' }), 'nothing to fix.');
    const list = h('dl', { class: 'fixes', 'aria-label': 'Fixes by side' });
    for (const [side, title] of [...SIDES, ...[...bySide.keys()].filter((s) => !SIDES.some(([k]) => k === s)).map((s) => [s, s])]) {
      const fixes = bySide.get(side);
      if (!fixes) continue;
      list.append(h('dt', { text: title }), ...fixes.map((f) => h('dd', { 'data-side': side, text: f.action })));
    }
    return list;
  }

  function clientsTable(key) {
    const outcome = (o) => (o.outcome === 'ok' ? `\u2714 ok${o.scheme ? ` (${o.scheme})` : ''}` : `\u2716 ${o.error || o.cause || 'fails'}`);
    return tableWrap(`Clients for key ${key.label || key.id}`, ['Client', 'TLS 1.3', 'TLS 1.2', 'Basis'],
      (key.clients || []).map((c) => h('tr', {},
        h('th', { scope: 'row', text: c.stack }),
        h('td', { class: c.tls13.outcome === 'ok' ? 'yes' : 'no', text: outcome(c.tls13) }),
        h('td', { class: c.tls12.outcome === 'ok' ? 'yes' : 'no', text: outcome(c.tls12) }),
        h('td', { text: c.basis }))));
  }

  function schemesTable(key, version, capability) {
    return h('div', {},
      h('h4', { text: `TLS ${version}: ${capability.capable ? 'capable' : 'not capable'}` }),
      tableWrap(`TLS ${version} schemes for key ${key.label || key.id}`, ['Scheme', 'Usable', 'Route', 'Reasons'],
        (capability.schemes || []).map((s) => h('tr', {},
          h('th', { scope: 'row', class: 'mono', text: s.name }),
          h('td', { class: s.usable ? 'yes' : 'no', text: s.usable ? '\u2714 yes' : '\u2716 no' }),
          h('td', { class: 'mono', text: s.route || '\u2014' }),
          h('td', { text: (s.reasons || []).join(', ') })))));
  }

  function keyBlock(readerName, key) {
    const look = verdictOf(key.verdict);
    const id = `${slug(readerName)}-key-${slug(key.id || key.label || 'key')}`;
    const capable = (c) => (c.capable ? 'yes' : 'no');
    return h('div', { class: 'key', 'data-key': key.id },
      h('div', { class: 'key-line' },
        h('strong', { text: `Key \u201C${key.label || key.id}\u201D` }), h('span', { text: keySize(key) }), badge(look),
        h('span', { text: `TLS 1.3 ${capable(key.tls13)} \u00B7 TLS 1.2 ${capable(key.tls12)}` })),
      h('details', { 'data-open-id': `${id}-clients` }, h('summary', { text: 'Clients' }), clientsTable(key)),
      h('details', { 'data-open-id': `${id}-schemes` }, h('summary', { text: 'Schemes (TLS 1.3 and 1.2)' }),
        schemesTable(key, '1.3', key.tls13), schemesTable(key, '1.2', key.tls12)));
  }

  // ---- A reader's panel --------------------------------------------------------------------------------
  function readerPanel(entry) {
    const lost = model.service === 'lost';
    const panel = h('article', {
      class: 'reader', 'data-reader': entry.name, 'data-state': lost ? 'pcscd-lost' : entry.state,
      'aria-labelledby': `reader-${slug(entry.name)}`,
    });
    const card = entry.cardPresent
      ? `Card present \u00B7 ${cardName(entry) || `ATR ${entry.atr || '(mute)'}`}`
      : 'No card';
    panel.append(h('header', {},
      h('h2', { id: `reader-${slug(entry.name)}`, text: entry.name }),
      h('span', { class: 'card-line', 'data-card': entry.cardPresent ? 'present' : 'absent', text: card })));
    if (lost) {
      const look = STATES['pcscd-lost'];
      panel.append(headline(look, 'state-pcscd-lost'), h('p', { class: 'cause', text: look.says }));
    }

    const report = entry.state === 'verdict' ? entry.report : null;
    if (report && (report.tokens || []).length > 0) {
      for (const token of report.tokens) {
        const look = verdictOf(token.verdict);
        if (!lost) panel.append(headline(look, `state-verdict verdict-${slug(token.verdict)}`));
        panel.append(causeBlock(token), fixesBlock(token), tokenBlock(entry.name, token));
      }
    } else if (report) {
      panel.append(headline(verdictOf(report.verdict), 'state-verdict'), h('p', { class: 'cause', text: 'The module lists no token.' }));
    } else if (!lost) {
      const look = STATES[entry.state] || { word: entry.state, icon: '?', tone: 'none', says: '' };
      panel.append(headline(look, `state-${slug(entry.state)}`));
      const quiet = entry.state === 'empty' || entry.state === 'probing'; // nothing went wrong: no cause to give
      panel.append(h('p', { class: 'cause' }, quiet ? null : h('strong', { text: 'Cause: ' }), look.says));
      if (entry.error) panel.append(h('p', { class: 'error' }, h('strong', { text: 'The service says: ' }), entry.error));
      if (entry.state === 'no-binding') {
        panel.append(h('p', { class: 'fix' }, h('strong', { text: 'Fix: ' }), 'add a binding for this reader to the bindings file (README \u201CBench bindings\u201D).'));
      }
    }

    const actions = h('p', { class: 'actions' });
    if (entry.cardPresent) {
      actions.append(h('button', { type: 'button', 'data-action': 'recheck', 'data-reader': entry.name, text: 'Check again' }));
    }
    if (entry.state === 'verdict' && entry.report) {
      actions.append(h('a', { class: 'button', href: `#report=${encodeURIComponent(entry.name)}`, 'data-action': 'report', text: 'Card report' }));
    }
    if (actions.childNodes.length > 0) panel.append(actions);
    panel.append(h('p', { class: 'facts', text: `Updated ${time(entry.updatedAt)}` }));
    return panel;
  }

  function tokenBlock(readerName, token) {
    return h('section', { class: 'token', 'aria-label': `Token ${token.label}` },
      h('p', { class: 'facts' },
        h('strong', { text: `Token \u201C${token.label}\u201D` }),
        ` ${[token.manufacturer, token.model].filter(Boolean).join(' ')}`,
        token.serialNumber ? ` \u00B7 serial ${token.serialNumber}` : '',
        ` \u00B7 PIN ${token.pinStatus} \u00B7 login ${token.login}`,
        token.privateObjectsHidden ? ' \u00B7 private objects hidden (no PIN given)' : ''),
      (token.keys || []).map((key) => keyBlock(readerName, key)),
      (token.keys || []).length === 0 ? h('p', { class: 'facts', text: 'No key on this token.' }) : null);
  }

  // Re-renders the readers, keeping which details are open and where the keyboard focus was.
  function renderReaders() {
    const container = $('#readers');
    const open = new Set([...container.querySelectorAll('details[open]')].map((d) => d.dataset.openId));
    const active = document.activeElement;
    const focus = active && container.contains(active)
      ? { reader: active.closest('[data-reader]')?.dataset.reader, id: active.closest('details')?.dataset.openId, action: active.dataset.action }
      : null;

    const panels = [...model.readers.values()].sort((a, b) => a.name.localeCompare(b.name)).map(readerPanel);
    container.classList.toggle('lost', model.service === 'lost');
    container.replaceChildren(...(panels.length > 0 ? panels
      : [h('p', { class: 'placeholder', text: model.service === 'lost' ? 'Readers unknown until pcscd answers.' : 'No reader attached.' })]));
    for (const details of container.querySelectorAll('details')) {
      if (open.has(details.dataset.openId)) details.open = true;
    }
    if (focus) {
      const target = focus.id
        ? container.querySelector(`details[data-open-id="${CSS.escape(focus.id)}"] > summary`)
        : container.querySelector(`[data-reader="${CSS.escape(focus.reader || '')}"] [data-action="${CSS.escape(focus.action || '')}"]`);
      if (target) target.focus();
    }
  }

  function outcomeLook(check) {
    if (check.state === 'verdict' && check.verdict) return verdictOf(check.verdict);
    return STATES[check.state] || { word: check.state, icon: '?', tone: 'none' };
  }

  function renderHistory() {
    const body = $('#history tbody');
    const rows = model.history.map((check) => h('tr', { 'data-reader': check.reader },
      h('td', { text: time(check.startedAt) }),
      h('td', { text: check.reader }),
      h('td', { text: check.tokenLabel || '\u2014' }),
      h('td', {}, badge(outcomeLook(check)), check.error ? h('span', { class: 'facts', text: ` ${check.error}` }) : null),
      h('td', { text: `${Math.round(check.durationMilliseconds)} ms` })));
    body.replaceChildren(...(rows.length > 0 ? rows : [h('tr', {}, h('td', { colspan: 5, class: 'placeholder', text: 'No check yet.' }))]));
  }

  function renderService() {
    const element = $('#service');
    const [icon, text] = {
      connecting: ['\u2026', 'Connecting to the service'],
      ok: ['\u2714', 'Live \u00B7 pcscd answers'],
      lost: ['\u26A1', `pcscd unreachable, reconnecting${model.lostReason ? ` (${model.lostReason})` : ''}`],
      disconnected: ['\u2716', 'Connection to tokenservice lost, reconnecting'],
    }[model.service];
    element.dataset.service = model.service;
    element.querySelector('.icon').textContent = icon;
    element.querySelector('.text').textContent = text;
  }

  function announce(text) {
    $('#announce').textContent = text;
  }

  // ---- The card report (#report=READER) ----------------------------------------------------------------
  function renderReport(name) {
    const section = $('#report');
    const kept = model.lastReports.get(name);
    document.body.classList.add('report-mode');
    section.hidden = false;
    section.replaceChildren();
    const back = h('a', { class: 'button', href: '#', 'data-action': 'back', text: 'Back to the readers' });
    if (!kept) {
      section.append(h('h1', { id: 'report-title', text: 'Card report' }),
        h('p', { text: `No report for \u201C${name}\u201D yet: insert a card and wait for its verdict.` }), h('p', { class: 'actions' }, back));
      section.focus();
      return;
    }

    const { entry } = kept;
    const report = entry.report;
    const json = JSON.stringify(report, null, 2);
    const download = h('a', {
      class: 'button', 'data-action': 'download',
      href: URL.createObjectURL(new Blob([json], { type: 'application/json' })),
      download: `tokenservice-${slug((report.tokens[0] || {}).label || name)}-${slug(report.generatedAt)}.json`,
      text: 'Download JSON',
    });
    const print = h('button', { type: 'button', 'data-action': 'print', text: 'Print / Save as PDF' });
    section.append(
      h('h1', { id: 'report-title', text: 'Card report' }),
      h('p', { class: 'actions' }, print, download, back),
      h('dl', { class: 'meta' },
        h('dt', { text: 'Checked' }), h('dd', { text: dateTime(report.generatedAt) }),
        h('dt', { text: 'Reader' }), h('dd', { text: entry.name }),
        h('dt', { text: 'Card' }), h('dd', {}, cardName(entry) ? `${cardName(entry)} \u00B7 ` : '', 'ATR ', h('code', { text: entry.atr || '(mute)' })),
        h('dt', { text: 'Module' }), h('dd', {}, h('code', { text: report.module.path }),
          ` ${[report.module.manufacturer, report.module.description, report.module.libraryVersion && `v${report.module.libraryVersion}`].filter(Boolean).join(', ')}`),
        h('dt', { text: 'Server' }), h('dd', { text: serverText(report.server) })));
    for (const token of report.tokens) {
      section.append(
        h('h2', { text: `Token \u201C${token.label}\u201D` }),
        h('p', { class: 'facts', text: `${[token.manufacturer, token.model].filter(Boolean).join(' ')} \u00B7 serial ${token.serialNumber || '\u2014'} \u00B7 PIN ${token.pinStatus} \u00B7 login ${token.login}` }),
        headline(verdictOf(token.verdict), `state-verdict verdict-${slug(token.verdict)}`),
        causeBlock(token), fixesBlock(token));
      for (const key of token.keys || []) {
        section.append(
          h('h3', {}, `Key \u201C${key.label || key.id}\u201D ${keySize(key)} `, badge(verdictOf(key.verdict))),
          key.certificate ? h('p', { class: 'facts', text: `Certificate ${key.certificate.subject}, issued by ${key.certificate.issuer}, valid until ${dateTime(key.certificate.notAfter)}` }) : h('p', { class: 'facts', text: 'No certificate for this key.' }),
          clientsTable(key),
          schemesBrief('1.3', key.tls13), schemesBrief('1.2', key.tls12),
          h('details', { class: 'no-print' }, h('summary', { text: 'Every scheme (TLS 1.3 and 1.2)' }),
            h('div', { class: 'tables' }, schemesTable(key, '1.3', key.tls13), schemesTable(key, '1.2', key.tls12))));
      }
    }
    section.append(h('p', { class: 'report-foot', text: `TokenService card report \u00B7 the JSON download is the check --format json document (schema ${report.schemaVersion}).` }));
    section.focus();
  }

  function serverText(server) {
    const name = { 'stock-openssl3': 'stock OpenSSL 3 server model', 'given': 'given scheme lists', 'probed': `probed ${server.endpoint || ''}` }[server.source] || server.source;
    return `${name}; RSA keys from ${server.minRsaBits} bits`;
  }

  // Per version: the usable schemes with their route, and how many are not usable and why (print-sized).
  function schemesBrief(version, capability) {
    const usable = (capability.schemes || []).filter((s) => s.usable);
    const refused = (capability.schemes || []).filter((s) => !s.usable);
    const reasons = new Map();
    for (const s of refused) for (const r of s.reasons || []) reasons.set(r, (reasons.get(r) || 0) + 1);
    return h('p', { class: 'schemes-brief' },
      h('strong', { text: `TLS ${version}: ` }),
      usable.length > 0 ? usable.map((s) => `${s.name} (${s.route})`).join(', ') : 'no usable scheme',
      refused.length > 0 ? `; ${refused.length} not usable: ${[...reasons].map(([r, n]) => `${r} \u00D7${n}`).join(', ')}` : '');
  }

  function leaveReport() {
    document.body.classList.remove('report-mode');
    $('#report').hidden = true;
  }

  function route() {
    const match = /^#report=(.+)$/.exec(location.hash);
    if (match) renderReport(decodeURIComponent(match[1]));
    else if (document.body.classList.contains('report-mode')) {
      leaveReport();
      $('#readers').focus();
    }
  }

  // ---- Data ----------------------------------------------------------------------------------------------
  function keepReport(entry) {
    if (entry && entry.state === 'verdict' && entry.report) model.lastReports.set(entry.name, { entry, at: entry.updatedAt });
  }

  function setReader(entry) {
    const known = model.readers.get(entry.name);
    if (known && known.updatedAt > entry.updatedAt) return; // a snapshot older than an event already applied
    model.readers.set(entry.name, entry);
    keepReport(entry);
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 401) {
      askForKey();
      throw new Error(`${path}: the service asks for its API key`);
    }
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  // Once per (re)connection of the event stream: what happened while it was not connected.
  async function resync() {
    try {
      const [readers, history, status] = await Promise.all([getJson('/api/readers'), getJson('/api/history'), getJson('/api/status')]);
      const names = new Set(readers.map((r) => r.name));
      for (const name of [...model.readers.keys()]) if (!names.has(name)) model.readers.delete(name);
      readers.forEach(setReader);
      model.history = history.slice(0, HISTORY_LIMIT);
      model.service = status.pcscd === 'lost' ? 'lost' : 'ok';
      model.lostReason = status.reason || null;
      render();
      if (document.body.classList.contains('report-mode')) route(); // a report opened by its address before the data came
    } catch (error) {
      console.error('resync failed', error);
    }
  }

  function apply(type, event) {
    switch (type) {
      case 'reader-detached':
        model.readers.delete(event.reader);
        break;
      case 'service-lost':
        model.service = 'lost';
        model.lostReason = event.reason || null;
        announce(`pcscd unreachable: ${event.reason || ''}`);
        break;
      case 'service-restored':
        model.service = 'ok';
        model.lostReason = null;
        announce('pcscd answers again');
        break;
      case 'events-dropped':
        resync();
        return;
      default:
        if (event.state) setReader(event.state);
        if (type === 'verdict' && event.check) {
          model.history.unshift(event.check);
          model.history.length = Math.min(model.history.length, HISTORY_LIMIT);
          announce(`${event.reader}: ${outcomeLook(event.check).word}`);
        }
    }
    render();
  }

  function render() {
    renderService();
    renderReaders();
    renderHistory();
  }

  // ---- Sign-in (a service with an API key) ---------------------------------------------------------------
  // EventSource cannot send a header, and a key in the address would end up in history and logs: the key is
  // posted once, the service answers with an HttpOnly session cookie the browser then sends to /api by itself.
  let events = null;

  function askForKey() {
    if (events) events.close();
    events = null;
    model.service = 'connecting';
    renderService();
    const form = $('#sign-in');
    form.hidden = false;
    $('#live').hidden = true;
    $('#api-key').focus();
  }

  async function signIn(submit) {
    submit.preventDefault();
    const input = $('#api-key');
    const response = await fetch('/api/session', {
      method: 'POST', headers: { 'X-TokenService': '1' }, body: new URLSearchParams({ key: input.value }),
    });
    input.value = '';
    if (response.status !== 204) {
      $('#sign-in-error').textContent = response.status === 401 ? 'That is not the key of this service.' : `Sign-in refused: HTTP ${response.status}`;
      input.focus();
      return;
    }
    $('#sign-in-error').textContent = '';
    $('#sign-in').hidden = true;
    $('#live').hidden = false;
    connect();
  }

  // Whether the API answers without a key (or with this browser's session): else the sign-in form.
  async function start() {
    let response;
    try {
      response = await fetch('/api/status', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    } catch (error) {
      model.service = 'disconnected';
      renderService();
      setTimeout(start, 2000);
      return;
    }
    if (response.status === 401) askForKey();
    else connect();
  }

  function connect() {
    const source = new EventSource('/api/events');
    events = source;
    source.addEventListener('open', () => resync());
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.OPEN) {
        model.service = 'disconnected';
        renderService();
      }
      // CLOSED: the service answered with an error (a session that ended answers 401), so EventSource gives up.
      if (source.readyState === EventSource.CLOSED && events === source) {
        events = null;
        setTimeout(start, 2000);
      }
    });
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => apply(type, JSON.parse(message.data)));
    }
  }

  // The page's own POST carries a custom header and a JSON body: a cross-site form cannot send either.
  async function recheck(button) {
    button.disabled = true;
    try {
      const response = await fetch(`/api/check?reader=${encodeURIComponent(button.dataset.reader)}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-TokenService': '1' }, body: '{}',
      });
      if (!response.ok) announce(`Check again refused: HTTP ${response.status}`);
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener('click', (click) => {
    const target = click.target.closest('[data-action]');
    if (!target) return;
    if (target.dataset.action === 'recheck') recheck(target);
    else if (target.dataset.action === 'print') window.print();
  });
  window.addEventListener('hashchange', route);
  document.addEventListener('DOMContentLoaded', () => {
    $('#sign-in').addEventListener('submit', signIn);
    render();
    start();
    route();
  });
})();
