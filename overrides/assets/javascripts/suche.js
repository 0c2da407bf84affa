// The search page (search.html): runs the query from the address (?q=…) with Pagefind's script,
// which fetches only the parts of the index that the query's words need. Each result names the page,
// the date or the project's place, and links to the item where the words were found.
const results = document.getElementById("rb-search-results");
const status = document.getElementById("rb-search-status");
const field = document.getElementById("rb-search-query");
const SHOWN = 20; // results per search; each costs a request for its excerpt

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// Pagefind's excerpts are escaped text with <mark> around the words found: only those marks are
// taken over as elements, everything else as text.
function excerpt(html) {
  const paragraph = element("p", "rb-result__excerpt");
  const decoder = document.createElement("textarea"); // its content is text: entities, no elements
  html.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
    const found = part.match(/^<mark>(.*)<\/mark>$/);
    decoder.innerHTML = found ? found[1] : part;
    paragraph.append(found ? element("mark", null, decoder.value) : decoder.value);
  });
  return paragraph;
}

// Where a page's words were found: its parts (items) with the most hits first.
function places(data) {
  const parts = (data.sub_results || []).filter(function (part) { return part.url !== data.url; });
  parts.sort(function (a, b) { return b.locations.length - a.locations.length; });
  return parts;
}

function result(data) {
  const item = element("li", "rb-result");
  const parts = places(data);
  const best = parts[0];
  const heading = element("h2", "rb-result__title");
  const link = element("a", null, data.meta.title);
  link.href = best ? best.url : data.url;
  heading.append(link);
  item.append(heading);
  const where = data.meta.date || data.meta.place;
  if (where) item.append(element("p", "rb-result__meta", where));
  if (best && best.title !== data.meta.title) {
    const part = element("p", "rb-result__part");
    part.append("In: ", Object.assign(element("a", null, best.title), { href: best.url }));
    item.append(part);
  }
  item.append(excerpt(best ? best.excerpt : data.excerpt));
  return item;
}

async function search(query) {
  const bundle = new URL(results.dataset.bundle, location.href);
  const pagefind = await import(bundle.href + "pagefind.js");
  // Pages were indexed with addresses from the site's root: the site may live in a folder.
  await pagefind.options({ baseUrl: new URL(results.dataset.site, location.href).pathname });
  status.textContent = "Suche läuft …";
  const found = await pagefind.search(query);
  const shown = await Promise.all(found.results.slice(0, SHOWN).map(function (hit) { return hit.data(); }));
  results.replaceChildren.apply(results, shown.map(result));
  const count = found.results.length;
  status.textContent = count === 0 ? "Keine Treffer für „" + query + "“."
    : (count === 1 ? "1 Treffer" : count + " Treffer") + " für „" + query + "“"
      + (count > SHOWN ? ", die ersten " + SHOWN + " hier." : ".");
}

const query = (new URLSearchParams(location.search).get("q") || "").trim();
field.value = query;
document.getElementById("rb-search-header").value = query;
if (query) {
  search(query).catch(function (error) {
    status.textContent = "Die Suche ist gerade nicht verfügbar.";
    throw error;
  });
} else {
  field.focus();
}
