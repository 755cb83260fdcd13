#!/usr/bin/env node
// SIASN Luring's local OpenID provider for tests and the demo (DESIGN §6, ../../../shared/reference/sso.md §4).
//
// A real, OpenID Certified OP (npm `oidc-provider`, pinned in package.json) configured to look like BKN's Keycloak
// realm: Keycloak's endpoint layout under /realms/luring, a public native client with PKCE S256 and RFC 8252
// loopback redirects, refresh-token rotation, the device authorization grant, and RS256 JWT access tokens carrying
// `typ: "Bearer"`, `azp`, `preferred_username` (the NIP) and `name`, like Keycloak's. Accounts (username = NIP) and
// passwords come from accounts.json. State lives in memory: restart = everything forgotten except the keys, and
// only when IDP_KEYS names a file. Never use it for anything but tests and demos.
//
// Usage: node idp.mjs [--port N] [--keys FILE] [--accounts FILE] [--access-token-ttl SECONDS] [--exit-with-stdin]
//   --port 0 picks a free port. When listening, prints exactly one line on stdout:
//     IDP_READY http://127.0.0.1:<port>/realms/luring
//   and that URL is the issuer. Everything else goes to stderr.
// Env: IDP_KEYS (same as --keys), IDP_AT_TTL (same as --access-token-ttl).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';

const HERE = dirname(fileURLToPath(import.meta.url));
const PREFIX = '/realms/luring'; // Keycloak-like issuer path: clients must use discovery, not fixed paths
const HUB_RESOURCE = 'urn:luring:hub'; // RFC 8707 resource indicator of the hub (must be an absolute URI)
const HUB_AUDIENCE = 'luring-hub'; // `aud` of access tokens (at Keycloak: an audience mapper)
const DESKTOP_CLIENT = 'luring-desktop';
const OTHER_CLIENT = 'aplikasi-lain'; // another application of the same realm: its tokens are not for the hub
const SCOPES = 'openid profile offline_access';

// --- command line ---------------------------------------------------------------------------------------------
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.IDP_PORT || '9400' },
      keys: { type: 'string', default: process.env.IDP_KEYS || '' },
      accounts: { type: 'string', default: join(HERE, 'accounts.json') },
      'access-token-ttl': { type: 'string', default: process.env.IDP_AT_TTL || '300' },
      'exit-with-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  console.error(`idp: ${e.message} (see --help)`);
  process.exit(2);
}
if (args.help) {
  console.error('usage: node idp.mjs [--port N (0 = free port)] [--keys JWKS_FILE] [--accounts FILE]\n'
    + '                   [--access-token-ttl SECONDS] [--exit-with-stdin]\n'
    + 'prints "IDP_READY <issuer>" on stdout when ready; see README.md');
  process.exit(0);
}
const port = Number(args.port);
const accessTokenTtl = Number(args['access-token-ttl']);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`idp: --port must be 0..65535, got ${args.port}`);
  process.exit(2);
}
if (!Number.isInteger(accessTokenTtl) || accessTokenTtl < 1) {
  console.error(`idp: --access-token-ttl must be a positive number of seconds, got ${args['access-token-ttl']}`);
  process.exit(2);
}

// --exit-with-stdin: the parent (a test) holds our stdin; when it goes away, so do we, even after a crash.
if (args['exit-with-stdin']) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

// --- signing keys: RS256 like Keycloak's default ----------------------------------------------------------------
// Without --keys a fresh key is made at every start, so a restart rotates it. With --keys FILE the key is read from
// FILE, or made and written there when FILE does not exist, so restarts keep it (or two IdPs share it).
function loadOrMakeKeys(file) {
  if (file && existsSync(file)) {
    const jwks = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(jwks.keys) || !jwks.keys.some((k) => k.kty === 'RSA' && k.d)) {
      throw new Error(`${file} holds no private RSA key (expected a private JWKS: {"keys":[{"kty":"RSA","d":…}]})`);
    }
    return jwks;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' }] };
  if (file) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(jwks), { mode: 0o600 });
    renameSync(tmp, file); // another IdP reading FILE sees the whole key or nothing
  }
  return jwks;
}
const jwks = loadOrMakeKeys(args.keys);

// --- accounts: username = NIP; sub = a Keycloak-style user id -----------------------------------------------------
const accountList = JSON.parse(readFileSync(args.accounts, 'utf8')).accounts;
const byNip = new Map(accountList.map((a) => [a.nip, a]));
const bySub = new Map(accountList.map((a) => [a.sub, a]));

// --- the provider ---------------------------------------------------------------------------------------------
const nativeClient = (clientId, grants) => ({
  client_id: clientId,
  application_type: 'native', // RFC 8252 §7.3: any port on a loopback redirect URI
  token_endpoint_auth_method: 'none', // public client: PKCE S256 is then required
  grant_types: grants,
  response_types: ['code'],
  redirect_uris: ['http://127.0.0.1/callback'], // IPv4 literal only, as Keycloak (sso.md §2.2)
  post_logout_redirect_uris: ['http://127.0.0.1/logout'],
  id_token_signed_response_alg: 'RS256',
});

function configuration() {
  return {
    jwks,
    clients: [
      nativeClient(DESKTOP_CLIENT, [
        'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']),
      nativeClient(OTHER_CLIENT, ['authorization_code', 'refresh_token']),
    ],
    pkce: { required: () => true }, // only S256 exists in oidc-provider 9
    scopes: ['openid', 'offline_access', 'profile'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    interactions: { url: (ctx, interaction) => `${PREFIX}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false }, // our own login page below checks passwords
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      // JWT access tokens need a resource server; without one oidc-provider issues opaque access tokens.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => HUB_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resourceIndicator) => {
          if (resourceIndicator !== HUB_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: SCOPES,
            audience: HUB_AUDIENCE,
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt', // header typ "at+jwt" (RFC 9068)
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // Keycloak's access-token claims: typ "Bearer", azp = the client, the username and the display name.
    async extraTokenClaims(ctx, token) {
      const account = bySub.get(token.accountId);
      if (!account) return undefined;
      return { typ: 'Bearer', azp: token.clientId, preferred_username: account.nip, name: account.name };
    },
    async findAccount(ctx, sub) {
      const account = bySub.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, name: account.name, preferred_username: account.nip };
        },
      };
    },
    // OIDC Core §11 drops offline_access without prompt=consent; Keycloak does not, and the app never sends
    // prompt=consent. So: a refresh token whenever the client may refresh, living beyond the login session.
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: true, // like Keycloak's "Revoke Refresh Token": reuse of an old one revokes the grant
    ttl: {
      AccessToken: accessTokenTtl,
      IdToken: 300,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 86400,
      Grant: 14 * 86400,
      DeviceCode: 600,
      RefreshToken: 14 * 86400, // the offline work window
    },
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      jwks: '/protocol/openid-connect/certs',
      userinfo: '/protocol/openid-connect/userinfo',
      end_session: '/protocol/openid-connect/logout',
      revocation: '/protocol/openid-connect/revoke',
      introspection: '/protocol/openid-connect/token/introspect',
      device_authorization: '/protocol/openid-connect/auth/device',
      code_verification: '/device',
    },
    cookies: { keys: ['luring-test-idp-cookie-key-not-secret'] },
    renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
}

// --- the login page: GET shows the form, POST checks NIP + password and grants what was asked ---------------------
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginPage = (uid, message) => `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Masuk — IdP uji SIASN Luring</title></head>
<body><h1>Masuk</h1>${message ? `<p role="alert">${esc(message)}</p>` : ''}
<form method="post" action="${PREFIX}/interaction/${esc(uid)}">
<label>NIP <input name="username" inputmode="numeric" autocomplete="username"></label>
<label>Kata sandi <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Masuk</button></form></body></html>`;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 16384) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

// First-party client: consent is implicit, like a Keycloak client without "Consent required".
async function grantRequested(provider, details, accountId) {
  const { params } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  grant.addOIDCScope(String(params.scope));
  grant.addResourceScope(HUB_RESOURCE, String(params.scope));
  return grant.save();
}

// Records the interaction's result and sends the browser back to the authorization endpoint to resume.
async function finish(ctx, provider, result) {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

function interactions(provider) {
  return async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === 'GET') {
      if (details.prompt.name === 'consent' && details.session?.accountId) {
        const grantId = await grantRequested(provider, details, details.session.accountId);
        return finish(ctx, provider, { consent: { grantId } });
      }
      ctx.type = 'html';
      ctx.body = loginPage(details.uid);
      return undefined;
    }
    if (ctx.method !== 'POST') return next();
    const form = await readForm(ctx.req);
    const account = byNip.get(form.get('username') || '');
    if (!account || account.password !== form.get('password')) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage(details.uid, 'NIP atau kata sandi salah.');
      return undefined;
    }
    const grantId = await grantRequested(provider, details, account.sub);
    const result = { login: { accountId: account.sub }, consent: { grantId } };
    return finish(ctx, provider, result);
  };
}

// --- HTTP: listen first (the issuer needs the real port), then mount the provider under PREFIX --------------------
const t0 = process.hrtime.bigint();
const server = createServer();
server.on('error', (e) => {
  console.error(`idp: cannot listen on 127.0.0.1:${port}: ${e.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  const provider = new Provider(issuer, configuration());
  provider.use(interactions(provider));
  const callback = provider.callback();
  // Mount the way koa-mount does: originalUrl keeps the full path, url loses the prefix.
  server.on('request', (req, res) => {
    if (req.url === PREFIX || req.url.startsWith(`${PREFIX}/`) || req.url.startsWith(`${PREFIX}?`)) {
      req.originalUrl = req.url;
      req.url = req.url.slice(PREFIX.length) || '/';
      callback(req, res);
      return;
    }
    res.statusCode = 404;
    res.end('not found');
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.error(`idp: ${accountList.length} accounts, key ${jwks.keys[0].kid}, listening after ${ms.toFixed(0)} ms`);
  console.log(`IDP_READY ${issuer}`);
});
