import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Platform } from './platform'

export const ROOT = fileURLToPath(new URL('../../../..', import.meta.url)) // the repository
export const CONSOLE = fileURLToPath(new URL('../../..', import.meta.url))
const ONESTOP = process.env.ONESTOP_BIN ?? join(ROOT, '.venv/bin/onestop')

/**
 * A port nothing listens on now, below Linux's ephemeral range (32768-60999), from which every
 * outgoing connection takes its local port: one the kernel handed out as free could be taken by
 * such a connection before the server bound it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20000 + Math.floor(Math.random() * 12000)
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error('no free port from 20000 to 31999')
}

/** Stops a child process: SIGTERM, then SIGKILL after 20 s. */
export function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  child.kill('SIGTERM')
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.once('exit', () => resolve(clearTimeout(timer)))
  })
}

export interface Embedded {
  apiUrl: string
  dataDir: string
  pid: number
  /** Stops the platform and removes its data folder. */
  stop(): Promise<void>
}

/**
 * Starts an embedded platform (`onestop up`) on `port` (a free one by default) with a new data
 * folder, serving the built console (console/dist), with `env` added to its settings, and waits
 * for /readyz. Its log is test-results/<log>.
 */
export async function startEmbedded(log: string, env: Record<string, string> = {}, port?: number): Promise<Embedded> {
  const results = join(CONSOLE, 'test-results')
  mkdirSync(join(results, 'screenshots'), { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'onestop-console-e2e-'))
  port ??= await freePort()
  const output = openSync(join(results, log), 'w')
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
      // the metrology register's reminders are checked every second, not every hour (metrology spec)
      ONESTOP_METROLOGY_CHECK_INTERVAL: process.env.ONESTOP_METROLOGY_CHECK_INTERVAL ?? '1',
      PYTHONWARNINGS: 'ignore',
      ...env,
    },
    stdio: ['ignore', output, output],
  })
  const apiUrl = `http://127.0.0.1:${port}`
  const stop = async () => {
    await stopped(platform)
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    await new Platform(apiUrl).until(async () => {
      if (platform.exitCode !== null) throw new Error(`onestop up exited (${platform.exitCode}): see test-results/${log}`)
      return fetch(`${apiUrl}/readyz`).then((r) => r.ok, () => false)
    }, 90, `${apiUrl}/readyz`)
  } catch (error) {
    await stop()
    throw error
  }
  return { apiUrl, dataDir, pid: platform.pid!, stop }
}
