// An OpenID Connect provider for the tests: oidc-provider, issuing JWT access tokens (ES256)
// to confidential clients by the client credentials grant, each client standing for a person of
// an external identity platform with the claims the test gives it.
//
//   node provider.js PORT CLIENTS_JSON
//   CLIENTS_JSON: [{"client_id", "client_secret", "claims": {...}}]; prints "ready" when listening.
import { generateKeyPairSync } from "node:crypto";
import Provider from "oidc-provider";

const [port, clientsJson] = process.argv.slice(2);
const clients = JSON.parse(clientsJson);
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const key = { ...privateKey.export({ format: "jwk" }), kid: `test-${port}`, alg: "ES256", use: "sig" };
const claimsOf = Object.fromEntries(clients.map((client) => [client.client_id, client.claims]));

const provider = new Provider(`http://127.0.0.1:${port}`, {
  jwks: { keys: [key] },
  clients: clients.map(({ client_id, client_secret }) => ({
    client_id, client_secret, grant_types: ["client_credentials"], redirect_uris: [], response_types: [],
    id_token_signed_response_alg: "ES256",
  })),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => "urn:onestop:api",
      getResourceServerInfo: async () => ({
        scope: "api", audience: "onestop-api", accessTokenTTL: 600, accessTokenFormat: "jwt",
        jwt: { sign: { alg: "ES256" } },
      }),
    },
  },
  extraTokenClaims: async (ctx, token) => claimsOf[token.clientId],
});
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
