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
//
// Responses from a Frontend API origin (registered with registerFrontendOrigin) are checked against
// contract/fapi-organizations.yml instead (checkFrontendResponse): the operation is found by the
// method clerk-js means (`POST ?_method=PATCH` is PATCH), the path template and the status; an
// enveloped answer has exactly `response` and `client`, each checked against its part of the
// operation's schema, with one rule from clerk-js over the spec: a GET answers `client: null`
// (CLERK-JS.md §3; a client there would replace all of clerk-js's state). No Frontend API answer
// may carry `private_metadata` anywhere (BEHAVIOR.md §4.4).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const contractPath = join(here, '..', 'contract', 'bapi-organizations.yml');
export const extensionsPath = join(here, '..', 'contract', 'orgd-extensions.yml');
export const frontendContractPath = join(here, '..', 'contract', 'fapi-organizations.yml');

const spec = YAML.parse(readFileSync(contractPath, 'utf8'));
const extensions = YAML.parse(readFileSync(extensionsPath, 'utf8'));
const fapi = YAML.parse(readFileSync(frontendContractPath, 'utf8'));

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
// `type: object, nullable: true` beside an allOf (OrganizationDomain's verifications and
// public_organization_data) is "this, or null" too; rewriteNullableComposite, below, makes it so.
rewriteNullableComposite(spec.components);
rewriteNullable(spec.components);
rewriteNullable(extensions.components);
rewriteNullable(extensions.paths);
// The Frontend API document also writes "this, or null" as `type: object, nullable: true` beside
// an allOf whose schema is not nullable (client.sign_in, envelope parts); for ajv the allOf would
// still refuse the null, so there it is rewritten as an anyOf too.
function rewriteNullableComposite(node) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => { node[i] = rewriteNullableComposite(item); });
    return node;
  }
  if (!node || typeof node !== 'object') return node;
  for (const key of Object.keys(node)) node[key] = rewriteNullableComposite(node[key]);
  if (node.nullable === true && (node.allOf || node.oneOf || node.anyOf)) {
    const { nullable, ...rest } = node;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return node;
}
rewriteNullableComposite(fapi.components);
rewriteNullableComposite(fapi.paths);
rewriteNullable(fapi.components);
rewriteNullable(fapi.paths);
// OpenAPI's discriminator with a mapping is not something ajv supports; without it, each oneOf
// still has to match exactly one branch (the branches differ in their `object` enum).
const ajv = new Ajv({ strict: false, allErrors: true, discriminator: false });
addFormats(ajv);
ajv.addSchema(spec, 'bapi');
ajv.addSchema(extensions, 'orgd');
ajv.addSchema(fapi, 'fapi');
// The documents by the id their schemas are registered under.
const documents = { bapi: spec, orgd: extensions, fapi };

// Operations as [method, RegExp, operation] with the /v1 prefix of the contract's server URL.
const basePath = new URL(spec.servers[0].url).pathname.replace(/\/$/, '');
const operations = [];
for (const doc of ['bapi', 'orgd']) {
  for (const [template, item] of Object.entries(documents[doc].paths)) {
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

// ---- Frontend API (contract/fapi-organizations.yml) ----

// Its paths carry the /v1 prefix themselves (the servers entry is a bare host).
const frontendOperations = [];
for (const [template, item] of Object.entries(fapi.paths)) {
  const pattern = new RegExp(
    '^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+') + '$',
  );
  for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
    if (item[method]) frontendOperations.push({ method: method.toUpperCase(), pattern, template, op: item[method] });
  }
}

export function findFrontendOperation(method, pathname) {
  const matches = frontendOperations.filter(o => o.method === method && o.pattern.test(pathname));
  matches.sort((a, b) => (a.template.match(/\{/g) ?? []).length - (b.template.match(/\{/g) ?? []).length);
  return matches[0] ?? null;
}

// The method clerk-js means: PATCH, PUT and DELETE travel as POST with ?_method= (CLERK-JS.md §2).
export function frontendMethod(wireMethod, search = '') {
  const override = new URLSearchParams(search).get('_method');
  return wireMethod === 'POST' && override ? override.toUpperCase() : wireMethod;
}

// The environment is checked without the spec's required lists and with extra keys allowed:
// clerk-js reads it with defaults for everything absent (CLERK-JS.md §2: the minimal
// `{organization_settings:{enabled:true}}` works), and the environment CLERK-JS.md §2 recommends
// (`object`, `id`, `organization_settings.object`, `force_organization_selection`) is not the spec's
// Client.Environment, which requires some sixty fields of features orgd does not have. What is
// there must still have the spec's types.
function tolerant(node) {
  if (Array.isArray(node)) return node.map(tolerant);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required' && Array.isArray(value)) continue;
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tolerant(v)])) : tolerant(value);
  }
  return out;
}
const environmentSchemaNames = ['Client.Environment', 'Client.AuthConfig', 'Client.DisplayConfig', 'Client.UserSettings',
  'Client.OrganizationSettings', 'OrganizationSettings.ActionsSettings', 'OrganizationSettings.DomainsSettings',
  'OrganizationSettings.SlugSettings'];
const tolerantEnvironment = (() => {
  const inline = node => {
    if (Array.isArray(node)) return node.map(inline);
    if (!node || typeof node !== 'object') return node;
    const name = node.$ref?.replace('#/components/schemas/', '');
    if (name && environmentSchemaNames.includes(name)) return inline(tolerant(fapi.components.schemas[name]));
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v)]));
  };
  return ajv.compile(againstContract(inline(tolerant(fapi.components.schemas['Client.Environment'])), 'fapi'));
})();

const frontendCompiled = new Map();
function compileFrontend(node) {
  if (node.$ref && Object.keys(node).length === 1) return ajv.getSchema('fapi' + node.$ref);
  if (!frontendCompiled.has(node)) frontendCompiled.set(node, ajv.compile(againstContract(node, 'fapi')));
  return frontendCompiled.get(node);
}
const frontendErrors = ajv.getSchema('fapi#/components/schemas/ClerkErrors');

// Every path in `value` under which a `private_metadata` key sits.
export function privateMetadataPaths(value, path = '$') {
  if (Array.isArray(value)) return value.flatMap((item, i) => privateMetadataPaths(item, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'private_metadata' ? [`${path}.${key}`] : privateMetadataPaths(item, `${path}.${key}`));
}

// Returns the contract violations of one Frontend API response ([] when it conforms). `method` is
// the one clerk-js means (frontendMethod).
export function checkFrontendResponse({ method, pathname, status, contentType, body }) {
  const problems = [];
  const where = `FAPI ${method} ${pathname} → ${status}`;
  // A 204 has no body (clerk-js: "A 204 response must have no body"); redirects (the handshake) none to check.
  if (status === 204) {
    if (body !== '') problems.push(`${where}: a 204 with a body`);
    return problems;
  }
  if (status >= 300 && status < 400) return problems;
  if (contentType !== 'application/json') {
    problems.push(`${where}: Content-Type is ${JSON.stringify(contentType)}, expected exactly "application/json"`);
    return problems;
  }
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    problems.push(`${where}: body is not JSON: ${e.message}`);
    return problems;
  }
  for (const at of privateMetadataPaths(parsed)) problems.push(`${where}: private_metadata in a Frontend API answer at ${at}`);
  if (status >= 400) {
    if (!Array.isArray(parsed.errors) || parsed.errors.length === 0) problems.push(`${where}: error response without errors[]`);
    else if (!frontendErrors(parsed)) problems.push(`${where}: error body does not match ClerkErrors: ${ajv.errorsText(frontendErrors.errors)}`);
    return problems;
  }
  const found = findFrontendOperation(method, pathname);
  if (!found) {
    problems.push(`${where}: a success on a path fapi-organizations.yml does not have`);
    return problems;
  }
  const response = resolve(found.op.responses?.[String(status)], 'fapi');
  if (!response) {
    problems.push(`${where}: status ${status} is not documented for ${found.op.operationId}`);
    return problems;
  }
  const declared = response.content?.['application/json']?.schema;
  if (!declared) return problems;
  const schema = resolve(declared, 'fapi');
  const short = text => text.slice(0, 600);
  const validateAgainst = (node, value, part) => {
    let validate;
    try {
      validate = compileFrontend(node);
    } catch (e) {
      problems.push(`${where}: the contract schema of ${part} does not compile: ${e.message}`);
      return;
    }
    if (!validate(value)) {
      problems.push(`${where}: ${part} does not match ${found.op.operationId}: ${ajv.errorsText(validate.errors)}\n${short(JSON.stringify(value))}`);
    }
  };
  if (found.template === '/v1/environment') {
    if (!tolerantEnvironment(parsed)) {
      problems.push(`${where}: the environment does not match Client.Environment's types: ${ajv.errorsText(tolerantEnvironment.errors)}`);
    }
    return problems;
  }
  // DELETE …/logo: the spec says a DeletedObject, but clerk-js's setLogo({file: null}) builds an
  // Organization from the answer (CLERK-JS.md §5, BEHAVIOR.md §7.10): either is accepted.
  if (found.template === '/v1/organizations/{organization_id}/logo' && method === 'DELETE' &&
      parsed?.response?.object === 'organization' && !('deleted' in parsed.response)) {
    return checkFrontendResponse({ method: 'PUT', pathname, status, contentType, body });
  }
  const envelope = schema.properties?.response && schema.properties?.client;
  if (!envelope) {
    validateAgainst(declared, parsed, 'the body');
    return problems;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push(`${where}: not a {response, client} envelope: ${short(body)}`);
    return problems;
  }
  const keys = Object.keys(parsed).sort();
  if (keys.join() !== 'client,response') problems.push(`${where}: envelope keys are ${JSON.stringify(keys)}, expected response and client`);
  if ('response' in parsed) validateAgainst(schema.properties.response, parsed.response, 'response');
  if (method === 'GET') {
    if (parsed.client !== null) problems.push(`${where}: a GET answers client: null (clerk-js replaces its state with any client here)`);
  } else if ('client' in parsed) {
    validateAgainst(schema.properties.client, parsed.client, 'client');
  }
  return problems;
}

// Origins (scheme://host:port) whose /v1 answers are Frontend API answers.
const frontendOrigins = new Set();
export function registerFrontendOrigin(url) {
  frontendOrigins.add(new URL(url).origin);
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
    const wireMethod = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (frontendOrigins.has(url.origin)) {
      // A preflight has no body to check; everything else on the Frontend API is.
      if (wireMethod !== 'OPTIONS' && url.pathname.startsWith('/v1/')) {
        const body = await response.clone().text();
        const method = frontendMethod(wireMethod, url.search);
        for (const listener of responseListeners) listener({ method, url: url.href, status: response.status, body });
        stats.checked++;
        violations.push(...checkFrontendResponse({
          method, pathname: url.pathname, status: response.status, contentType: response.headers.get('content-type'), body,
        }));
      }
    } else if (url.pathname.startsWith(basePath + '/')) {
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
