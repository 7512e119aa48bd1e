// PUT/DELETE /v1/organizations/{id}/logo through the SDK, and how orgd serves the stored image.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { assertClerkError, useOrgd } from '../lib/suite.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const fixture = name => readFileSync(join(fixtures, name));
const ctx = useOrgd();

// Width and height from a PNG, GIF, WebP (VP8/VP8L/VP8X) or baseline/progressive JPEG header.
function dimensions(buf) {
  if (buf.subarray(1, 4).toString() === 'PNG') return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
  if (buf.subarray(0, 3).toString() === 'GIF') return [buf.readUInt16LE(6), buf.readUInt16LE(8)];
  if (buf.subarray(8, 12).toString() === 'WEBP') {
    const chunk = buf.subarray(12, 16).toString();
    if (chunk === 'VP8X') return [buf.readUIntLE(24, 3) + 1, buf.readUIntLE(27, 3) + 1];
    if (chunk === 'VP8L') {
      const bits = buf.readUInt32LE(21);
      return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
    }
    return [buf.readUInt16LE(26) & 0x3fff, buf.readUInt16LE(28) & 0x3fff];
  }
  for (let i = 2; i < buf.length;) {
    const marker = buf[i + 1];
    const length = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return [buf.readUInt16BE(i + 7), buf.readUInt16BE(i + 5)];
    i += 2 + length;
  }
  throw new Error('unknown image format');
}

async function upload(orgId, name, type) {
  const file = new Blob([fixture(name)], { type });
  return ctx.clerk.organizations.updateOrganizationLogo(orgId, { file, uploaderUserId: 'user_2uploader' });
}

describe('updateOrganizationLogo', () => {
  for (const [name, type] of [
    ['logo.png', 'image/png'],
    ['logo.jpg', 'image/jpeg'],
    ['logo.gif', 'image/gif'],
    ['logo.webp', 'image/webp'],
  ]) {
    test(`accepts ${type} and serves it from orgd with caching headers`, async () => {
      const org = await ctx.clerk.organizations.createOrganization({ name: `Logo ${name}` });
      const updated = await upload(org.id, name, type);
      assert.equal(updated.hasImage, true);
      assert.ok(updated.imageUrl.startsWith(ctx.orgd.url + '/images/img_'), updated.imageUrl);
      assert.notEqual(updated.imageUrl, org.imageUrl);
      const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id });
      assert.equal(read.imageUrl, updated.imageUrl);
      assert.equal(read.hasImage, true);

      const image = await fetch(updated.imageUrl); // no Authorization header: images are public
      assert.equal(image.status, 200);
      assert.equal(image.headers.get('content-type'), type);
      assert.match(image.headers.get('cache-control'), /max-age=\d+/);
      const etag = image.headers.get('etag');
      assert.ok(etag);
      const bytes = Buffer.from(await image.arrayBuffer());
      assert.deepEqual(dimensions(bytes), [64, 48]);
      assert.ok(!bytes.includes('secret-location-orgd'), 'EXIF metadata must be stripped');
      assert.ok(!bytes.includes('secret-comment-orgd'), 'text chunks must be stripped');

      const again = await fetch(updated.imageUrl, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
    });
  }

  test('a large image is shrunk to fit 1024 pixels', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Big Logo' });
    const updated = await upload(org.id, 'big.jpg', 'image/jpeg');
    const bytes = Buffer.from(await (await fetch(updated.imageUrl)).arrayBuffer());
    assert.deepEqual(dimensions(bytes), [1024, 768]);
  });

  test('the declared type and file name do not matter, the bytes do', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Mislabelled' });
    const file = new File([fixture('logo.png')], 'logo.jpg', { type: 'image/jpeg' });
    const updated = await ctx.clerk.organizations.updateOrganizationLogo(org.id, { file });
    const image = await fetch(updated.imageUrl);
    assert.equal(image.headers.get('content-type'), 'image/png');
  });

  test('replacing a logo serves the new one', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Twice' });
    const first = await upload(org.id, 'logo.png', 'image/png');
    const second = await upload(org.id, 'logo.gif', 'image/gif');
    assert.notEqual(first.imageUrl, second.imageUrl);
    assert.equal((await fetch(second.imageUrl)).headers.get('content-type'), 'image/gif');
  });
});

describe('deleteOrganizationLogo', () => {
  test('removes the image and falls back to the default', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'No Logo' });
    const withLogo = await upload(org.id, 'logo.png', 'image/png');
    const without = await ctx.clerk.organizations.deleteOrganizationLogo(org.id);
    assert.equal(without.hasImage, false);
    assert.equal(without.imageUrl, org.imageUrl);
    assert.equal((await fetch(withLogo.imageUrl)).status, 404);
    const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id });
    assert.equal(read.hasImage, false);
  });
});

describe('deleteOrganization', () => {
  test('removes the organization’s logo with it', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Gone With Logo' });
    const withLogo = await upload(org.id, 'logo.webp', 'image/webp');
    assert.equal((await fetch(withLogo.imageUrl)).status, 200);
    await ctx.clerk.organizations.deleteOrganization(org.id);
    assert.equal((await fetch(withLogo.imageUrl)).status, 404);
  });
});

describe('refused uploads change nothing', () => {
  test('a file that is not an image is 400 request_body_invalid', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Not Image' });
    for (const bytes of [Buffer.from('just some text'), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.concat([fixture('logo.png').subarray(0, 100)])]) {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'image/png' }), 'x.png');
      const res = await ctx.raw('PUT', `/v1/organizations/${org.id}/logo`, { body: form });
      assertClerkError(res, 400, 'request_body_invalid');
    }
    const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id });
    assert.equal(read.hasImage, false);
  });

  test('an 11 MB file is 413 image_too_large', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Too Big' });
    const big = Buffer.alloc(11 * 1024 * 1024, 7);
    fixture('logo.png').copy(big); // a PNG signature, then far too many bytes
    const form = new FormData();
    form.append('file', new Blob([big], { type: 'image/png' }), 'big.png');
    const res = await ctx.raw('PUT', `/v1/organizations/${org.id}/logo`, { body: form });
    assertClerkError(res, 413, 'image_too_large');
    const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id });
    assert.equal(read.hasImage, false);
  });

  test('no file field is form_param_missing; a JSON body is refused', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'No File' });
    const form = new FormData();
    form.append('uploader_user_id', 'user_1');
    assertClerkError(await ctx.raw('PUT', `/v1/organizations/${org.id}/logo`, { body: form }), 400, 'form_param_missing');
    assertClerkError(await ctx.raw('PUT', `/v1/organizations/${org.id}/logo`, { json: {} }), 400, 'request_body_invalid');
  });

  test('an unknown organization is 404', async () => {
    const form = new FormData();
    form.append('file', new Blob([fixture('logo.png')], { type: 'image/png' }), 'x.png');
    const res = await ctx.raw('PUT', '/v1/organizations/org_0000000000000000000000000000/logo', { body: form });
    assertClerkError(res, 404, 'resource_not_found');
  });
});
