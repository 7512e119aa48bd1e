// The demo's browser side: load clerk-js with the UI, sign in a demo user by ticket (or redeem the
// invitation ticket in the URL), and mount the organization components while signed in.
(async () => {
  const clerk = window.Clerk;
  const $ = id => document.getElementById(id);
  const show = (id, visible) => { $(id).hidden = !visible; };

  function fail(err) {
    const text = err?.errors?.length ? err.errors.map(e => `${e.code}: ${e.longMessage || e.message}`).join('\n') : String(err?.message || err);
    $('error').textContent = text;
    show('error', true);
    console.error(err);
  }

  // Signs in with a ticket: a sign-in token from the Backend API, or an invitation's
  // __clerk_ticket (sign_up when the invited address has no user yet).
  async function redeem(ticket, status = 'sign_in') {
    const attempt = status === 'sign_up'
      ? await clerk.client.signUp.create({ strategy: 'ticket', ticket })
      : await clerk.client.signIn.create({ strategy: 'ticket', ticket });
    if (attempt.status !== 'complete') throw new Error(`the ${status} attempt is ${attempt.status}`);
    await clerk.setActive({ session: attempt.createdSessionId });
  }

  async function signInAs(userId) {
    const res = await fetch('/api/demo-sign-in', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error);
    await redeem(body.ticket);
  }

  async function listDemoUsers() {
    const users = await (await fetch('/api/demo-users')).json();
    $('demo-users').replaceChildren(...users.map(u => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.textContent = `${u.name} <${u.email}>`;
      button.dataset.userId = u.id;
      button.onclick = () => signInAs(u.id).catch(fail);
      li.append(button);
      return li;
    }));
  }

  let mounted = { switcher: false, create: false, profile: false };
  function render() {
    const signedIn = !!clerk.user;
    $('status').textContent = signedIn ? `Active organization: ${clerk.organization?.name ?? 'none (personal account)'}` : 'Signed out';
    $('who').textContent = signedIn ? clerk.user.primaryEmailAddress?.emailAddress ?? clerk.user.id : '';
    show('sign-in', !signedIn);
    show('signed-in', signedIn);
    show('sign-out', signedIn);
    if (!signedIn && !$('demo-users').childElementCount) listDemoUsers().catch(fail);
    const want = { switcher: signedIn, create: signedIn, profile: signedIn && !!clerk.organization };
    const components = {
      switcher: ['organization-switcher', 'OrganizationSwitcher', {}],
      create: ['create-organization', 'CreateOrganization', { routing: 'hash', skipInvitationScreen: true, afterCreateOrganizationUrl: '/' }],
      profile: ['organization-profile', 'OrganizationProfile', { routing: 'hash' }],
    };
    for (const [key, [id, name, props]] of Object.entries(components)) {
      if (want[key] && !mounted[key]) clerk[`mount${name}`]($(id), props);
      if (!want[key] && mounted[key]) clerk[`unmount${name}`]($(id));
      mounted[key] = want[key];
    }
  }

  try {
    await clerk.load({ ui: { ClerkUI: window.__internal_ClerkUICtor }, telemetry: false });
    const params = new URLSearchParams(location.search);
    const ticket = params.get('__clerk_ticket');
    if (ticket && !clerk.user) {
      history.replaceState(null, '', location.pathname);
      await redeem(ticket, params.get('__clerk_status') === 'sign_up' ? 'sign_up' : 'sign_in');
    }
    $('sign-out').onclick = () => clerk.signOut().catch(fail);
    clerk.addListener(render);
    render();
  } catch (err) {
    fail(err);
  } finally {
    document.body.dataset.ready = 'true';
  }
})();
