/**
 * The shell every sandbox page shares: a Jira/Confluence-like top bar, the switchers for acting user, theme and
 * locale, and a flag area that Custom UI frames reach through `showFlag`. Plain HTML and CSS: the host must stay
 * out of the way of the app it hosts.
 */
import { html, type Html, trusted } from './html';

export interface Persona {
  readonly accountId: string;
  readonly displayName: string;
  /** What this person is for in the demo ("PMO lead", "outsider: cannot browse ATLAS"). */
  readonly role: string;
}

export interface Session {
  readonly user: Persona;
  readonly colorMode: 'light' | 'dark';
  readonly locale: string;
}

export const LOCALES: ReadonlyArray<{ readonly code: string; readonly label: string }> = [
  { code: 'en-US', label: 'English' },
  { code: 'nb-NO', label: 'Norsk bokmål' },
  { code: 'sv-SE', label: 'Svenska' },
];

const STYLE = `
:root { color-scheme: light; --bg:#fff; --bg-sunken:#f7f8f9; --text:#172b4d; --subtle:#626f86; --border:#dcdfe4; --brand:#0c66e4; --nav:#fff; --lozenge:#dfe1e6; }
[data-color-mode="dark"] { color-scheme: dark; --bg:#1d2125; --bg-sunken:#161a1d; --text:#c7d1db; --subtle:#8c9bab; --border:#38414a; --brand:#579dff; --nav:#22272b; --lozenge:#38414a; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.43 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; background:var(--bg); color:var(--text); }
a { color: var(--brand); text-decoration: none; } a:hover { text-decoration: underline; }
header.top { display:flex; align-items:center; gap:16px; padding:8px 16px; border-bottom:1px solid var(--border); background:var(--nav); position:sticky; top:0; z-index:10; }
header.top .product { font-weight:600; display:flex; gap:8px; align-items:center; }
header.top .product .logo { width:24px; height:24px; border-radius:4px; background:var(--brand); color:#fff; display:inline-grid; place-items:center; font-size:13px; }
header.top nav { display:flex; gap:4px; flex:1; }
header.top nav a { padding:6px 10px; border-radius:3px; color:var(--text); }
header.top nav a.active { background:var(--bg-sunken); color:var(--brand); }
header.top form { display:flex; gap:8px; align-items:center; margin:0; }
header.top select { font:inherit; padding:4px 6px; border:1px solid var(--border); border-radius:3px; background:var(--bg); color:var(--text); }
main { padding:24px 32px; max-width:1400px; margin:0 auto; }
h1 { font-size:24px; font-weight:500; margin:0 0 16px; } h2 { font-size:16px; margin:24px 0 8px; }
table.list { border-collapse:collapse; width:100%; } table.list th, table.list td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--border); vertical-align:top; }
table.list th { color:var(--subtle); font-weight:600; font-size:12px; }
.lozenge { display:inline-block; padding:0 4px; border-radius:3px; font-size:11px; font-weight:700; text-transform:uppercase; background:var(--lozenge); }
.lozenge.green { background:#dcfff1; color:#216e4e; } .lozenge.amber { background:#fff7d6; color:#7f5f01; } .lozenge.red { background:#ffeceb; color:#ae2e24; }
.lozenge.blue { background:#e9f2ff; color:#0055cc; } .lozenge.purple { background:#f3f0ff; color:#5e4db2; }
[data-color-mode="dark"] .lozenge.green { background:#1c3329; color:#7ee2b8; } [data-color-mode="dark"] .lozenge.amber { background:#332e1b; color:#f8e6a0; } [data-color-mode="dark"] .lozenge.red { background:#42221f; color:#fd9891; }
.muted { color:var(--subtle); } .error { color:#ae2e24; background:#ffeceb; padding:8px 12px; border-radius:3px; } [data-color-mode="dark"] .error { background:#42221f; color:#fd9891; }
.layout-issue { display:grid; grid-template-columns: minmax(0,1fr) 320px; gap:32px; }
.fields dt { color:var(--subtle); font-size:12px; margin-top:12px; } .fields dd { margin:2px 0 0; }
.frame-box { border:1px solid var(--border); border-radius:3px; margin:16px 0; }
.frame-box > .frame-title { padding:8px 12px; font-weight:600; border-bottom:1px solid var(--border); background:var(--bg-sunken); display:flex; justify-content:space-between; align-items:center; }
.context-panel { border:1px solid var(--border); border-radius:3px; margin:16px 0; }
.context-panel > summary { list-style:none; display:flex; align-items:center; justify-content:space-between; gap:8px; padding:8px 12px; color:var(--text); font-weight:600; }
.context-panel > summary::-webkit-details-marker { display:none; }
.context-panel > summary::before { content:""; width:6px; height:6px; border-right:2px solid var(--subtle); border-bottom:2px solid var(--subtle); transform:rotate(-45deg); margin:0 4px 0 2px; transition:transform .15s; }
.context-panel[open] > summary::before { transform:rotate(45deg); }
.context-panel > summary:hover { background:var(--bg-sunken); }
.context-panel .context-label { display:flex; align-items:center; gap:8px; flex:1; min-width:0; }
.context-panel .context-body { border-top:1px solid var(--border); padding:4px 0 0; }
.context-panel iframe.forge { min-height:0; }
.badge { display:inline-block; min-width:20px; padding:0 6px; border-radius:8px; font-size:12px; text-align:center; background:var(--lozenge); }
iframe.forge { width:100%; border:0; display:block; min-height:200px; background:transparent; }
button, .button { font:inherit; padding:6px 12px; border-radius:3px; border:1px solid var(--border); background:var(--bg-sunken); color:var(--text); cursor:pointer; }
button.primary { background:var(--brand); border-color:var(--brand); color:#fff; }
input[type=text], textarea { font:inherit; padding:6px 8px; border:1px solid var(--border); border-radius:3px; background:var(--bg); color:var(--text); }
details > summary { cursor:pointer; color:var(--subtle); }
pre { background:var(--bg-sunken); padding:8px; border-radius:3px; overflow:auto; font-size:12px; }
#flags { position:fixed; bottom:24px; left:24px; display:flex; flex-direction:column; gap:8px; z-index:20; }
#flags .flag { background:var(--nav); border:1px solid var(--border); box-shadow:0 4px 8px rgba(9,30,66,.25); padding:12px 16px; border-radius:3px; min-width:280px; max-width:420px; }
#flags .flag.error { border-left:4px solid #c9372c; } #flags .flag.success { border-left:4px solid #22a06b; } #flags .flag.warning { border-left:4px solid #e2b203; } #flags .flag.info { border-left:4px solid #1d7afc; }
.confluence-page { max-width:960px; margin:0 auto; } .confluence-page .macro { margin:16px 0; }
`;

/** The script that relays what frames ask of the host (flags, navigation, refresh, resize, events) and pushes theme changes. */
const HOST_SCRIPT = `
window.addEventListener('message', function (event) {
  var data = event.data;
  if (!data || data.source !== 'tollgate-sandbox-frame') return;
  var frame = document.querySelector('iframe[data-token="' + data.token + '"]');
  if (data.cmd === 'showFlag') {
    var flag = document.createElement('div');
    flag.className = 'flag ' + (data.payload.type || 'info');
    flag.setAttribute('role', 'status');
    flag.id = 'flag-' + data.payload.id;
    var title = document.createElement('strong'); title.textContent = data.payload.title || '';
    var body = document.createElement('div'); body.textContent = data.payload.description || '';
    flag.appendChild(title); flag.appendChild(body);
    document.getElementById('flags').appendChild(flag);
    setTimeout(function () { flag.remove(); }, 8000);
  } else if (data.cmd === 'closeFlag') {
    var open = document.getElementById('flag-' + data.payload.id); if (open) open.remove();
  } else if (data.cmd === 'refresh') {
    location.reload();
  } else if (data.cmd === 'navigate' || data.cmd === 'open') {
    var target = data.payload && (data.payload.url || data.payload.target && data.payload.target.url);
    if (data.payload && data.payload.target === 'issue' && data.payload.issueKey) target = '/browse/' + data.payload.issueKey;
    if (target) location.href = target;
  } else if (data.cmd === 'resize' && frame && data.payload && data.payload.height) {
    frame.style.height = data.payload.height + 'px';
  } else if (data.cmd === 'emit' && data.payload && typeof data.payload.event === 'string') {
    // @forge/bridge events: delivered to the other Custom UI frames of the app on this page (every frame here is
    // Tollgate's), as Forge's host does between extensions of one app; the emitting frame is not called back.
    document.querySelectorAll('iframe.forge').forEach(function (other) {
      if (other === frame || !other.contentWindow) return;
      other.contentWindow.postMessage({ source: 'tollgate-sandbox-host', type: 'event', name: data.payload.event, payload: data.payload.payload }, '*');
    });
  } else if (data.cmd === 'submit' || data.cmd === 'close') {
    if (frame && frame.getAttribute('data-closes') === 'reload') location.reload();
  }
});
// Issue context panels remember, per module, whether the reader left them open or closed (as Jira's do).
document.querySelectorAll('details[data-context-panel]').forEach(function (panel) {
  var key = 'tollgate-sandbox:issue-context:' + panel.getAttribute('data-context-panel');
  try { var saved = localStorage.getItem(key); if (saved) panel.open = saved === 'open'; } catch (e) {}
  panel.addEventListener('toggle', function () { try { localStorage.setItem(key, panel.open ? 'open' : 'closed'); } catch (e) {} });
});
// Custom UI frames size themselves in Forge; here a same-origin frame is measured so pages do not scroll twice.
setInterval(function () {
  document.querySelectorAll('iframe.forge').forEach(function (f) {
    // The body's own height, not the document's scrollHeight (never less than the frame), so a frame also shrinks.
    try { var b = f.contentDocument && f.contentDocument.body; var h = b && Math.ceil(b.getBoundingClientRect().height + parseFloat(getComputedStyle(b).marginTop) + parseFloat(getComputedStyle(b).marginBottom)); if (h && Math.abs(h - f.clientHeight) > 4) f.style.height = (h + 4) + 'px'; } catch (e) {}
  });
}, 300);
`;

export interface PageOptions {
  readonly title: string;
  readonly session: Session;
  readonly personas: readonly Persona[];
  readonly active: 'issues' | 'portfolio' | 'admin' | 'confluence' | 'sandbox' | 'none';
  readonly nav: ReadonlyArray<{ readonly id: PageOptions['active']; readonly label: string; readonly href: string }>;
  readonly product: 'Jira' | 'Confluence' | 'Sandbox';
  readonly returnTo: string;
}

/** A complete page in the shell. */
export function page(options: PageOptions, body: Html): Html {
  const { session, personas } = options;
  return html`<!doctype html>
    <html lang="${session.locale}" data-color-mode="${session.colorMode}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · ${options.product} (Tollgate sandbox)</title>
        <style>
          ${trusted(STYLE)}
        </style>
      </head>
      <body>
        <header class="top">
          <span class="product"
            ><span class="logo" aria-hidden="true">${options.product === 'Confluence' ? 'C' : 'J'}</span
            >${options.product}</span
          >
          <nav aria-label="Sandbox">
            ${options.nav.map((item) => html`<a href="${item.href}" class="${item.id === options.active ? 'active' : ''}">${item.label}</a>`)}
          </nav>
          <form method="post" action="/sandbox/session">
            <input type="hidden" name="returnTo" value="${options.returnTo}" />
            <label
              >Acting as
              <select name="user" aria-label="Acting user" onchange="this.form.submit()">
                ${personas.map((p) => html`<option value="${p.accountId}" ${p.accountId === session.user.accountId ? html`selected` : ''}>${p.displayName} — ${p.role}</option>`)}
              </select>
            </label>
            <select name="colorMode" aria-label="Theme" onchange="this.form.submit()">
              <option value="light" ${session.colorMode === 'light' ? html`selected` : ''}>Light</option>
              <option value="dark" ${session.colorMode === 'dark' ? html`selected` : ''}>Dark</option>
            </select>
            <select name="locale" aria-label="Language" onchange="this.form.submit()">
              ${LOCALES.map((l) => html`<option value="${l.code}" ${l.code === session.locale ? html`selected` : ''}>${l.label}</option>`)}
            </select>
            <noscript><button type="submit">Switch</button></noscript>
          </form>
        </header>
        <main>${body}</main>
        <div id="flags" aria-live="polite"></div>
        <script>
          ${trusted(HOST_SCRIPT)};
        </script>
      </body>
    </html>`;
}
