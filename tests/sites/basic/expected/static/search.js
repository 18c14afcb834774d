// The search page: a small interface over Pagefind's JavaScript API.
//
// The state of a search lives in the address (/cari/?q=sepatu&upt=lapas-serang&urut=harga), so a
// search can be shared and the back button works. Words are matched by Pagefind; filters, counts
// and sorting use the facet file (one row per product, see generator/facets.py), so that browsing
// by filters alone never loads Pagefind's word index. Each file is fetched only when needed.
// Everything taken from the index is written with textContent, never as HTML.
// Loaded only by the search page; without JavaScript the page shows its category and unit lists.

const config = JSON.parse(document.getElementById("search-config").textContent);
const FILTERS = ["unit", "category", "ekatalog", "availability", "price"];
const PLACES = { place: { any: ["unit", "category"] } };
// Not a product: a place, or the page of every word that each part of a large index holds
// (see generator/search_bundle.py).
const NOT_PRODUCTS = { place: { any: ["unit", "category", "words"] } };
const SIGNATURE = "pagefind_dcd"; // starts each of Pagefind's compressed files
const TYPING_DELAY = 250;
const PLACES_SHOWN = 6;

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const results = document.getElementById("search-results");
const status = document.getElementById("search-status");
const list = document.getElementById("search-list");
const none = document.getElementById("search-none");
const places = document.getElementById("search-places");
const more = document.getElementById("search-more");
const clear = document.getElementById("search-clear");
const browse = document.getElementById("search-browse");
const groups = Array.from(form.querySelectorAll("details.facet"));
const boxes = Array.from(form.querySelectorAll("input[type=checkbox][data-filter]"));
const numbers = new Intl.NumberFormat(config.lang === "id" ? "id-ID" : "en-GB");

let engine = null; // promise of Pagefind, once asked for
let table = null; // promise of the facet file, once asked for
const fragments = new Map(); // page id → promise of its fragment
let ticket = 0; // the latest search; answers to older ones are dropped
let found = []; // page ids of the products found, in the order shown
let typing = 0;

// --- the state of a search and its address -------------------------------------------------

function sortFromWord(word) {
  return Object.keys(config.sorts).find((key) => config.sorts[key] === word) || "";
}

function stateFromAddress(search) {
  const params = new URLSearchParams(search);
  const state = { query: (params.get(config.params.query) || "").trim(), filters: {} };
  for (const key of FILTERS) {
    const values = params.getAll(config.params[key]).filter(Boolean);
    if (values.length) state.filters[key] = values;
  }
  state.sort = sortFromWord(params.get(config.params.sort));
  return state;
}

function stateFromForm() {
  const state = { query: input.value.trim(), filters: {}, sort: sortFromWord(sortSelect.value) };
  for (const box of boxes) {
    if (box.checked) (state.filters[box.dataset.filter] ||= []).push(box.value);
  }
  return state;
}

// Parameters in the order of the form, encoded like the generator's search_link.
function addressOf(state) {
  const pairs = [];
  if (state.query) pairs.push([config.params.query, state.query]);
  for (const key of FILTERS) {
    for (const value of state.filters[key] || []) pairs.push([config.params[key], value]);
  }
  if (state.sort) pairs.push([config.params.sort, config.sorts[state.sort]]);
  const text = pairs.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&");
  return location.pathname + (text ? `?${text}` : "");
}

function isEmpty(state) {
  return !state.query && Object.keys(state.filters).length === 0;
}

function showState(state) {
  input.value = state.query;
  for (const box of boxes) box.checked = (state.filters[box.dataset.filter] || []).includes(box.value);
  sortSelect.value = state.sort ? config.sorts[state.sort] : "";
  for (const group of groups) {
    const chosen = group.querySelectorAll("input:checked").length;
    group.querySelector(".facet-chosen").textContent = chosen ? `(${numbers.format(chosen)})` : "";
    if (chosen) group.open = true;
  }
  clear.hidden = Object.keys(state.filters).length === 0;
}

// --- loading -----------------------------------------------------------------------------------

// Text of a file that may be gzipped by us or Pagefind (or already unpacked by the server).
async function fetchText(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return new TextDecoder().decode(bytes);
}

function pagefind() {
  if (!engine) {
    engine = import(`${config.index}pagefind.js`).then(async (loaded) => {
      await loaded.init();
      // A large catalogue's index comes in parts; Pagefind searches them all as one.
      const base = new URL(config.index, location.href);
      await Promise.all(config.parts.map((part) => loaded.mergeIndex(new URL(part, base).href)));
      return loaded;
    });
    engine.catch(() => { engine = null; });
  }
  return engine;
}

function facetTable() {
  if (!table) {
    const url = `${config.index}facets.${config.lang}.json.gz`;
    table = fetchText(url, { cache: "no-cache" }).then((text) => {
      const data = JSON.parse(text);
      data.row = new Map(data.pages.map((id, row) => [id, row]));
      return data;
    });
    table.catch(() => { table = null; });
  }
  return table;
}

function fragment(id) {
  if (!fragments.has(id)) {
    const text = fetchText(`${config.index}fragment/${id}.pf_fragment`);
    fragments.set(id, text.then((raw) => JSON.parse(raw.slice(SIGNATURE.length))));
  }
  return fragments.get(id);
}

// --- searching --------------------------------------------------------------------------------

async function matchingPages(query) {
  const search = await pagefind();
  const [products, matches] = await Promise.all([
    search.search(query, { filters: { not: NOT_PRODUCTS } }),
    search.search(query, { filters: PLACES }),
  ]);
  return { ids: products.results.map((result) => result.id), places: matches.results };
}

// For each filter, the value indices its ticked boxes allow.
function allowed(data, filters) {
  const sets = {};
  for (const [key, values] of Object.entries(filters)) {
    sets[key] = new Set(values.map((value) => data.filters[key].values.indexOf(value)));
  }
  return sets;
}

function passes(data, sets, row, except) {
  return Object.entries(sets).every(([key, set]) => key === except || set.has(data.filters[key].rows[row]));
}

// How many products each box would give: a filter's own choices are left out when counting its
// values, so ticking one more unit adds to the results.
function facetCounts(data, rows, sets) {
  const counts = {};
  for (const key of FILTERS) {
    const column = data.filters[key];
    const tally = new Array(column.values.length).fill(0);
    for (const row of rows) if (passes(data, sets, row, key)) tally[column.rows[row]] += 1;
    counts[key] = Object.fromEntries(column.values.map((value, n) => [value, tally[n]]));
  }
  return counts;
}

function ordered(data, rows, sort) {
  const price = (row) => (data.price[row] === null ? Infinity : data.price[row]);
  const by = {
    name: (a, b) => a - b,
    price: (a, b) => price(a) - price(b) || a - b,
    newest: (a, b) => data.added[b] - data.added[a] || a - b,
  };
  return sort ? rows.slice().sort(by[sort]) : rows;
}

async function find(state) {
  const needTable = !state.query || state.sort || Object.keys(state.filters).length
    || groups.some((group) => group.open);
  const [text, data] = await Promise.all([
    state.query ? matchingPages(state.query) : { ids: null, places: [] },
    needTable ? facetTable() : null,
  ]);
  if (!data) return { ids: text.ids, counts: null, places: text.places };
  const rows = text.ids ? text.ids.map((id) => data.row.get(id)).filter((row) => row !== undefined)
    : data.pages.map((_, row) => row);
  const sets = allowed(data, state.filters);
  const kept = rows.filter((row) => passes(data, sets, row));
  const sort = state.sort || (state.query ? "" : "name");
  return { ids: ordered(data, kept, sort).map((row) => data.pages[row]), counts: facetCounts(data, rows, sets), places: text.places };
}

async function run(state) {
  const mine = ++ticket;
  showState(state);
  const empty = isEmpty(state);
  results.hidden = empty;
  browse.hidden = !empty;
  if (empty) {
    showCounts(null, true);
    return;
  }
  results.setAttribute("aria-busy", "true");
  status.textContent = ""; // so that the same count is announced again for a new search
  try {
    const answer = await find(state);
    if (mine !== ticket) return;
    found = answer.ids;
    list.replaceChildren();
    await Promise.all([showMore(false), showPlaces(answer.places.slice(0, PLACES_SHOWN))]);
    if (mine !== ticket) return;
    showCounts(answer.counts, false);
    none.hidden = found.length > 0;
    status.textContent = found.length ? countText(found.length) : config.text.none;
  } catch (error) {
    if (mine !== ticket) return;
    status.textContent = config.text.failed;
    browse.hidden = false;
    throw error;
  } finally {
    if (mine === ticket) results.removeAttribute("aria-busy");
  }
}

function countText(count) {
  const template = count === 1 ? config.text.foundOne : config.text.foundMany;
  return template.replace("{count}", numbers.format(count));
}

// Counts of the current search, the catalogue's totals when there is none, or none at all while
// the facet file is not loaded.
function showCounts(counts, totals) {
  form.classList.toggle("counts-unknown", !counts && !totals);
  for (const box of boxes) {
    const label = box.labels[0].querySelector(".facet-count");
    const count = counts ? counts[box.dataset.filter][box.value] || 0 : Number(label.dataset.total);
    label.textContent = numbers.format(count);
    box.closest("li").classList.toggle("facet-empty", count === 0 && !box.checked && !!counts);
  }
}

// --- drawing results ---------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function withLang(node, lang) {
  if (lang) node.lang = lang;
  return node;
}

// The same markup as templates/partials/product-card.html.
function card(data) {
  const meta = data.meta;
  const article = element("article", "card");
  if (meta.image) {
    const image = element("img", "card-image");
    image.src = meta.image;
    image.alt = "";
    image.loading = "lazy";
    article.append(image);
  } else {
    const empty = element("div", "card-image card-image-empty");
    empty.setAttribute("aria-hidden", "true");
    article.append(empty);
  }
  const body = element("div", "card-body");
  const title = element("h3", "card-title");
  const link = withLang(element("a", "", meta.title), meta.title_lang);
  link.href = data.url;
  title.append(link);
  body.append(title, withLang(element("p", "card-maker", meta.maker), meta.maker_lang), price(meta));
  if (meta.live) body.append(element("span", "badge badge-live", config.text.live));
  article.append(body);
  return article;
}

function price(meta) {
  const paragraph = element("p", "price");
  if (!meta.price) {
    paragraph.append(element("span", "price-on-request", config.text.priceOnRequest));
    return paragraph;
  }
  const unit = element("span", "price-unit", "/ ");
  unit.append(withLang(element("span", "", meta.unit), config.lang === config.contentLang ? "" : config.contentLang));
  paragraph.append(element("span", "price-amount", meta.price), " ", unit);
  return paragraph;
}

// The next page of results, each card drawn as soon as its fragment (and those before it) came.
async function showMore(moveFocus) {
  const mine = ticket;
  const start = list.children.length;
  const pending = found.slice(start, start + config.pageSize).map(fragment);
  let first = null;
  for (const promise of pending) {
    const page = await promise;
    if (mine !== ticket) return;
    const item = element("li");
    item.append(card(page));
    list.append(item);
    first ||= item;
  }
  more.hidden = list.children.length >= found.length;
  if (moveFocus && first) first.querySelector("a").focus();
}

async function showPlaces(matches) {
  const mine = ticket;
  const pages = await Promise.all(matches.map((match) => fragment(match.id)));
  if (mine !== ticket) return;
  const items = pages.map((page) => {
    const item = element("li");
    const link = withLang(element("a", "", page.meta.title), page.meta.title_lang);
    link.href = page.url;
    item.append(link, " ", element("span", "count", config.text[page.filters.place[0]]));
    return item;
  });
  places.querySelector("ul").replaceChildren(...items);
  places.hidden = items.length === 0;
}

// --- wiring ------------------------------------------------------------------------------------

function commit(replace) {
  const state = stateFromForm();
  const address = addressOf(state);
  if (address !== location.pathname + location.search) {
    if (replace) history.replaceState(null, "", address);
    else history.pushState(null, "", address);
  }
  run(state);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  commit(false);
});

// Typing refines the current entry of the history; the first letters of a search start a new one.
input.addEventListener("input", () => {
  clearTimeout(typing);
  if (input.value.trim()) pagefind().catch(() => {}); // start loading while the buyer types
  const fresh = !stateFromAddress(location.search).query;
  typing = setTimeout(() => commit(!fresh), TYPING_DELAY);
});

form.addEventListener("change", (event) => {
  if (event.target !== input) commit(false);
});

// Counts are fetched when a filter group is first opened during a search.
for (const group of groups) {
  group.addEventListener("toggle", () => {
    const state = stateFromAddress(location.search);
    if (group.open && !table && !isEmpty(state)) run(state);
  });
}

clear.addEventListener("click", () => {
  for (const box of boxes) box.checked = false;
  commit(false);
  input.focus();
});

more.addEventListener("click", () => showMore(true));

window.addEventListener("popstate", () => run(stateFromAddress(location.search)));

form.hidden = false;
run(stateFromAddress(location.search));
