/* marsad analyst page: plain JavaScript over the JSON API, no build step, no network beyond this server. */
"use strict";

const TYPE_COLORS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9",
  "Riots": "#b7950b",
  "Strategic developments": "#27ae60",
};
const OTHER_COLOR = "#7f8c8d";
const PAGE = 50;
const FIELD_CLASS = {
  actor1: "actor", actor2: "actor", assoc_actor_1: "actor", assoc_actor_2: "actor", inter1: "actor", inter2: "actor",
  location: "place", admin1: "place", admin2: "place", country: "place", latitude: "place", longitude: "place",
  geo_precision: "place", event_date: "date", time_precision: "date", fatalities: "fatalities",
  event_type: "type", sub_event_type: "type", disorder_type: "type",
};

let boundaries = null;
const state = { offset: 0, total: 0, view: "map", token: sessionStorage.getItem("marsad_token") || "" };
let map = null, cluster = null;

const $ = (sel) => document.querySelector(sel);
const color = (t) => TYPE_COLORS[t] || OTHER_COLOR;
// article URLs come from feeds: only web links become clickable (no javascript: or data: URLs)
const safeUrl = (u) => (typeof u === "string" && /^https?:\/\//i.test(u) ? u : null);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "style") node.style.cssText = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function notice(msg) {
  const n = $("#notice");
  n.textContent = msg;
  n.hidden = !msg;
}

async function api(path) {
  const headers = state.token ? { Authorization: `Bearer ${state.token}` } : {};
  const r = await fetch(path, { headers });
  if (r.status === 401) {
    $("#token-form").hidden = false;
    throw new Error("a token is needed to read");
  }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.detail || `${r.status} ${r.statusText}`);
  return body;
}

// --- filters --------------------------------------------------------------------------

function filterParams({ dates = true, bbox = true } = {}) {
  const p = new URLSearchParams();
  for (const name of ["date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor", "q",
    "min_fatalities"]) {
    if (!dates && (name === "date_from" || name === "date_to")) continue;
    const v = $(`#f-${name}`).value.trim();
    if (v) p.set(name, v);
  }
  if (bbox && map && $("#f-inview").checked) {
    const b = map.getBounds();
    const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
    p.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180),
      clamp(b.getNorth(), -90, 90)].map((x) => x.toFixed(4)).join(","));
  }
  return p;
}

function fillSelect(sel, items, keep) {
  const first = sel.options[0];
  sel.replaceChildren(first, ...items.filter((k) => k).map((k) => el("option", { value: k }, k)));
  sel.value = keep;
}

async function loadFacets() {
  const s = await api("/api/stats");
  fillSelect($("#f-country"), s.per_country.map((g) => g.key).sort(), $("#f-country").value);
  fillSelect($("#f-event_type"), s.per_type.map((g) => g.key).sort(), $("#f-event_type").value);
  fillSelect($("#f-sub_event_type"), s.per_sub_event_type.map((g) => g.key).sort(), $("#f-sub_event_type").value);
  $("#admin1-list").replaceChildren(...[...new Set(s.per_admin1.map((g) => g.admin1).filter(Boolean))].sort()
    .map((a) => el("option", { value: a })));
  const legend = $("#legend");
  legend.replaceChildren(...Object.keys(TYPE_COLORS).map((t) => el("span", { style: `--c:${color(t)}` }, t)));
  return s;
}

// --- map ------------------------------------------------------------------------------

async function initMap() {
  if (!window.L) {
    notice("The map libraries are not installed on this server (run scripts/build_web_assets.sh); " +
      "the timeline and table still work.");
    $("#map").textContent = "Map unavailable: front-end libraries not installed.";
    return;
  }
  map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 14, attributionControl: true }).setView([10, 20], 3);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: Natural Earth (public domain)");
  // the outlines (750 kB) download alongside the data but are drawn once the first markers are up:
  // turning them into paths keeps the main thread busy for a while on a slow machine
  boundaries = fetch("/static/vendor/countries-50m.json").then((r) => r.json());
  cluster = L.layerGroup().addTo(map);
  let moved = null;
  map.on("moveend", () => {
    clearTimeout(moved);
    moved = setTimeout(() => {
      loadMap().catch((e) => notice(e.message));
      if ($("#f-inview").checked) { state.offset = 0; loadTable(); }
    }, 150);
  });
}

function radius(f) {
  return Math.min(22, 5 + 2.2 * Math.sqrt(Math.max(0, f || 0)));
}

// The server clusters: the page asks for the view (with a margin) at its zoom and gets a few hundred
// cells and single events, whatever the number of matching events.
let mapRequest = 0;
async function loadMap() {
  if (!map) return;
  const p = filterParams({ bbox: false });
  const b = map.getBounds().pad(0.5);
  if (b.getEast() - b.getWest() < 360) {
    const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
    p.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180),
      clamp(b.getNorth(), -90, 90)].map((x) => x.toFixed(4)).join(","));
  }
  p.set("zoom", String(map.getZoom()));
  const ticket = ++mapRequest;
  const data = await api(`/api/events.clusters?${p}`);
  if (ticket !== mapRequest) return;  // a newer view or filter has been asked for
  const layers = [];
  const where = [];
  for (const c of data.clusters) {
    const size = c.count < 10 ? "small" : c.count < 100 ? "medium" : "large";
    const main = Object.keys(c.types)[0] || "";
    const icon = L.divIcon({
      html: `<div style="background:${color(main)}"><span>${c.count}</span></div>`,
      className: `marker-cluster marker-cluster-${size}`, iconSize: L.point(40, 40),
    });
    const m = L.marker([c.latitude, c.longitude], { icon, title: `${c.count} events` });
    const kinds = Object.entries(c.types).map(([t, n]) => `${t || "untyped"} ${n}`).join(", ");
    m.bindTooltip(`${c.count} events${c.fatalities ? ` · ${c.fatalities} killed` : ""}<br>${kinds}`);
    m.on("click", () => map.setView(m.getLatLng(), Math.min(map.getMaxZoom(), data.zoom + 2)));
    layers.push(m);
    where.push(m.getLatLng());
  }
  for (const pr of data.points) {
    const m = L.circleMarker([pr.latitude, pr.longitude], {
      radius: radius(pr.fatalities), color: "#fff", weight: 1, fillColor: color(pr.event_type), fillOpacity: 0.85,
      className: "event-marker",
    });
    m.bindTooltip(`${pr.event_date} · ${pr.sub_event_type || pr.event_type} · ${pr.location || ""}` +
      (pr.fatalities ? ` · ${pr.fatalities} killed` : ""));
    m.on("click", () => openDetail(pr.id));
    layers.push(m);
    where.push(m.getLatLng());
  }
  cluster.clearLayers();
  for (const m of layers) cluster.addLayer(m);
  if (where.length && !$("#f-inview").checked && !state.fitted) {
    state.fitted = true;
    map.fitBounds(L.latLngBounds(where), { maxZoom: 7, padding: [20, 20] });
  }
}

// --- timeline -------------------------------------------------------------------------

function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / 86400000); }
function isoDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

async function loadTimeline() {
  const s = await api(`/api/stats?${filterParams({ dates: false, bbox: false })}`);
  drawTimeline(s.per_day);
}

function drawTimeline(days) {
  const svg = $("#timeline");
  const W = Math.max(320, svg.clientWidth || 600), H = 190, left = 34, right = 8, mid = 104, bottom = 176;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.replaceChildren();
  const ns = "http://www.w3.org/2000/svg";
  const mk = (tag, attrs) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    return n;
  };
  if (!days.length) {
    const t = mk("text", { x: W / 2, y: H / 2, "text-anchor": "middle" });
    t.textContent = "No dated events match.";
    svg.append(t);
    state.timeline = null;
    return;
  }
  const d0 = dayNumber(days[0].date), d1 = dayNumber(days[days.length - 1].date);
  const span = Math.max(1, d1 - d0 + 1);
  const bw = (W - left - right) / span;
  const x = (d) => left + (d - d0) * bw;
  // Bars under 2 px wide become bins of several days: years of data draw as a few hundred bars,
  // not tens of thousands of SVG nodes that would hold up the page.
  const k = bw >= 2 ? 1 : Math.ceil(2 / bw);
  const bins = [];
  for (const d of days) {
    const n = dayNumber(d.date), i = Math.floor((n - d0) / k);
    let bin = bins.length && bins[bins.length - 1].i === i ? bins[bins.length - 1] : null;
    if (!bin) {
      bin = { i, start: d0 + i * k, date: d.date, end: d.date, events: 0, fatalities: 0, by_type: {} };
      bins.push(bin);
    }
    bin.end = d.date;
    bin.events += d.events;
    bin.fatalities += d.fatalities;
    for (const [type, v] of Object.entries(d.by_type)) {
      const acc = bin.by_type[type] || (bin.by_type[type] = { events: 0, fatalities: 0 });
      acc.events += v.events || 0;
      acc.fatalities += v.fatalities || 0;
    }
  }
  const maxE = Math.max(...bins.map((d) => d.events)), maxF = Math.max(1, ...bins.map((d) => d.fatalities));
  const types = [...Object.keys(TYPE_COLORS), ""];
  const band = (top, base, key, max, label) => {
    const t = mk("text", { x: 2, y: top + 9 });
    t.textContent = label;
    svg.append(t);
    const m = mk("text", { x: left - 3, y: top + 18, "text-anchor": "end" });
    m.textContent = String(max);
    svg.append(m);
    const width = Math.max(1, k * bw - (k * bw > 3 ? 1 : 0));
    for (const d of bins) {
      let y = base;
      const entries = Object.entries(d.by_type).sort((a, b) => types.indexOf(a[0]) - types.indexOf(b[0]));
      const when = d.end === d.date ? d.date : `${d.date} to ${d.end}`;
      for (const [type, v] of entries) {
        const h = ((v[key] || 0) / max) * (base - top - 12);
        if (h <= 0) continue;
        y -= h;
        const r = mk("rect", { x: x(d.start), y, width, height: h, fill: color(type) });
        const tip = mk("title", {});
        tip.textContent = `${when} ${type || "other"}: ${v.events} events, ${v.fatalities} fatalities`;
        r.append(tip);
        svg.append(r);
      }
    }
    svg.append(mk("line", { x1: left, x2: W - right, y1: base, y2: base, stroke: "#b0b7c0" }));
  };
  band(0, mid - 6, "events", maxE, "events");
  band(mid - 2, bottom, "fatalities", maxF, "killed");
  const a = mk("text", { x: left, y: H - 2 }); a.textContent = days[0].date; svg.append(a);
  const b = mk("text", { x: W - right, y: H - 2, "text-anchor": "end" }); b.textContent = days[days.length - 1].date;
  svg.append(b);
  const brush = mk("rect", { class: "brush", x: 0, y: 0, width: 0, height: bottom, visibility: "hidden" });
  svg.append(brush);
  state.timeline = { d0, bw, left, W, right, brush, svg };
  showBrush();
}

function showBrush() {
  const tl = state.timeline;
  if (!tl) return;
  const from = $("#f-date_from").value, to = $("#f-date_to").value;
  $("#clear-range").hidden = !(from || to);
  if (!from && !to) { tl.brush.setAttribute("visibility", "hidden"); return; }
  const a = from ? tl.left + (dayNumber(from) - tl.d0) * tl.bw : tl.left;
  const b = to ? tl.left + (dayNumber(to) - tl.d0 + 1) * tl.bw : tl.W - tl.right;
  tl.brush.setAttribute("x", Math.max(tl.left, a));
  tl.brush.setAttribute("width", Math.max(2, Math.min(tl.W - tl.right, b) - Math.max(tl.left, a)));
  tl.brush.setAttribute("visibility", "visible");
}

function setupBrush() {
  const svg = $("#timeline");
  let start = null;
  const dayAt = (ev) => {
    const tl = state.timeline;
    const r = svg.getBoundingClientRect();
    const px = ((ev.clientX - r.left) / r.width) * tl.W;
    return tl.d0 + Math.floor((Math.min(Math.max(px, tl.left), tl.W - tl.right - 0.01) - tl.left) / tl.bw);
  };
  svg.addEventListener("pointerdown", (ev) => {
    if (!state.timeline) return;
    start = dayAt(ev);
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener("pointermove", (ev) => {
    if (start === null) return;
    const d = dayAt(ev);
    $("#f-date_from").value = isoDay(Math.min(start, d));
    $("#f-date_to").value = isoDay(Math.max(start, d));
    showBrush();
  });
  svg.addEventListener("pointerup", (ev) => {
    if (start === null) return;
    const d = dayAt(ev);
    $("#f-date_from").value = isoDay(Math.min(start, d));
    $("#f-date_to").value = isoDay(Math.max(start, d));
    start = null;
    showBrush();
    state.offset = 0;
    refresh({ timeline: false });
  });
  $("#clear-range").addEventListener("click", () => {
    $("#f-date_from").value = "";
    $("#f-date_to").value = "";
    showBrush();
    state.offset = 0;
    refresh({ timeline: false });
  });
}

// --- table ----------------------------------------------------------------------------

async function loadTable() {
  const p = filterParams();
  p.set("limit", PAGE);
  p.set("offset", state.offset);
  const body = await api(`/api/events?${p}`);
  state.total = body.total;
  const rows = body.events.map((e) => el("tr", { "data-id": e.incident_id },
    el("td", {}, el("button", { type: "button", class: "open", onclick: () => openDetail(e.incident_id),
      "aria-label": `Open event of ${e.event_date || "unknown date"} in ${e.location || e.country || "unknown place"}` },
    e.event_date || "undated")),
    el("td", {}, el("span", { class: "swatch", style: `--c:${color(e.event_type)}` }), e.sub_event_type || e.event_type),
    el("td", {}, [e.actor1, e.actor2].filter(Boolean).join(" vs ")),
    el("td", {}, [e.location, e.admin1, e.country].filter(Boolean).join(", ")),
    el("td", { class: "num" }, e.fatalities ?? ""),
    el("td", { class: "num" }, e.n_articles || "")));
  $("#table tbody").replaceChildren(...rows);
  if (!rows.length) $("#table tbody").append(el("tr", {}, el("td", { colspan: 6, class: "muted" }, "No events match.")));
  const last = Math.min(state.offset + PAGE, body.total);
  $("#page-info").textContent = body.total ? `${state.offset + 1}–${last} of ${body.total}` : "0 events";
  $("#prev").disabled = state.offset === 0;
  $("#next").disabled = last >= body.total;
  $("#summary").textContent = `${body.total} matching events`;
  const exp = filterParams();
  $("#dl-csv").href = `/api/events.csv?${exp}`;
  $("#dl-geojson").href = `/api/events.geojson?${exp}`;
}

// --- detail ---------------------------------------------------------------------------

function highlight(text, spans) {
  // split the text at every span boundary so overlapping spans stay visible (a segment lists all its fields)
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(Math.max(0, s.start)); cuts.add(Math.min(text.length, s.end)); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const fields = [...new Set(spans.filter((s) => s.start <= a && s.end >= b).map((s) => s.field))];
    if (!fields.length) { out.push(piece); continue; }
    const cls = FIELD_CLASS[fields[0]] || "other";
    out.push(el("mark", { class: `ev ev-${cls}`, title: fields.join(", "), "data-fields": fields.join(" ") }, piece));
  }
  return out;
}

function spansFor(d, articleId, text) {
  const spans = [];
  const add = (field, s) => {
    if (typeof s.start !== "number" || typeof s.end !== "number" || s.end <= s.start) return;
    if (text.slice(s.start, s.end) !== s.text && s.text) return;  // offsets that do not fit this text
    spans.push({ field, start: s.start, end: s.end });
  };
  for (const [field, ev] of Object.entries(d.evidence || {})) {
    for (const s of ev.spans || []) if (s.article_id === articleId) add(field, s);
  }
  for (const rep of d.reports || []) {
    if (rep.article_id !== articleId) continue;
    for (const [field, ev] of Object.entries(rep.evidence || {})) for (const s of ev.spans || []) add(field, s);
  }
  return spans;
}

function fieldList(d) {
  const rows = [
    ["Date", d.event_date ? `${d.event_date}${d.time_precision > 1 ? ` (precision ${d.time_precision})` : ""}` : "—"],
    ["Type", [d.disorder_type, d.event_type, d.sub_event_type].filter(Boolean).join(" › ")],
    ["Actor 1", [d.actor1, d.assoc_actor_1].filter(Boolean).join("; ")],
    ["Actor 2", [d.actor2, d.assoc_actor_2].filter(Boolean).join("; ")],
    ["Place", [d.location, d.admin2, d.admin1, d.country].filter(Boolean).join(", ") +
      (d.latitude != null ? ` (${d.latitude}, ${d.longitude}; precision ${d.geo_precision ?? "?"})` : "")],
    ["Fatalities", d.fatalities == null ? "—" : String(d.fatalities) +
      (d.fatalities_high != null && d.fatalities_high !== d.fatalities_low ? ` (claims ${d.fatalities_low}–${d.fatalities_high})` : "")],
    ["Notes", d.notes],
    ["Reports", `${d.n_reports || (d.reports || []).length} from ${d.n_articles || (d.articles || []).length} articles`],
  ];
  return el("dl", { class: "fields" }, rows.filter((r) => r[1]).map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

async function openDetail(id) {
  const box = $("#detail");
  state.returnFocus = document.activeElement;
  $("#detail-title").textContent = "Loading…";
  $("#detail-body").replaceChildren();
  box.hidden = false;
  $("#detail-close").focus();
  let d;
  try {
    d = await api(`/api/events/${encodeURIComponent(id)}`);
  } catch (e) {
    $("#detail-title").textContent = "Event unavailable";
    $("#detail-body").append(el("p", {}, e.message));
    return;
  }
  $("#detail-title").textContent = `${d.sub_event_type || d.event_type || "Event"} — ${d.location || d.country || ""}`;
  const body = $("#detail-body");
  body.append(fieldList(d));
  const srcs = (d.sources || []).length ? d.sources : (d.articles || []).map((a) => ({ article_id: a.id,
    outlet: a.source, url: a.url, title: a.title, published: a.published }));
  body.append(el("h3", {}, "Sources"), el("ul", { class: "sources" }, srcs.map((s) => el("li", {},
    safeUrl(s.url) ? el("a", { href: safeUrl(s.url), target: "_blank", rel: "noopener noreferrer" }, s.title || s.url)
      : (s.title || s.article_id),
    ` — ${[s.outlet, s.published].filter(Boolean).join(", ")}`))));
  if ((d.claims || []).length) {
    body.append(el("h3", {}, "Claims"), el("ul", {}, d.claims.map((c) => el("li", {},
      `${c.claimant || "?"}${c.outlet ? ` (in ${c.outlet})` : ""}: ${c.fatalities == null ? "no figure given" : `${c.fatalities} killed`}`))));
  }
  if ((d.revisions || []).length) {
    body.append(el("h3", {}, "History"), el("ul", { class: "revisions" }, d.revisions.map((r) => el("li", {},
      `${r.at} ${r.change}${r.field ? ` ${r.field}: ${r.old ?? "∅"} → ${r.new ?? "∅"}` : ""} (${r.reason})`))));
  }
  body.append(el("h3", {}, "Evidence in the articles"), el("div", { class: "ev-legend" },
    ["actor", "place", "date", "fatalities", "type"].map((c) => el("mark", { class: `ev ev-${c}` }, c))));
  for (const a of d.articles || []) {
    const spans = spansFor(d, a.id, a.text || "");
    body.append(el("article", { class: "article", "data-article": a.id },
      el("h4", {}, safeUrl(a.url) ? el("a", { href: safeUrl(a.url), target: "_blank", rel: "noopener noreferrer" }, a.title || a.url)
        : (a.title || a.id)),
      el("p", { class: "muted" }, [a.source, a.published].filter(Boolean).join(", ")),
      el("div", { class: "article-text" }, highlight(a.text || "", spans))));
  }
}

function closeDetail() {
  $("#detail").hidden = true;
  if (state.returnFocus && state.returnFocus.focus) state.returnFocus.focus();
}

// --- trends ---------------------------------------------------------------------------

async function loadTrends() {
  const t = await api(`/api/trends?${filterParams({ dates: false, bbox: false })}`);
  $("#trend-week").textContent = t.week ? `This week: ${t.week[0]} to ${t.week[1]}; before: ${t.previous[0]} to ` +
    `${t.previous[1]}. Large: more than 25% above the weekly average; moderate: 10–25%.` : "No dated events.";
  const label = { large: "large increase", moderate: "moderate increase", new: "new: none before" };
  $("#trend-table tbody").replaceChildren(...t.admin1.map((a) => el("tr", {},
    el("td", {}, a.country), el("td", {}, a.admin1 || "—"), el("td", { class: "num" }, a.this_week),
    el("td", { class: "num" }, a.weekly_average_before),
    el("td", { class: "num" }, a.change == null ? "" : `${a.change > 0 ? "+" : ""}${Math.round(a.change * 100)}%`),
    el("td", { class: "num" }, a.fatalities_this_week),
    el("td", {}, a.flag ? el("span", { class: `flag flag-${a.flag}` }, label[a.flag]) : ""))));
  $("#new-actors").replaceChildren(...(t.new_actors.length ? t.new_actors.map((a) =>
    el("li", {}, `${a.actor} (first seen ${a.first_date}, ${a.events} events)`)) : [el("li", { class: "muted" }, "None.")]));
}

// --- wiring ---------------------------------------------------------------------------

async function refresh({ timeline = true } = {}) {
  notice("");
  try {
    if (state.view === "trends") { await loadTrends(); return; }
    const jobs = [loadTable(), loadMap()];
    if (timeline) jobs.push(loadTimeline());
    await Promise.all(jobs);
    showBrush();
  } catch (e) {
    notice(e.message);
  }
}

function setView(view) {
  state.view = view;
  for (const b of document.querySelectorAll(".view-btn")) b.setAttribute("aria-pressed", String(b.dataset.view === view));
  $("#view-map").hidden = view !== "map";
  $("#view-trends").hidden = view !== "trends";
  if (view === "map" && map) setTimeout(() => map.invalidateSize(), 0);
  refresh();
}

async function main() {
  $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); state.offset = 0; refresh(); });
  $("#reset").addEventListener("click", () => { $("#filters").reset(); state.offset = 0; refresh(); });
  $("#f-inview").addEventListener("change", () => { state.offset = 0; loadTable().catch((e) => notice(e.message)); });
  $("#prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadTable(); });
  $("#next").addEventListener("click", () => { state.offset += PAGE; loadTable(); });
  $("#detail-close").addEventListener("click", closeDetail);
  $("#detail").addEventListener("click", (ev) => { if (ev.target === $("#detail")) closeDetail(); });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("#detail").hidden) closeDetail(); });
  for (const b of document.querySelectorAll(".view-btn")) b.addEventListener("click", () => setView(b.dataset.view));
  $("#token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.token = $("#token").value;
    sessionStorage.setItem("marsad_token", state.token);
    $("#token-form").hidden = true;
    start();
  });
  let resize = null;
  window.addEventListener("resize", () => { clearTimeout(resize); resize = setTimeout(() => loadTimeline().catch(() => {}), 200); });
  // phones: filters folded so the map comes first (the summary button unfolds them)
  if (window.matchMedia("(max-width: 820px)").matches) $("#filter-box").open = false;
  setupBrush();
  await initMap();
  await start();
}

async function start() {
  // the facets' statistics (no filter yet) are also the first timeline: one request, asked for
  // alongside the table and the map rather than before them
  let stats;
  try {
    [stats] = await Promise.all([loadFacets(), refresh({ timeline: false })]);
  } catch (e) {
    notice(e.message);
    return;
  }
  drawTimeline(stats.per_day);
  document.body.dataset.ready = "1";
  await drawBoundaries();
}

async function drawBoundaries() {
  if (!map || !boundaries) return;
  const pending = boundaries;
  boundaries = null;  // once
  // let the browser paint the markers first: the outlines take the main thread for a moment
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  try {
    const topo = await pending;
    const land = topojson.feature(topo, topo.objects.countries);
    // canvas: thousands of outline vertices draw faster than as SVG paths, and stay out of the DOM
    if (!map.getPane("land")) map.createPane("land").style.zIndex = 350;  // under the markers' pane (400)
    L.geoJSON(land, {
      interactive: false,
      pane: "land",
      renderer: L.canvas({ padding: 0.5, pane: "land" }),
      style: { color: "#b9b4a8", weight: 0.8, fillColor: "#f3f1ea", fillOpacity: 1 },
    }).addTo(map);
  } catch (e) {
    notice("Country boundaries could not be loaded: " + e.message);
  }
}

main();
