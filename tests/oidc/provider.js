// An OpenID Connect provider for the tests: oidc-provider, issuing JWT access tokens (ES256).
//
//   node provider.js PORT CLIENTS_JSON [BROWSER_JSON]
//
// CLIENTS_JSON: [{"client_id", "client_secret", "claims": {...}}]: confidential clients of the
// client credentials grant, each standing for a person of an external identity platform with the
// claims the test gives it.
// BROWSER_JSON (optional): {"client": {"client_id", "client_secret", "redirect_uris": [...]},
// "people": [{"login", "password", "name", "claims": {...}}], "access_token_seconds"}: a web
// application signing people in by the authorization code flow (PKCE), with a sign-in page of
// this provider's own, as a government unified identity platform has, and refresh tokens.
// Prints "ready" when listening.
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import Provider from "oidc-provider";

const [port, clientsJson, browserJson] = process.argv.slice(2);
const clients = JSON.parse(clientsJson);
const browser = browserJson ? JSON.parse(browserJson) : { client: null, people: [] };
// The key is made as PEM and read back before its export as a JWK: exporting the KeyObject a
// generation returned can deadlock Node 20 for good when a garbage collection runs during the
// export (the finished generation job, collected then, waits on the lock the export holds).
const { privateKey: pem } = generateKeyPairSync("ec", {
  namedCurve: "P-256",
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const key = { ...createPrivateKey(pem).export({ format: "jwk" }), kid: `test-${port}`, alg: "ES256", use: "sig" };
const claimsOfClient = Object.fromEntries(clients.map((client) => [client.client_id, client.claims]));
const people = Object.fromEntries(browser.people.map((person) => [person.login, person]));

const provider = new Provider(`http://127.0.0.1:${port}`, {
  jwks: { keys: [key] },
  clients: [
    ...clients.map(({ client_id, client_secret }) => ({
      client_id, client_secret, grant_types: ["client_credentials"], redirect_uris: [], response_types: [],
      id_token_signed_response_alg: "ES256",
    })),
    ...(browser.client ? [{
      ...browser.client, grant_types: ["authorization_code", "refresh_token"], response_types: ["code"],
      id_token_signed_response_alg: "ES256",
    }] : []),
  ],
  findAccount: async (ctx, id) => people[id] && {
    accountId: id, claims: async () => ({ sub: id, name: people[id].name }),
  },
  interactions: { url: async (ctx, interaction) => `/interaction/${interaction.uid}` },
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed("refresh_token"),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => "urn:onestop:api",
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resource, client) => ({
        scope: "api", audience: "onestop-api", accessTokenFormat: "jwt",
        accessTokenTTL: client.clientId === browser.client?.client_id ? browser.access_token_seconds ?? 600 : 600,
        jwt: { sign: { alg: "ES256" } },
      }),
    },
  },
  extraTokenClaims: async (ctx, token) => (token.accountId
    ? { ...people[token.accountId]?.claims, name: people[token.accountId]?.name }
    : claimsOfClient[token.clientId]),
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(uid, error) {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证</title></head>
<body><main><h1>统一身份认证平台</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>账号 <input name="login" autocomplete="username" required></label>
<label>密码 <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">登录</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">取消</button></form>
</main></body></html>`;
}

async function formOf(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

// The sign-in page; consent is given at once (the platform is a client the provider trusts).
async function interaction(req, res) {
  const [, , uid, action] = new URL(req.url, "http://x").pathname.split("/");
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error("another interaction");
  if (action === "abort") {
    return provider.interactionFinished(req, res, { error: "access_denied", error_description: "已取消" });
  }
  if (action === "login") {
    const form = await formOf(req);
    const person = people[form.get("login")];
    if (!person || person.password !== form.get("password")) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return res.end(signInPage(uid, "账号或密码不正确"));
    }
    return provider.interactionFinished(req, res, { login: { accountId: person.login } },
      { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === "consent") {
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(" "));
    }
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true });
  }
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  return res.end(signInPage(uid));
}

const handle = provider.callback();
createServer((req, res) => {
  if (req.url === "/favicon.ico") return res.writeHead(204).end(); // browsers ask; none here
  if (!req.url.startsWith("/interaction/")) return handle(req, res);
  return interaction(req, res).catch((error) => {
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(String(error));
  });
}).listen(Number(port), "127.0.0.1", () => console.log("ready"));
