// The local Slack sandbox page: shows a channel and its threads from the sandbox server, renders Block Kit in a
// Slack-like way, and turns what the person types or clicks into API calls that the server sends to the app as
// Slack would. Every piece of text becomes a DOM text node (never HTML), so nothing in a message can inject markup.

const EMOJI = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  lock: '🔒',
  key: '🔑',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  thinking_face: '🤔',
  calendar: '📆',
  date: '📅',
  spiral_calendar_pad: '🗓️',
  bell: '🔔',
  tada: '🎉',
  rocket: '🚀',
  wave: '👋',
  bulb: '💡',
  mag: '🔍',
  memo: '📝',
  pencil: '📝',
  clipboard: '📋',
  information_source: 'ℹ️',
  package: '📦',
  moneybag: '💰',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  bar_chart: '📊',
  star: '⭐',
  fire: '🔥',
  zap: '⚡',
  link: '🔗',
  gear: '⚙️',
  office: '🏢',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  point_right: '👉',
  speech_balloon: '💬',
  arrows_counterclockwise: '🔄',
  arrow_right: '➡️',
  sunrise: '🌅',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  hammer_and_wrench: '🛠️',
  wrench: '🔧',
  eyes: '👀',
  sparkles: '✨',
  rotating_light: '🚨',
  checkered_flag: '🏁',
  ok_hand: '👌',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  '-1': '👎',
  one: '1️⃣',
  two: '2️⃣',
  three: '3️⃣',
  four: '4️⃣',
  five: '5️⃣',
  six: '6️⃣',
  seven: '7️⃣',
  eight: '8️⃣',
  nine: '9️⃣',
  hourglass_done: '⌛',
  mailbox: '📫',
  inbox_tray: '📥',
  outbox_tray: '📤',
  robot_face: '🤖',
  sos: '🆘',
  clock9: '🕘',
  alarm_clock: '⏰',
  calendar_spiral: '🗓️',
  money_with_wings: '💸',
  books: '📚',
  book: '📖',
  house: '🏠',
  globe_with_meridians: '🌐',
  question: '❓',
  grey_question: '❔',
  exclamation: '❗',
  tools: '🛠️',
  heavy_plus_sign: '➕',
  heavy_minus_sign: '➖',
  small_red_triangle_down: '🔻',
  small_red_triangle: '🔺',
  white_large_square: '⬜',
  black_large_square: '⬛',
  ballot_box_with_check: '☑️',
  fast_forward: '⏩',
  arrow_forward: '▶️',
  point_up: '☝️',
  round_pushpin: '📍',
  pushpin: '📌',
  smile: '😄',
  slightly_smiling_face: '🙂',
  large_orange_circle: '🟠',
  large_green_square: '🟩',
  hourglass_not_done: '⏳',
  calling: '📲',
  email: '📧',
  // Skin tone modifiers follow another emoji (":wave::skin-tone-2:"): shown as the plain emoji.
  'skin-tone-2': '',
  'skin-tone-3': '',
  'skin-tone-4': '',
  'skin-tone-5': '',
  'skin-tone-6': '',
};

const state = {
  workspace: null,
  channel: null,
  messages: [],
  threadTs: null,
  /** 'channel' (a channel or the DM with LMA), or 'home' (LMA's Home tab). */
  view: 'channel',
  home: null,
  /** Notices only this page shows (a command Slack refused, a failed click), as Slackbot would. */
  notices: [],
};

const $ = (id) => document.getElementById(id);

/** Creates an element with a class and children (strings become text nodes). */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Slack escapes &, < and > in text; entities become characters again, only ever as text nodes. */
function decodeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function emojify(text) {
  return text.replace(/:([a-z0-9_+'-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}

function safeHref(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

function userName(id) {
  return state.workspace?.users?.[id] ?? id;
}

function channelName(id) {
  return state.workspace?.channels?.find((c) => c.id === id)?.name ?? id;
}

// ---------- mrkdwn ----------

const INLINE = new RegExp(
  [
    '<([^<>\\n]+)>', // 1: links, mentions, specials
    '`([^`\\n]+)`', // 2: code
    '(?<![\\w*])\\*(?!\\s)([^*\\n]+?)(?<!\\s)\\*(?![\\w*])', // 3: bold
    '(?<![\\w_])_(?!\\s)([^_\\n]+?)(?<!\\s)_(?![\\w_])', // 4: italic
    '(?<![\\w~])~(?!\\s)([^~\\n]+?)(?<!\\s)~(?![\\w~])', // 5: strike
    ":([a-z0-9_+'-]+):", // 6: emoji
  ].join('|'),
  'g',
);

/** Inline mrkdwn → DOM nodes appended to `parent`. */
function renderInline(text, parent) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parent.append(decodeEntities(text.slice(last, match.index)));
    const [whole, angle, code, bold, italic, strike, emoji] = match;
    if (angle !== undefined) parent.append(renderAngle(angle));
    else if (code !== undefined) parent.append(el('code', '', decodeEntities(code)));
    else if (bold !== undefined) renderInline(bold, parent.appendChild(el('strong')));
    else if (italic !== undefined) renderInline(italic, parent.appendChild(el('em')));
    else if (strike !== undefined) renderInline(strike, parent.appendChild(el('s')));
    else if (emoji !== undefined) parent.append(EMOJI[emoji] ?? whole);
    last = match.index + whole.length;
  }
  if (last < text.length) parent.append(decodeEntities(text.slice(last)));
}

/** `<…>`: a user or channel mention, @here, a date, or a link with an optional label. */
function renderAngle(inner) {
  const [target, ...rest] = inner.split('|');
  const label = rest.length ? decodeEntities(rest.join('|')) : undefined;
  if (/^@[UW]/.test(target)) return el('span', 'mention', `@${label ?? userName(target.slice(1))}`);
  if (/^#[CGD]/.test(target)) return el('span', 'mention', `#${label ?? channelName(target.slice(1))}`);
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0];
    if (['here', 'channel', 'everyone'].includes(special)) return el('span', 'mention', `@${special}`);
    return document.createTextNode(label ?? target);
  }
  const url = decodeEntities(target);
  const href = safeHref(url);
  if (!href) return document.createTextNode(label ?? url);
  const a = el('a', '', label ?? url);
  a.href = href;
  const here = conversationOf(href);
  if (here) {
    // A link to a conversation of this workspace (the DM with the app, a channel) opens it here, as Slack would.
    a.dataset.conversation = here;
    a.addEventListener('click', (event) => {
      event.preventDefault();
      openConversation(here);
    });
    return a;
  }
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

/** The conversation a slack.com/app_redirect?channel=… link opens, when it is one this page shows. */
function conversationOf(href) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.hostname !== 'slack.com' || url.pathname !== '/app_redirect') return null;
  const id = url.searchParams.get('channel');
  const known = id === state.workspace?.dm || state.workspace?.channels?.some((c) => c.id === id);
  return known ? id : null;
}

function openConversation(id) {
  state.view = 'channel';
  state.channel = id;
  state.threadTs = null;
  void refresh();
}

/** Block-level mrkdwn: ``` code blocks, > quotes, line breaks. */
function renderMrkdwn(text) {
  const root = el('div', 'mrkdwn');
  const parts = String(text ?? '').split(/```([\s\S]*?)```/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      root.append(el('pre', '', decodeEntities(part.replace(/^\n/, ''))));
      return;
    }
    let quote = null;
    part.split('\n').forEach((line, n, lines) => {
      const quoted = line.match(/^(?:&gt;|>)\s?(.*)$/);
      if (quoted) {
        quote ??= root.appendChild(el('blockquote'));
        if (quote.childNodes.length) quote.append(el('br'));
        renderInline(quoted[1], quote);
        return;
      }
      quote = null;
      renderInline(line, root);
      if (n < lines.length - 1) root.append(el('br'));
    });
  });
  return root;
}

/** A text object: mrkdwn, or plain_text (where Slack only turns :emoji: names into emoji). */
function renderTextObject(object) {
  if (!object || typeof object.text !== 'string') return el('span');
  return object.type === 'mrkdwn' ? renderMrkdwn(object.text) : el('span', '', emojify(object.text));
}

// ---------- Block Kit ----------

function renderBlocks(blocks, message) {
  const root = el('div', 'blocks');
  for (const block of blocks) root.append(renderBlock(block, message));
  return root;
}

function renderBlock(block, message) {
  switch (block.type) {
    case 'header':
      return el('div', 'block block-header', emojify(block.text?.text ?? ''));
    case 'section': {
      const main = el('div', 'section-main');
      if (block.text) main.append(renderTextObject(block.text));
      if (Array.isArray(block.fields))
        main.append(el('div', 'block-fields', ...block.fields.map((f) => el('div', 'field', renderTextObject(f)))));
      const section = el('div', 'block block-section', main);
      if (block.accessory) section.append(renderElement(block.accessory, message));
      return section;
    }
    case 'context':
      return el(
        'div',
        'block block-context',
        ...(block.elements ?? []).map((e) =>
          e.type === 'image' ? image(e.image_url, e.alt_text) : renderTextObject(e),
        ),
      );
    case 'divider':
      return el('hr', 'block-divider');
    case 'actions':
      return el('div', 'block block-actions', ...(block.elements ?? []).map((e) => renderElement(e, message)));
    case 'image':
      return el(
        'div',
        'block block-image',
        block.title ? renderTextObject(block.title) : null,
        image(block.image_url, block.alt_text),
      );
    case 'rich_text':
      return el('div', 'block', renderMrkdwn(message.text));
    case 'data_visualization':
      return renderChart(block);
    case 'table':
      return renderTable(block);
    default:
      return el('div', 'block block-unsupported', `[${block.type} block: not shown in the sandbox]`);
  }
}

/** A table block: its first row as the header; raw_text cells as text, rich_text cells with their links and emoji. */
function renderTable(block) {
  const rows = Array.isArray(block.rows) ? block.rows : [];
  const right = new Set((block.column_settings ?? []).flatMap((c, i) => (c?.align === 'right' ? [i] : [])));
  const cell = (tag, value, i) => {
    const node = el(tag, right.has(i) ? 'align-right' : '', ...tableCell(value));
    return node;
  };
  const [head, ...body] = rows;
  return el(
    'div',
    'block block-table',
    el(
      'table',
      '',
      head ? el('thead', '', el('tr', '', ...head.map((c, i) => cell('th', c, i)))) : null,
      el('tbody', '', ...body.map((row) => el('tr', '', ...row.map((c, i) => cell('td', c, i))))),
    ),
  );
}

/** A table cell's content, only ever as text nodes and links with safe URLs. */
function tableCell(value) {
  if (value?.type === 'raw_text' || value?.type === 'raw_number') return [String(value.text ?? '')];
  if (value?.type !== 'rich_text') return [''];
  return (value.elements ?? [])
    .flatMap((section) => section.elements ?? [])
    .map((e) => {
      if (e.type === 'emoji') return EMOJI[e.name] ?? `:${e.name}:`;
      if (e.type === 'link') {
        const href = safeHref(e.url ?? '');
        const a = el(href ? 'a' : 'span', '', e.text ?? e.url ?? '');
        if (href) {
          a.href = href;
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
        }
        return a;
      }
      return e.type === 'text' ? String(e.text ?? '') : '';
    });
}

/** A file the bot shared: its name as a download link, its size, and the first lines of a text file. */
function renderFile(file) {
  const link = el('a', 'file-name', file.title || file.name);
  link.href = file.url;
  link.download = file.name;
  return el(
    'div',
    'file',
    el(
      'div',
      'file-head',
      el('span', 'file-type', (file.name.split('.').pop() ?? 'file').toUpperCase()),
      link,
      el('span', 'file-size', formatBytes(file.size)),
    ),
    file.preview ? el('pre', 'file-preview', file.preview) : null,
  );
}

function formatBytes(n) {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A data visualization block's bar chart: one bar per category, as tall as its share of the largest value. */
function renderChart(block) {
  const chart = block.chart ?? {};
  const series = Array.isArray(chart.series) ? chart.series : [];
  const categories = chart.axis_config?.categories ?? series[0]?.data?.map((p) => p.label) ?? [];
  const values = (label) => series.map((s) => Number(s.data?.find((p) => p.label === label)?.value ?? 0));
  const max = Math.max(1, ...categories.flatMap(values));
  const bars = categories.map((label) =>
    el(
      'div',
      'chart-column',
      ...values(label).map((value) => {
        const bar = el('div', 'chart-bar');
        bar.style.height = `${Math.round((value / max) * 100)}%`;
        bar.title = `${label}: ${value}`;
        return el('div', 'chart-slot', el('span', 'chart-value', String(value)), bar);
      }),
      el('div', 'chart-label', label),
    ),
  );
  const node = el(
    'figure',
    'block block-chart',
    el('figcaption', '', block.title ?? ''),
    el('div', 'chart-bars', ...bars),
  );
  node.dataset.chart = chart.type ?? '';
  return node;
}

function image(url, alt) {
  const href = typeof url === 'string' ? safeHref(url) : null;
  if (!href) return el('span', 'muted', alt ?? '');
  const img = el('img');
  img.src = href;
  img.alt = alt ?? '';
  return img;
}

function renderElement(element, message) {
  if (element.type === 'image') return image(element.image_url, element.alt_text);
  if (element.type !== 'button') {
    const placeholder = element.placeholder?.text ?? element.type;
    return el('span', 'block-element-unsupported', `${emojify(placeholder)} (not clickable in the sandbox)`);
  }
  const button = el(
    'button',
    `block-button${element.style ? ` ${element.style}` : ''}`,
    emojify(element.text?.text ?? 'Button'),
  );
  button.type = 'button';
  button.dataset.actionId = element.action_id ?? '';
  button.addEventListener('click', async () => {
    const href = element.url ? safeHref(element.url) : null;
    if (href) window.open(href, '_blank', 'noopener');
    button.disabled = true;
    try {
      if (message.home) await api('/api/home/actions', { action_id: element.action_id });
      else
        await api('/api/actions', {
          channel: state.channel,
          ts: message.ts,
          action_id: element.action_id,
          value: element.value,
        });
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

// ---------- Messages ----------

function formatTime(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function renderMessage(message, { inThread }) {
  const isNotice = message.notice === true;
  const node = el('div', `message${message.ephemeral ? ' ephemeral' : ''}${isNotice ? ' notice' : ''}`);
  node.dataset.ts = message.ts;
  if (message.ephemeral || isNotice) {
    node.append(el('div', 'only-you', eyeIcon(), el('span', '', 'Only visible to you')));
  }
  const avatarClass = isNotice ? 'slackbot' : message.isBot ? 'bot' : 'person';
  const initials = isNotice ? 'S' : message.isBot ? 'LMA' : (message.userName ?? '?').slice(0, 1).toUpperCase();
  node.append(el('div', `avatar ${avatarClass}`, initials));
  const head = el(
    'div',
    'message-head',
    el('span', 'author', isNotice ? 'Slackbot' : message.userName),
    message.isBot ? el('span', 'app-badge', 'APP') : null,
    el('span', 'time', formatTime(message.ts)),
    message.edited ? el('span', 'edited', '(edited)') : null,
  );
  const body = el('div', 'message-body', head);
  if (message.broadcast && !inThread) body.append(el('div', 'broadcast-note', 'replied to a thread'));
  body.append(
    Array.isArray(message.blocks) && message.blocks.length
      ? renderBlocks(message.blocks, message)
      : renderMrkdwn(message.text),
  );
  if (Array.isArray(message.files)) body.append(...message.files.map(renderFile));
  if (!inThread && !isNotice && message.replyCount > 0) {
    const summary = el(
      'button',
      'thread-summary',
      el('span', 'mini-avatar'),
      `${message.replyCount} ${message.replyCount === 1 ? 'reply' : 'replies'}`,
      el('span', 'view', 'View thread'),
    );
    summary.type = 'button';
    summary.addEventListener('click', () => openThread(message.ts));
    body.append(summary);
  }
  node.append(el('div', 'message-body-wrap', body));
  if (!inThread && !isNotice && !message.ephemeral) {
    const reply = el('button', '', 'Reply in thread');
    reply.type = 'button';
    reply.addEventListener('click', () => openThread(message.ts));
    node.append(el('div', 'message-actions', reply));
  }
  return node;
}

/** Drawn, not an emoji: the page chrome must not depend on an emoji font being installed. */
function eyeIcon() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute(
    'd',
    'M10 4C5.5 4 2.2 7.4 1 10c1.2 2.6 4.5 6 9 6s7.8-3.4 9-6c-1.2-2.6-4.5-6-9-6zm0 9.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7zm0-5.2a1.7 1.7 0 1 0 0 3.4 1.7 1.7 0 0 0 0-3.4z',
  );
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

const isTopLevel = (m) => !m.thread_ts || m.thread_ts === m.ts || m.broadcast;

/** Re-renders a list, keeping the view pinned to the newest message when it was already there. */
function renderList(container, items, options, emptyText) {
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  container.replaceChildren(
    ...(items.length ? items.map((m) => renderMessage(m, options)) : [el('div', 'empty', emptyText)]),
  );
  if (atBottom) container.scrollTop = container.scrollHeight;
}

function byTs(a, b) {
  return Number(a.ts) - Number(b.ts);
}

function channelTitle(id) {
  if (id === state.workspace.dm) return 'LMA';
  return `# ${state.workspace.channels.find((c) => c.id === id)?.name ?? id}`;
}

/** The LMA app: its Home tab (the view the app last published) or its Messages tab (the DM), or a channel. */
function renderApp() {
  const inApp = state.view === 'home' || state.channel === state.workspace.dm;
  $('app-lma').classList.toggle('active', inApp);
  $('home').hidden = state.view !== 'home';
  document.querySelector('main.channel:not(.home)').hidden = state.view === 'home';
  $('tab-home').classList.toggle('active', state.view === 'home');
  $('tab-messages').classList.toggle('active', state.view !== 'home' && inApp);
  if (state.view !== 'home') return;
  const blocks = state.home?.blocks;
  $('home-view').replaceChildren(
    Array.isArray(blocks) && blocks.length
      ? renderBlocks(blocks, { home: true })
      : el('div', 'empty', 'Opening the Home tab… the app publishes it with views.publish.'),
  );
}

async function refreshHome() {
  const answer = await (await fetch('/api/home')).json();
  state.home = answer.view;
  renderApp();
}

async function openHome() {
  state.view = 'home';
  state.threadTs = null;
  render();
  await api('/api/home/open', {});
  await refreshHome();
}

function render() {
  renderApp();
  const title = channelTitle(state.channel);
  $('channel-title').textContent = title;
  $('thread-channel').textContent = title;
  $('composer-input').placeholder = `Message ${title} — try /lma renewals 30 or @LMA who renews next month?`;
  for (const item of $('channels').children)
    item.classList.toggle('active', state.view === 'channel' && item.dataset.id === state.channel);
  const notices = state.notices.filter((n) => n.channel === state.channel);
  const top = [...state.messages.filter(isTopLevel), ...notices.filter((n) => !n.thread_ts)].sort(byTs);
  renderList(
    $('messages'),
    top,
    { inThread: false },
    'No messages yet. Type /lma help below, or pick one of the examples above.',
  );
  renderThread(notices);
}

function renderThread(notices) {
  const panel = $('thread');
  const parent = state.threadTs && state.messages.find((m) => m.ts === state.threadTs);
  if (!parent) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const replies = [
    ...state.messages.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts),
    ...notices.filter((n) => n.thread_ts === parent.ts),
  ].sort(byTs);
  const container = $('thread-messages');
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  const count = el('div', 'reply-count', `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`);
  container.replaceChildren(
    renderMessage(parent, { inThread: true }),
    count,
    ...replies.map((m) => renderMessage(m, { inThread: true })),
  );
  if (atBottom) container.scrollTop = container.scrollHeight;
}

function openThread(ts) {
  state.threadTs = ts;
  render();
  $('thread-messages').scrollTop = $('thread-messages').scrollHeight;
  $('thread-input').focus();
}

// ---------- Talking to the sandbox server ----------

/** POSTs JSON; a refusal becomes a notice in the channel (or thread) instead of vanishing. */
async function api(path, body) {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!answer.ok) notice(answer.error ?? `Request failed (HTTP ${response.status}).`, body.thread_ts);
    return answer;
  } catch (error) {
    notice(`The sandbox server did not answer (${error.message}). Is npm start still running?`, body.thread_ts);
    return { ok: false };
  }
}

function notice(text, threadTs) {
  const newest = Math.max(Date.now() / 1000, ...state.messages.map((m) => Number(m.ts)));
  state.notices.push({
    notice: true,
    ts: (newest + 0.000001).toFixed(6),
    channel: state.channel,
    thread_ts: threadTs,
    text,
    userName: 'Slackbot',
  });
  render();
}

let refreshing = null;
let refreshAgain = false;
/** Fetches the channel's history; a change arriving mid-fetch triggers one more fetch, never a pile-up. */
async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      const response = await fetch(`/api/channels/${encodeURIComponent(state.channel)}/messages`);
      const answer = await response.json();
      state.messages = answer.messages ?? [];
      render();
    } while (refreshAgain);
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function listen() {
  const events = new EventSource('/api/events');
  events.addEventListener('change', () => {
    void refresh();
    if (state.view === 'home') void refreshHome();
  });
}

function setUpComposer(form, input, threadTs) {
  const send = async () => {
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    autosize(input);
    $('slash-hint').hidden = true;
    await api('/api/messages', { channel: state.channel, text, ...(threadTs() ? { thread_ts: threadTs() } : {}) });
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  });
  input.addEventListener('input', () => autosize(input));
}

function autosize(input) {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
}

async function start() {
  state.workspace = await (await fetch('/api/workspace')).json();
  state.channel = state.workspace.channels[0]?.id;
  $('channels').replaceChildren(
    ...state.workspace.channels.map((c) => {
      const item = el('li', '', `# ${c.name}`);
      item.dataset.id = c.id;
      item.addEventListener('click', () => {
        state.channel = c.id;
        state.view = 'channel';
        state.threadTs = null;
        void refresh();
      });
      return item;
    }),
  );
  $('app-lma').addEventListener('click', () => void openHome());
  $('tab-home').addEventListener('click', () => void openHome());
  $('tab-messages').addEventListener('click', () => openConversation(state.workspace.dm));
  const input = $('composer-input');
  setUpComposer($('composer'), input, () => null);
  setUpComposer($('thread-composer'), $('thread-input'), () => state.threadTs);
  input.addEventListener('input', () => {
    $('slash-hint').hidden =
      !/^\/\S*$/.test(input.value.trim()) || !'/lma'.startsWith(input.value.trim().toLowerCase());
  });
  $('thread-close').addEventListener('click', () => {
    state.threadTs = null;
    render();
  });
  $('run-digest').addEventListener(
    'click',
    () => void api('/api/messages', { channel: state.channel, text: '/lma digest post' }),
  );
  for (const chip of document.querySelectorAll('.chip')) {
    chip.addEventListener('click', () => {
      input.value = chip.dataset.fill ?? '';
      input.focus();
      autosize(input);
    });
  }
  await refresh();
  listen();
  document.body.dataset.ready = 'true';
}

void start();
