// Atlas PVD — the territory search (a Streamlit component, st.components.v2).
//
// The index of every région, département, EPCI and commune (pvd_geo/views/search.py) is fetched
// once, when the reader first uses the field, from the atlas's own static files; the search runs
// here while the reader types: a keystroke costs the server nothing. Only the reader's choice is
// sent back (one trigger value, a level's address key and a code: "com:30210", "dep:30").
//
// What forgives: case, accents, hyphens and apostrophes; a leading article ("le grau");
// "st"/"ste" for Saint/Sainte; words in any part of the name ("hippolyte fort"); one typo
// ("quisac"); a code (INSEE, SIREN of an EPCI: "30210", "200034411"). What comes first: exact names, then names that start with the query, then names
// with every word of the query; the territories the page is about before others; départements
// and régions before EPCI and communes; communes of the programme, then the most populous.
// Names are set with textContent, never parsed as HTML.

const INDEXES = new Map(); // index address -> Promise of the parsed index (once per page)
const STATES = new WeakMap(); // the component's element -> its state (scope, results)
const ARTICLE = /^(?:l|le|la|les|aux|las|los) /;
const ABBREVIATIONS = { st: "saint", ste: "sainte", sts: "saints", stes: "saintes" };
const KIND_ORDER = { reg: 0, dep: 0, epci: 1, com: 2 };
const SHOWN = 8;

function fold(text) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function nameKey(name) {
  return fold(name).replace(ARTICLE, "");
}

// The query's keys: as typed, and with st/ste written out when another word follows (so that
// "st" alone still finds Strasbourg).
function queryKeys(query) {
  const folded = fold(query);
  const words = folded.split(" ");
  const complete = /\s$/.test(query);
  const expanded = words
    .map((w, i) => (i < words.length - 1 || complete ? ABBREVIATIONS[w] || w : w))
    .join(" ");
  const keys = [folded.replace(ARTICLE, "")];
  if (expanded !== folded) keys.push(expanded.replace(ARTICLE, ""));
  return keys.filter((k) => k.length >= 2);
}

function parse(text) {
  const entries = [];
  const depNames = {};
  let kind = null;
  for (const line of text.split("\n")) {
    if (!line) continue;
    if (line[0] === "#") {
      kind = line.slice(1);
      continue;
    }
    const f = line.split("\t");
    const e = { kind, code: f[0], lcode: f[0].toLowerCase(), name: f[1], key: nameKey(f[1]) };
    e.words = e.key.split(" ");
    if (kind === "reg") e.reg = f[0];
    else if (kind === "dep") {
      e.dep = f[0];
      e.reg = f[2];
      depNames[f[0]] = f[1];
    } else if (kind === "epci") e.dep = f[2] || "";
    else {
      e.dep = f[0].startsWith("97") ? f[0].slice(0, 3) : f[0].slice(0, 2);
      e.pop = Number(f[2]) || 0;
      e.sel = f[3] === "1";
    }
    entries.push(e);
  }
  return { entries, depNames };
}

async function fetchText(url) {
  if (typeof DecompressionStream === "function") {
    const res = await fetch(url + ".gz");
    if (!res.ok) throw new Error(String(res.status));
    const stream = res.body.pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
  const res = await fetch(url); // browsers without DecompressionStream: the plain file
  if (!res.ok) throw new Error(String(res.status));
  return res.text();
}

function loadIndex(url) {
  if (!INDEXES.has(url)) {
    const attempt = () => fetchText(url);
    // the file is written by the page's run: a reader typing before it ends tries again once
    const promise = attempt()
      .catch(() => new Promise((ok) => setTimeout(ok, 1500)).then(attempt))
      .then(parse);
    promise.catch(() => INDEXES.delete(url));
    INDEXES.set(url, promise);
  }
  return INDEXES.get(url);
}

// The query, prepared once per keystroke: its words and every suffix of it (for the typo checks).
function prepare(key) {
  const words = key.split(" ");
  return {
    key,
    words,
    digits: /^[0-9][0-9ab]*$/.test(key) && /[0-9]{2}/.test(key), // "30210", "2a004", "200034411"
    long: key.length >= 4,
    multi: words.length > 1,
    tails: tails(key),
    wordTails: words.map(tails),
  };
}

function tails(text) {
  return Array.from({ length: text.length + 2 }, (_, i) => text.slice(i));
}

// Is ``q`` (with its suffixes ``qt``) one edit (a letter wrong, missing, extra, or two swapped)
// away from the start of ``text`` at ``pos``? No allocation: a phone runs it on every name.
function oneEditAt(text, pos, q, qt) {
  const m = q.length;
  let i = 0;
  while (i < m && text.charCodeAt(pos + i) === q.charCodeAt(i)) i++;
  if (i === m) return true; // no edit at all
  const at = pos + i;
  return (
    text.startsWith(qt[i + 1], at + 1) || // a letter wrong
    text.startsWith(qt[i], at + 1) || // a letter missing from the query
    text.startsWith(qt[i + 1], at) || // a letter too many in the query
    (i + 1 < m && q[i] === text[at + 1] && q[i + 1] === text[at] && text.startsWith(qt[i + 2], at + 2)) // swapped
  );
}

// one edit between the query and the start of the name or of one of its words
function oneTypo(key, p) {
  const q = p.key;
  let start = 0;
  while (start >= 0) {
    if ((key[start] === q[0] || key[start + 1] === q[1]) && oneEditAt(key, start, q, p.tails)) return true;
    const next = key.indexOf(" ", start);
    start = next < 0 ? -1 : next + 1;
  }
  return false;
}

// every word of the query starts a word of the name, in order; with ``typos`` 1, one of them (of
// four letters or more) may be one edit away
function wordsInOrder(words, p, typos = 0) {
  const qw = p.words;
  let j = 0;
  for (let i = 0; i < words.length && j < qw.length; i++) {
    const q = qw[j];
    const w = words[i];
    if (w.startsWith(q)) j++;
    else if (typos > 0 && q.length >= 4 && (w[0] === q[0] || w[1] === q[1]) && oneEditAt(w, 0, q, p.wordTails[j])) {
      typos--;
      j++;
    }
  }
  return j === qw.length;
}

function matchClass(e, p) {
  if (p.digits) return e.lcode === p.key ? 0 : e.lcode.startsWith(p.key) ? 1 : -1; // a code INSEE or SIREN
  const k = e.key;
  if (k === p.key) return 0;
  if (k.startsWith(p.key)) return 1;
  if (wordsInOrder(e.words, p)) return 2;
  if (k.includes(p.key)) return 3;
  if (p.long && (oneTypo(k, p) || (p.multi && wordsInOrder(e.words, p, 1)))) return 4;
  return -1;
}

// The first SHOWN entries by (tier, outside the page's territories, class, kind, not selected,
// fewer inhabitants, name); one number per entry, the best kept in a short sorted list.
function search(index, query, scope) {
  const prepared = queryKeys(query).map(prepare);
  if (!prepared.length) return [];
  const best = [];
  for (const e of index.entries) {
    let cls = -1;
    for (const p of prepared) {
      const c = matchClass(e, p);
      if (c >= 0 && (cls < 0 || c < cls)) cls = c;
    }
    if (cls < 0) continue;
    const outside = scope.deps.has(e.dep) || scope.regs.has(e.reg) ? 0 : 1;
    const rank = ((((cls <= 2 ? 0 : 1) * 2 + outside) * 5 + cls) * 3 + KIND_ORDER[e.kind]) * 2 + (e.sel ? 0 : 1);
    const score = rank * 1e6 - Math.min(e.pop || 0, 999999);
    if (best.length === SHOWN && score >= best[SHOWN - 1][0]) continue;
    let i = best.length;
    while (i > 0 && (best[i - 1][0] > score || (best[i - 1][0] === score && best[i - 1][1].name.localeCompare(e.name, "fr") > 0))) i--;
    best.splice(i, 0, [score, e]);
    if (best.length > SHOWN) best.pop();
  }
  return best.map((b) => b[1]);
}

// "commune · Gard (30) · PVD", "EPCI · Gard (30)", "département (30)", "région"
function context(index, e, state) {
  const label = state.labels[e.kind] || "";
  if (e.kind === "reg") return label;
  if (e.kind === "dep") return `${label} (${e.code})`;
  const dep = index.depNames[e.dep];
  const where = dep ? ` · ${dep} (${e.dep})` : "";
  return label + where + (e.sel && state.mark ? ` · ${state.mark}` : "");
}

function setup(root, state) {
  const input = root.querySelector("input");
  const list = root.querySelector("ul");
  const status = root.querySelector(".etat");
  let results = [];
  let active = -1;
  let index = null;
  let pending = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    list.querySelectorAll("li").forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0) input.setAttribute("aria-activedescendant", `atlas-option-${i}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const choose = (e) => {
    input.value = e.name;
    close();
    status.textContent = `Ouverture : ${e.name}`;
    input.blur(); // on a phone the keyboard goes away
    state.send(`${e.kind}:${e.code}`);
  };
  const render = () => {
    list.replaceChildren();
    results.forEach((e, i) => {
      const li = document.createElement("li");
      li.id = `atlas-option-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.code = `${e.kind}:${e.code}`;
      const name = document.createElement("span");
      name.className = "nom";
      name.textContent = e.name;
      const where = document.createElement("span");
      where.className = "contexte";
      where.textContent = context(index, e, state);
      li.append(name, where);
      li.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the focus until the click
      li.addEventListener("click", () => choose(e));
      list.append(li);
    });
    const open = results.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    highlight(open ? 0 : -1);
  };
  const update = () => {
    const query = input.value;
    if (queryKeys(query).length === 0) {
      results = [];
      status.textContent = "";
      render();
      return;
    }
    if (!index) {
      status.textContent = "Chargement de la liste des territoires…";
      pending = pending || loadIndex(state.url).then(
        (loaded) => {
          index = loaded;
          update();
        },
        () => {
          pending = null;
          status.textContent = "La recherche n'a pas pu charger la liste des territoires : rechargez la page.";
        },
      );
      return;
    }
    results = search(index, query, state.scope);
    status.textContent = results.length
      ? `${results.length} résultat${results.length > 1 ? "s" : ""}`
      : `Aucun territoire trouvé pour « ${query.trim()} ».`;
    render();
  };

  input.addEventListener("input", update);
  input.addEventListener("focus", () => {
    loadIndex(state.url).then((loaded) => (index = loaded), () => {});
    if (results.length) render();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" && results.length) {
      ev.preventDefault();
      if (list.hidden) render();
      highlight((active + 1) % results.length);
    } else if (ev.key === "ArrowUp" && results.length) {
      ev.preventDefault();
      highlight((active - 1 + results.length) % results.length);
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (results.length && !list.hidden) choose(results[Math.max(active, 0)]);
    } else if (ev.key === "Escape") {
      close();
    }
  });
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let state = STATES.get(parentElement);
  if (!state) {
    state = {};
    STATES.set(parentElement, state);
  }
  state.url = data.url;
  state.mark = data.mark || "";
  state.labels = data.labels || {};
  state.scope = { deps: new Set(data.deps || []), regs: new Set(data.regs || []) };
  state.send = (value) => setTriggerValue("choix", value);
  const root = parentElement.querySelector(".atlas-recherche");
  const input = root.querySelector("input");
  if (input.placeholder !== data.placeholder) input.placeholder = data.placeholder || "";
  if (!root.dataset.ready) {
    root.dataset.ready = "1";
    setup(root, state);
  }
}
