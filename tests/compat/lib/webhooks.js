// Webhook test helpers: a receiver that verifies every delivery with the real SDK
// (`verifyWebhook` from @clerk/backend/webhooks) and checks its body against Clerk's webhook
// contract (contract/webhooks-organizations.yml, vendored from ../shared/reference/clerk-openapi),
// endpoint management through orgd's Backend API extension, and polling with a deadline.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { verifyWebhook } from '@clerk/backend/webhooks';
import { raw } from './suite.js';

const here = dirname(fileURLToPath(import.meta.url));
export const webhookContractPath = join(here, '..', 'contract', 'webhooks-organizations.yml');
const wh = YAML.parse(readFileSync(webhookContractPath, 'utf8'));
const bapi = YAML.parse(readFileSync(join(here, '..', 'contract', 'bapi-organizations.yml'), 'utf8'));

// The event types orgd emits (design of issue 18; organizationDomain.* come with domains).
export const EVENT_TYPES = [
  'organization.created', 'organization.updated', 'organization.deleted',
  'organizationMembership.created', 'organizationMembership.updated', 'organizationMembership.deleted',
  'organizationInvitation.created', 'organizationInvitation.accepted', 'organizationInvitation.revoked',
  'role.created', 'role.updated', 'role.deleted',
  'permission.created', 'permission.updated', 'permission.deleted',
  'user.created', 'user.updated', 'user.deleted',
  'session.created', 'session.ended', 'session.revoked',
];
// What Clerk's envelope holds (WebhookEventPayload); nothing else is sent.
export const ENVELOPE_KEYS = ['data', 'event_attributes', 'instance_id', 'object', 'timestamp', 'type'];

// OpenAPI 3.0's `nullable: true` beside a $ref (no `type`) means "this, or null" (as in lib/contract.js).
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

// Schemas written against one document ("#/components/…") compiled beside another need their
// refs spelled with the document's id.
function against(node, doc) {
  if (Array.isArray(node)) return node.map(item => against(item, doc));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? doc + value : against(value, doc);
  }
  return out;
}

// The contract's invitation payloads are `allOf: [OrganizationInvitation, {properties: {data:
// {properties: {public_organization_data}}}}]` (and, for .accepted, `user_id` plus `required:
// [user_id, data]`). OrganizationInvitation is `additionalProperties: false` without
// public_organization_data, so read literally the schema refuses the very field it adds (BEHAVIOR
// §6.1: "OrganizationInvitation (+ public_organization_data)"), and the nested `data` is the
// envelope's key mis-nested one level down. Read as meant: OrganizationInvitation's properties plus
// the extension's (public_organization_data, user_id), still closed to anything else.
function invitationPayload(dataSchema) {
  const base = structuredClone(wh.components.schemas.OrganizationInvitation);
  const extension = dataSchema.allOf?.[1] ?? resolveWh(dataSchema).allOf?.[1];
  const extra = { ...(extension?.properties ?? {}) };
  const nested = extra.data?.properties ?? {};
  delete extra.data;
  base.properties = { ...base.properties, ...extra, ...nested };
  base.required = [...base.required, ...(extension?.required ?? []).filter(k => k !== 'data')];
  return base;
}
function resolveWh(node) {
  while (node && node.$ref) node = node.$ref.slice(2).split('/').reduce((n, key) => n[key], wh);
  return node;
}

// Session events have no schema in the contract's cut; BEHAVIOR §6.1 says "Session + user": the
// Backend API's Session (closed) with the user as the webhook contract's User, or null ("if not
// available", the SDK's SessionWebhookEventJSON: e.g. session.ended because the user was deleted).
function sessionPayload() {
  const session = structuredClone(bapi.components.schemas.Session);
  return {
    ...against(session, 'bapi'),
    properties: { ...against(session.properties, 'bapi'), user: { anyOf: [{ $ref: 'wh#/components/schemas/User' }, { type: 'null' }] } },
    required: [...session.required, 'user'],
  };
}

rewriteNullable(wh.components);
rewriteNullable(bapi.components);
const ajv = new Ajv({ strict: false, allErrors: true, discriminator: false });
addFormats(ajv);
ajv.addSchema(wh, 'wh');
ajv.addSchema(bapi, 'bapi');

// type → { body: validator of the whole delivered body, data: validator of data }
const validators = new Map();
function dataSchemaFor(type) {
  if (type.startsWith('session.')) return sessionPayload();
  const op = wh['x-webhooks'][type]?.post;
  if (!op) return null;
  const schema = op.requestBody.content['application/json'].schema;
  const data = rewriteNullable(structuredClone(schema.allOf[1].properties.data));
  if (type.startsWith('organizationInvitation.')) return against(invitationPayload(data), 'wh');
  return against(data, 'wh');
}
function validatorsFor(type) {
  if (!validators.has(type)) {
    const data = dataSchemaFor(type);
    if (!data) return null;
    validators.set(type, {
      data: ajv.compile(data),
      body: ajv.compile({
        allOf: [{ $ref: 'wh#/components/schemas/WebhookEventPayload' }, {
          type: 'object',
          required: ['data'],
          properties: { data, object: { enum: ['event'] }, type: { enum: [type] } },
        }],
      }),
    });
  }
  return validators.get(type);
}

// Problems with one event body (the envelope as delivered or as the feed lists it; the feed's
// `id` and `cursor` are not part of Clerk's envelope and are ignored here): [] when it conforms.
export function checkEvent(body, { where = 'event' } = {}) {
  const problems = [];
  if (!body || typeof body !== 'object') return [`${where}: not an object`];
  const { id, cursor, ...envelope } = body;
  const extra = Object.keys(envelope).filter(k => !ENVELOPE_KEYS.includes(k));
  if (extra.length) problems.push(`${where}: keys outside Clerk's envelope: ${extra.join(', ')}`);
  if (!EVENT_TYPES.includes(envelope.type)) problems.push(`${where}: unknown event type ${JSON.stringify(envelope.type)}`);
  const v = validatorsFor(envelope.type);
  if (v && !v.body(envelope)) {
    problems.push(`${where} ${envelope.type}: does not match the webhook contract: ${ajv.errorsText(v.body.errors)}\n` +
      JSON.stringify(envelope).slice(0, 800));
  }
  // BEHAVIOR §6.2 / §7.5: milliseconds.
  if (!(Number.isInteger(envelope.timestamp) && envelope.timestamp > 1e12)) {
    problems.push(`${where}: timestamp ${envelope.timestamp} is not in milliseconds`);
  }
  if (typeof envelope.instance_id !== 'string' || !/^ins_[0-9A-Za-z]+$/.test(envelope.instance_id)) {
    problems.push(`${where}: instance_id ${JSON.stringify(envelope.instance_id)}`);
  }
  return problems;
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// Polls `probe` (sync or async) until it returns a truthy value, which it resolves with; fails
// with `what` (a string or a function giving one) after `timeout` ms.
export async function waitFor(probe, { timeout = 10_000, interval = 20, what = 'the condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeout} ms waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await sleep(interval);
  }
}

export function newWebhookSecret() {
  return 'whsec_' + randomBytes(24).toString('base64');
}

// A webhook receiver on 127.0.0.1:0. Every POST is verified with verifyWebhook against each of
// `secrets` (at least one must accept it, or the delivery is answered 400 and recorded in
// `rejected`); the body is checked against the webhook contract (problems go to `invalid`).
//   respond({ delivery, attempt }) → HTTP status (default 200): say when to fail. `attempt` is
//     the count of this svix-id's deliveries so far, this one included.
//   delayMs: how long each answer takes.
// deliveries: every accepted POST, in arrival order: { svixId, timestamp, signature, headers,
//   body (the raw text), envelope (the parsed body), event (what verifyWebhook returned), type,
//   data, verifiedWith (the secrets that verified it), attempt, status, receivedAt }.
export async function startReceiver({ secrets = [], respond = () => 200, delayMs = 0, path = '/webhooks' } = {}) {
  const receiver = {
    secrets: [...secrets],
    respond,
    delayMs,
    deliveries: [],
    rejected: [],
    invalid: [],
    attempts: new Map(),
    url: null,
    // Deliveries answered 2xx.
    get delivered() {
      return this.deliveries.filter(d => d.status >= 200 && d.status < 300);
    },
    // The delivered ones whose data matches `pred` (data → bool).
    about(pred) {
      return this.delivered.filter(d => pred(d.data, d));
    },
    async close() {
      await new Promise(resolve => server.close(resolve));
      server.closeAllConnections?.();
    },
  };
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const request = () => new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body });
    const verifiedWith = [];
    let event;
    let lastError;
    for (const secret of receiver.secrets) {
      try {
        event = await verifyWebhook(request(), { signingSecret: secret });
        verifiedWith.push(secret);
      } catch (e) {
        lastError = e;
      }
    }
    if (req.method !== 'POST' || req.url !== path || verifiedWith.length === 0) {
      receiver.rejected.push({ method: req.method, url: req.url, headers: Object.fromEntries(headers), body,
        error: String(lastError?.message ?? lastError ?? 'no secret') });
      res.writeHead(400, { 'content-type': 'text/plain' }).end('not verified');
      return;
    }
    let envelope;
    try {
      envelope = JSON.parse(body);
    } catch {
      envelope = undefined;
    }
    const svixId = headers.get('svix-id');
    const attempt = (receiver.attempts.get(svixId) ?? 0) + 1;
    receiver.attempts.set(svixId, attempt);
    const delivery = {
      svixId,
      timestamp: headers.get('svix-timestamp'),
      signature: headers.get('svix-signature'),
      contentType: headers.get('content-type'),
      headers: Object.fromEntries(headers),
      body,
      envelope,
      event,
      type: event?.type,
      data: event?.data,
      verifiedWith,
      attempt,
      receivedAt: Date.now(),
      status: undefined,
    };
    const problems = checkEvent(envelope, { where: `delivery ${svixId}` });
    if (problems.length) receiver.invalid.push(...problems);
    let status = 200;
    try {
      status = await receiver.respond({ delivery, attempt });
    } catch {
      status = 500;
    }
    delivery.status = status ?? 200;
    receiver.deliveries.push(delivery);
    if (receiver.delayMs > 0) await sleep(receiver.delayMs);
    res.writeHead(delivery.status, { 'content-type': 'text/plain' }).end(delivery.status < 300 ? 'ok' : 'failing on purpose');
  });
  server.keepAliveTimeout = 1000;
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${server.address().port}${path}`;
  return receiver;
}

// Asserts what every receiver must hold at the end of a test: nothing unverifiable, every body
// in Clerk's contract.
export function assertReceiverClean(receiver) {
  assert.deepEqual(receiver.rejected, [], 'deliveries that verifyWebhook refused');
  assert.deepEqual(receiver.invalid, [], 'deliveries that break the webhook contract');
}

// Creates an endpoint (POST /v1/webhook_endpoints) pointing at `receiver` and teaches the
// receiver its secret. Resolves with the create response's JSON (with `secret`).
export async function createEndpoint(orgd, receiver, fields = {}) {
  const res = await raw(orgd, 'POST', '/v1/webhook_endpoints', { json: { url: receiver.url, ...fields } });
  assert.equal(res.status, 200, `create endpoint: ${res.text}`);
  assert.match(res.json.secret ?? '', /^whsec_/, res.text);
  receiver.secrets.push(res.json.secret);
  return res.json;
}

export async function deleteEndpoint(orgd, endpoint) {
  const res = await raw(orgd, 'DELETE', `/v1/webhook_endpoints/${endpoint.id}`);
  assert.equal(res.status, 200, `delete endpoint: ${res.text}`);
}

// GET …/messages, every page (limit 500). `query` e.g. 'status=failed'.
export async function messagesOf(orgd, endpoint, query = '') {
  const out = [];
  for (let offset = 0; ; offset += 500) {
    const res = await raw(orgd, 'GET', `/v1/webhook_endpoints/${endpoint.id}/messages?limit=500&offset=${offset}${query ? '&' + query : ''}`);
    assert.equal(res.status, 200, `messages: ${res.text}`);
    out.push(...res.json.data);
    if (res.json.data.length < 500) return out;
  }
}

// GET /v1/events from `after` to the end of the feed, `limit` per page.
export async function readFeed(orgd, { after = '0', limit = 500 } = {}) {
  const events = [];
  let cursor = after;
  for (let page = 0; page < 1000; page++) {
    const res = await raw(orgd, 'GET', `/v1/events?after=${cursor}&limit=${limit}`);
    assert.equal(res.status, 200, `events: ${res.text}`);
    events.push(...res.json.data);
    if (res.json.data.length === 0) return { events, cursor: res.json.next_cursor ?? cursor };
    cursor = res.json.next_cursor;
  }
  assert.fail('the feed did not end within 1000 pages');
}

// The last cursor of the feed right now ("0" when it is empty).
export async function feedEnd(orgd) {
  return (await readFeed(orgd)).cursor;
}

// An acknowledged change is in the feed soon, not necessarily at once (orgd gives events their
// feed position in commit order just after the commit). Reads the feed from `after` until
// `pred(events)` holds; resolves with { events, cursor }.
export async function feedUntil(orgd, pred, { after = '0', timeout = 5000, what = 'the feed' } = {}) {
  let last;
  return waitFor(async () => {
    last = await readFeed(orgd, { after });
    return pred(last.events) && last;
  }, { timeout, what: () => `${what}; the feed after ${after} has ${last?.events.map(e => `${e.type}:${e.data.id}`).join(', ')}` });
}
// The feed's end once it holds the event of this type about this object (and so everything
// committed before it).
export async function feedEndAfter(orgd, type, id) {
  return (await feedUntil(orgd, events => events.some(e => e.type === type && e.data.id === id),
    { what: `${type} ${id} in the feed` })).cursor;
}
