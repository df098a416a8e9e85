import { spawn, type ChildProcess } from 'node:child_process'
import { openSync } from 'node:fs'
import { join } from 'node:path'
import { CONSOLE, ROOT } from './embedded'
import type { ExternalPerson } from './state'

export interface IdentityPlatform {
  process: ChildProcess
  issuer: string
  /** What the platform is given as ONESTOP_EXTERNAL_ISSUERS. */
  configured: unknown[]
}

/**
 * An identity platform of the kind a province runs (tests/oidc: oidc-provider with a sign-in
 * page of its own) on `port`, whose `person` may sign in to the console of the platform that
 * will listen on `platformPort` (it must know where it returns browsers before that starts).
 * Its log is test-results/identity.log.
 */
export async function startIdentityPlatform(port: number, platformPort: number, person: ExternalPerson): Promise<IdentityPlatform> {
  const browser = {
    client: {
      client_id: 'onestop-console', client_secret: 'console-secret-0123456789',
      redirect_uris: [`http://127.0.0.1:${platformPort}/api/v1/sessions/external/callback`],
    },
    people: [{ login: person.login, password: person.password, name: person.name,
               claims: { roles: ['qi-enterprise'], org_code: person.creditCode } }],
  }
  const log = openSync(join(CONSOLE, 'test-results', 'identity.log'), 'w')
  const provider = spawn('node', [join(ROOT, 'tests/oidc/provider.js'), String(port), '[]', JSON.stringify(browser)], {
    cwd: join(ROOT, 'tests/oidc'), stdio: ['ignore', 'pipe', log],
  })
  await new Promise<void>((resolve, reject) => {
    provider.once('exit', (code) => reject(new Error(`the identity platform exited (${code}): see test-results/identity.log`)))
    provider.stdout!.once('data', (data: Buffer) =>
      data.toString().includes('ready') ? resolve() : reject(new Error(`identity platform: ${data}`)))
  })
  const issuer = `http://127.0.0.1:${port}`
  return {
    process: provider,
    issuer,
    configured: [{
      issuer, audience: 'onestop-api', roles_claim: 'roles', roles: { 'qi-enterprise': 'enterprise' },
      party_claim: 'org_code',
      sign_in: { client_id: browser.client.client_id, client_secret: browser.client.client_secret,
                 scope: 'openid api', name: { 'zh-CN': '广东省统一身份认证平台', en: 'Guangdong unified identity' } },
    }],
  }
}
