// The routes of both APIs, read from src/api/routes.cc when the run starts (so a new route is
// covered, or the run fails for want of cases), and what each handler reads, read from its
// source: a body (JSON, form or multipart), the query, and the typed fields it takes. The
// generator aims its body and query cases only at routes that read them: a handler that never
// looks at its body would rightly accept any body, and a hostile case must be one orgd has to
// refuse.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Every .cc under `dir`, tests left out.
function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.cc') && !name.endsWith('_test.cc')) out.push(path);
  }
  return out;
}

// The text of the function table `name` in routes.cc: from its signature to the closing `};` of
// its return statement.
function tableText(routesCc, name) {
  const start = routesCc.indexOf(` ${name}(`);
  if (start < 0) throw new Error(`routes.cc has no ${name}(): the route parser needs updating`);
  const ret = routesCc.indexOf('return {', start);
  const end = routesCc.indexOf('\n  };', ret);
  return routesCc.slice(ret, end);
}

// Functions defined in src/api: "Class::Name" and bare "Name" → body text. A definition starts at
// column 0 (clang-format puts it there) and ends at the next `}` in column 0.
function functionIndex(srcDir) {
  const index = new Map();
  for (const file of sources(join(srcDir, 'api'))) {
    const text = readFileSync(file, 'utf8');
    const re = /^[A-Za-z][^\n;{}]*?\b((?:[A-Za-z_]\w*::)?[A-Za-z_]\w*)\(/gm;
    for (let m; (m = re.exec(text));) {
      const open = text.indexOf('{', m.index);
      const semi = text.indexOf(';', m.index);
      if (open < 0 || (semi >= 0 && semi < open && !text.slice(m.index, open).includes(')'))) continue;
      // A declaration (ends with `;` before any `{`) is not a definition.
      const head = text.slice(m.index, open);
      if (/\)\s*(const\s*)?;/.test(head)) continue;
      const close = text.indexOf('\n}', open);
      if (close < 0) continue;
      const body = text.slice(open, close + 2);
      const name = m[1];
      if (!index.has(name)) index.set(name, []);
      index.get(name).push({ file, body });
    }
  }
  return index;
}

// The body of `Class::Method` with the bodies of the functions it calls, `depth` levels down:
// calls not made on an object (`x.F(` and `x->F(` are another layer's), resolved to a method of
// the same class, else to a free function of src/api.
function reachableText(index, cls, method, depth = 3) {
  const seen = new Set();
  const parts = [];
  const visit = (name, level) => {
    if (seen.has(name)) return;
    seen.add(name);
    const defs = index.get(name);
    if (!defs) return;
    for (const { body } of defs) {
      parts.push(body);
      if (level >= depth) continue;
      for (const m of body.matchAll(/(?<![.>\w:])([A-Z]\w*)\(/g)) {
        const callee = m[1];
        if (index.has(`${cls}::${callee}`)) visit(`${cls}::${callee}`, level + 1);
        else if (index.has(callee)) visit(callee, level + 1);
      }
    }
  };
  visit(`${cls}::${method}`, 0);
  return parts.join('\n');
}

const FIELD_READERS = [
  // BodyReader (JSON, Backend API): the getter names the type.
  [/\bin\.(String|Int|Bool|Value|StringArray)\("([a-z_]+)"/g, m => ({ name: m[2], type: m[1] })],
  // The Frontend API's form readers.
  [/\b(StrictFormText|FormText|FormString|FormValues)\(\*?\w+, "([a-z_]+)"/g, m => ({ name: m[2], type: m[1] })],
];
// How a query key is read decides what value must be refused: [regex, kind].
const QUERY_READERS = [
  [/\bParse(List|SignedList)\(\*?params, "([a-z_]+)"/g, 'list'],       // > 100 values
  [/\bParseMillis\(\*?params, "([a-z_]+)"/g, 'millis'],                 // an integer
  [/\bParse(?:Optional)?Flag\(\*?params, "([a-z_]+)"/g, 'flag'],       // true/false/1/0
  [/\bparams(?:->|\.)Get(?:All)?\("([a-z_]+)"/g, 'get'],               // the handler's own rule
];

// What one handler reads: { body: 'json'|'json-array'|'form'|'multipart'|null, query: bool,
// fields: [{name, type}], queryKeys: [names], queryKinds: {name: kind} }.
function capabilities(text) {
  const fields = new Map();
  for (const [re, make] of FIELD_READERS) {
    for (const m of text.matchAll(re)) {
      const f = make(m);
      if (!fields.has(f.name)) fields.set(f.name, f);
    }
  }
  const queryKinds = {};
  for (const [re, kind] of QUERY_READERS) {
    for (const m of text.matchAll(re)) queryKinds[m[m.length - 1]] ??= kind;
  }
  if (/\bParsePagination\(/.test(text)) Object.assign(queryKinds, { limit: 'limit', offset: 'offset' });
  if (/\bParseOrderBy\(/.test(text)) queryKinds.order_by = 'order_by';
  const queryKeys = Object.keys(queryKinds);
  let body = null;
  // The Frontend API's reader takes JSON too (it calls the JSON one): test it first.
  if (/\bParseFrontendBody\(/.test(text)) body = 'form';
  else if (/\bParseJsonArrayOfObjectsBody\(/.test(text)) body = 'json-array';
  else if (/\bParseJsonObjectBody\(/.test(text)) body = 'json';
  if (/\bReadImageUpload\(/.test(text)) body = 'multipart';
  // The handler's own query parse (the API version's parse only happens for __clerk_api_version).
  const query = /QueryParams::Parse\(request\.query\)/.test(text) || queryKeys.size > 0;
  return { body, query, fields: [...fields.values()], queryKeys, queryKinds };
}

// The route table entries of one API: {method, path, auth, cls, fn, bodyLimit}.
function parseTable(text, api) {
  const out = [];
  // `{Method::kPost, "/v1/…", kKey, Bind(orgs, &OrganizationsHandler::Create), logo_upload, …}`;
  // clang-format may break the entry anywhere between its parts.
  const re = /\{Method::k(\w+),\s*"([^"]+)",\s*([\w:]+),\s*Bind\([\w.]+,\s*&(\w+)::(\w+)\)(,\s*(\w+))?/g;
  for (const m of text.matchAll(re)) {
    const [, method, path, auth, cls, fn, , options] = m;
    out.push({
      api,
      method: method.toUpperCase(),
      path,
      auth: auth.includes('Public') || auth === 'kAny' || auth.includes('Optional') ? 'optional' : 'required',
      cls,
      fn,
      bodyLimit: options === 'logo_upload' || options === 'image_upload' ? 'image' : 'default',
    });
  }
  // Every `{Method::` in the table must have been understood.
  const entries = (text.match(/\{Method::k/g) ?? []).length;
  if (entries !== out.length) {
    throw new Error(`routes.cc (${api}): ${entries} entries, ${out.length} parsed: the route parser needs updating`);
  }
  return out;
}

// Every route of both APIs with what its handler reads. `srcDir` is the repository's src/.
export function loadRoutes(srcDir) {
  const routesCc = readFileSync(join(srcDir, 'api', 'routes.cc'), 'utf8');
  const index = functionIndex(srcDir);
  const routes = [
    ...parseTable(tableText(routesCc, 'BackendApiRoutes'), 'bapi'),
    ...parseTable(tableText(routesCc, 'FrontendApiRoutes'), 'fapi'),
  ];
  // `using C = FrontendClientHandler;` in a table names the class by an alias.
  const aliases = new Map([...routesCc.matchAll(/using (\w+) = (\w+);/g)].map(m => [m[1], m[2]]));
  for (const r of routes) {
    r.cls = aliases.get(r.cls) ?? r.cls;
    const text = reachableText(index, r.cls, r.fn);
    if (!text) throw new Error(`no definition of ${r.cls}::${r.fn} under src/api for ${r.method} ${r.path}`);
    Object.assign(r, capabilities(text));
    r.key = `${r.api.toUpperCase()} ${r.method} ${r.path}`;
    r.params = [...r.path.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
  }
  return routes;
}
