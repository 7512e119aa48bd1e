// Validates orgd's responses against Clerk's Backend API OpenAPI contract (contract/, vendored
// from ../shared/reference/clerk-openapi; test/contract.test.js checks the copy has not drifted).
//
// installContractCheck() wraps globalThis.fetch, so every response the SDK or a raw test reads
// from orgd's /v1 routes is checked: the exact Content-Type, the status being one the contract
// documents for that operation (errors always in the ClerkErrors envelope), and the body against
// the operation's response schema. Violations are collected; each test file asserts that none
// happened (see lib/suite.js).
//
// orgd's own routes, which Clerk's contract lacks (webhook endpoints, the event feed), are checked
// the same way against contract/orgd-extensions.yml, written for this suite. Any other 2xx on a
// /v1 path neither document has is a violation.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const contractPath = join(here, '..', 'contract', 'bapi-organizations.yml');
export const extensionsPath = join(here, '..', 'contract', 'orgd-extensions.yml');

const spec = YAML.parse(readFileSync(contractPath, 'utf8'));
const extensions = YAML.parse(readFileSync(extensionsPath, 'utf8'));

// OpenAPI 3.0's `nullable: true` next to no `type` (e.g. beside an allOf) means "this, or null";
// JSON Schema has no such keyword there, so it is rewritten as an anyOf. With a `type`, ajv's own
// `nullable` support applies.
function rewriteNullable(node) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => { node[i] = rewriteNullable(item); });
    return node;
  }
  if (!node || typeof node !== 'object') return node;
  for (const key of Object.keys(node)) node[key] = rewriteNullable(node[key]);
  if (node.nullable === true && node.type === undefined) {
    const { nullable, ...rest } = node;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return node;
}
rewriteNullable(spec.components);
rewriteNullable(extensions.components);
rewriteNullable(extensions.paths);
// OpenAPI's discriminator with a mapping is not something ajv supports; without it, each oneOf
// still has to match exactly one branch (the branches differ in their `object` enum).
const ajv = new Ajv({ strict: false, allErrors: true, discriminator: false });
addFormats(ajv);
ajv.addSchema(spec, 'bapi');
ajv.addSchema(extensions, 'orgd');
// The documents by the id their schemas are registered under.
const documents = { bapi: spec, orgd: extensions };

// Operations as [method, RegExp, operation] with the /v1 prefix of the contract's server URL.
const basePath = new URL(spec.servers[0].url).pathname.replace(/\/$/, '');
const operations = [];
for (const [doc, document] of Object.entries(documents)) {
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(
      '^' + basePath + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+') + '$',
    );
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      if (item[method]) operations.push({ method: method.toUpperCase(), pattern, template, op: item[method], doc });
    }
  }
}

function resolve(node, doc = 'bapi') {
  while (node && node.$ref) {
    node = node.$ref.slice(2).split('/').reduce((n, key) => n[key], documents[doc]);
  }
  return node;
}

// An inline schema's refs point into the contract document ("#/components/…"); compiled on its
// own it needs them spelled against the document's id.
function againstContract(node, doc = 'bapi') {
  if (Array.isArray(node)) return node.map(item => againstContract(item, doc));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? doc + value
      : againstContract(value, doc);
  }
  return out;
}

const compiled = new Map();
// An operation that takes the contract's `paginated` parameter (GET /sessions) documents only the
// array it answers without it; with paginated=true the results are the same items as
// {data, total_count} (the parameter's own description, BEHAVIOR §1.5; the SDK always sends it).
const paginatedCompiled = new Map();
function takesPaginated(op) {
  return (op.parameters ?? []).some(p => p.$ref === '#/components/parameters/Paginated' || p.name === 'paginated');
}
function paginatedSchemaFor(response) {
  const json = resolve(response)?.content?.['application/json']?.schema;
  const array = resolve(json);
  if (!array || array.type !== 'array') return null;
  if (!paginatedCompiled.has(json)) {
    paginatedCompiled.set(json, ajv.compile(againstContract({
      type: 'object',
      additionalProperties: false,
      properties: { data: json, total_count: { type: 'integer', minimum: 0 } },
      required: ['data', 'total_count'],
    })));
  }
  return paginatedCompiled.get(json);
}
function schemaFor(response, doc = 'bapi') {
  const json = resolve(response, doc)?.content?.['application/json']?.schema;
  if (!json) return null;
  if (json.$ref) return ajv.getSchema(doc + json.$ref);
  if (!compiled.has(json)) compiled.set(json, ajv.compile(againstContract(json, doc)));
  return compiled.get(json);
}
const clerkErrors = ajv.getSchema('bapi#/components/schemas/ClerkErrors');

export function findOperation(method, pathname) {
  // Literal segments win over templated ones, as in any router.
  const matches = operations.filter(o => o.method === method && o.pattern.test(pathname));
  matches.sort((a, b) => (b.template.match(/\{/g) ?? []).length < (a.template.match(/\{/g) ?? []).length ? 1 : -1);
  return matches[0] ?? null;
}

// Returns the list of contract violations for one response ([] when it conforms).
export function checkResponse({ method, pathname, search = '', status, contentType, body }) {
  const problems = [];
  const where = `${method} ${pathname} → ${status}`;
  if (contentType !== 'application/json') {
    problems.push(`${where}: Content-Type is ${JSON.stringify(contentType)}, the SDK needs exactly "application/json"`);
    return problems;
  }
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    problems.push(`${where}: body is not JSON: ${e.message}`);
    return problems;
  }
  const found = findOperation(method, pathname);
  let validate;
  if (status >= 400) {
    validate = clerkErrors;
    if (!Array.isArray(parsed.errors) || parsed.errors.length === 0) {
      problems.push(`${where}: error response without errors[]`);
    }
  } else if (!found) {
    problems.push(`${where}: a success on a path the contract does not have`);
    return problems;
  } else {
    const response = found.op.responses?.[String(status)];
    if (!response) {
      problems.push(`${where}: status ${status} is not documented for ${found.op.operationId}`);
      return problems;
    }
    try {
      const paginated = new URLSearchParams(search).get('paginated') === 'true' && takesPaginated(found.op);
      validate = (paginated && paginatedSchemaFor(response)) || schemaFor(response, found.doc);
    } catch (e) {
      problems.push(`${where}: the contract schema does not compile: ${e.message}`);
      return problems;
    }
  }
  if (validate && !validate(parsed)) {
    problems.push(`${where}: body does not match the contract: ${ajv.errorsText(validate.errors)}\n${body.slice(0, 500)}`);
  }
  return problems;
}

export const violations = [];
export const stats = { checked: 0 };
// Called with { method, url, status, body } for every /v1 response the check reads (a test file
// that scans bodies, e.g. for key material, adds one; the SDK's fetch is bound before any test runs).
export const responseListeners = new Set();

let installed = false;
export function installContractCheck() {
  if (installed) return;
  installed = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async function checkedFetch(input, init) {
    const response = await realFetch(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.pathname.startsWith(basePath + '/')) {
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const contentType = response.headers.get('content-type');
      const body = method === 'HEAD' ? '' : await response.clone().text();
      for (const listener of responseListeners) listener({ method, url: url.href, status: response.status, body });
      // A HEAD response has headers only; its body is the GET's, checked when GET is called.
      const problems = method === 'HEAD'
        ? (contentType === 'application/json' ? [] : [`HEAD ${url.pathname}: Content-Type is ${contentType}`])
        : checkResponse({
          method,
          pathname: url.pathname,
          search: url.search,
          status: response.status,
          contentType,
          body,
        });
      stats.checked++;
      violations.push(...problems);
    }
    return response;
  };
}
