import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Platform, creditCode } from './platform'
import { writeState, rememberPerson, type ExternalPerson } from './state'

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url)) // the repository
const CONSOLE = fileURLToPath(new URL('../../..', import.meta.url))
const ONESTOP = process.env.ONESTOP_BIN ?? join(ROOT, '.venv/bin/onestop')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * An identity platform of the kind a province runs (tests/oidc: oidc-provider with a sign-in
 * page of its own), whose people may sign in to the console; it must know where the platform
 * will be before the platform starts.
 */
async function startIdentityPlatform(platformPort: number, person: ExternalPerson, log: number) {
  const port = await freePort()
  const browser = {
    client: {
      client_id: 'onestop-console', client_secret: 'console-secret-0123456789',
      redirect_uris: [`http://127.0.0.1:${platformPort}/api/v1/sessions/external/callback`],
    },
    people: [{ login: person.login, password: person.password, name: person.name,
               claims: { roles: ['qi-enterprise'], org_code: person.creditCode } }],
  }
  const provider = spawn('node', [join(ROOT, 'tests/oidc/provider.js'), String(port), '[]', JSON.stringify(browser)], {
    cwd: join(ROOT, 'tests/oidc'), stdio: ['ignore', 'pipe', log],
  })
  await new Promise<void>((resolve, reject) => {
    provider.once('exit', (code) => reject(new Error(`the identity platform exited (${code}): see test-results/identity.log`)))
    provider.stdout!.once('data', (data: Buffer) =>
      data.toString().includes('ready') ? resolve() : reject(new Error(`identity platform: ${data}`)))
  })
  const issuer = `http://127.0.0.1:${port}`
  const configured = [{
    issuer, audience: 'onestop-api', roles_claim: 'roles', roles: { 'qi-enterprise': 'enterprise' },
    party_claim: 'org_code',
    sign_in: { client_id: browser.client.client_id, client_secret: browser.client.client_secret,
               scope: 'openid api', name: { 'zh-CN': '广东省统一身份认证平台', en: 'Guangdong unified identity' } },
  }]
  return { provider, issuer, configured }
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  child.kill('SIGTERM')
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.once('exit', () => resolve(clearTimeout(timer)))
  })
}

/**
 * Starts the embedded platform (`onestop up`) on a free port with a new data folder, serving
 * the built console (console/dist), with an identity platform whose people may sign in through
 * it; waits for /readyz, and seeds the first operator. Returns the teardown, which stops both
 * and removes the folder.
 */
export default async function globalSetup() {
  const results = join(CONSOLE, 'test-results')
  mkdirSync(join(results, 'screenshots'), { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'onestop-console-e2e-'))
  const port = await freePort()
  const external: ExternalPerson = { login: 'he.li', password: 'Lamps-of-Panyu-2026', name: '何丽', creditCode: creditCode() }
  const identity = await startIdentityPlatform(port, external, openSync(join(results, 'identity.log'), 'w'))
  const log = openSync(join(results, 'platform.log'), 'w')
  const platform = spawn(ONESTOP, ['up', '--data-dir', dataDir, '--port', String(port)], {
    cwd: ROOT,
    env: {
      ...process.env,
      // no rate limits: the tests sign in and write faster than people
      ONESTOP_SIGN_IN_RATE: '0',
      ONESTOP_WRITE_RATE: '0',
      ONESTOP_ADDRESS_WRITE_RATE: '0',
      ONESTOP_CONSOLE_DIR: join(CONSOLE, 'dist'),
      // webhooks may be registered to this machine (the institution's spec; nothing listens there)
      ONESTOP_WEBHOOK_ALLOWED_NETWORKS: process.env.ONESTOP_WEBHOOK_ALLOWED_NETWORKS ?? '127.0.0.0/8',
      ONESTOP_EXTERNAL_ISSUERS: JSON.stringify(identity.configured),
      PYTHONWARNINGS: 'ignore',
    },
    stdio: ['ignore', log, log],
  })
  const apiUrl = `http://127.0.0.1:${port}`
  const stop = async () => {
    await Promise.all([stopped(platform), stopped(identity.provider)])
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    const api = new Platform(apiUrl)
    await api.until(async () => {
      if (platform.exitCode !== null) throw new Error(`onestop up exited (${platform.exitCode}): see test-results/platform.log`)
      return fetch(`${apiUrl}/readyz`).then((r) => r.ok, () => false)
    }, 90, `${apiUrl}/readyz`)
    writeState({
      apiUrl, consoleUrl: process.env.ONESTOP_E2E_CONSOLE_URL ?? apiUrl, dataDir, pid: platform.pid!, people: {},
      identity: { issuer: identity.issuer, person: external },
    })
    rememberPerson(await api.firstOperator(dataDir))
  } catch (error) {
    await stop()
    throw error
  }
  return stop
}
