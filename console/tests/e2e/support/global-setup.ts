import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Platform, creditCode } from './platform'
import { CONSOLE, freePort, startEmbedded, stopped } from './embedded'
import { startIdentityPlatform } from './identity'
import { writeState, rememberPerson, type ExternalPerson } from './state'

/**
 * Starts the embedded platform the specs share (support/embedded.ts), with an identity platform
 * whose person may sign in through it (support/identity.ts), and seeds the first operator.
 * Returns the teardown, which stops both and removes the platform's data folder.
 */
export default async function globalSetup() {
  mkdirSync(join(CONSOLE, 'test-results'), { recursive: true })
  const [port, identityPort] = [await freePort(), await freePort()]
  const person: ExternalPerson = { login: 'he.li', password: 'Lamps-of-Panyu-2026', name: '何丽', creditCode: creditCode() }
  const identity = await startIdentityPlatform(identityPort, port, person)
  let embedded
  try {
    embedded = await startEmbedded('platform.log', { ONESTOP_EXTERNAL_ISSUERS: JSON.stringify(identity.configured) }, port)
  } catch (error) {
    await stopped(identity.process)
    throw error
  }
  const stop = async () => {
    await Promise.all([embedded.stop(), stopped(identity.process)])
  }
  try {
    const { apiUrl, dataDir, pid } = embedded
    writeState({
      apiUrl, consoleUrl: process.env.ONESTOP_E2E_CONSOLE_URL ?? apiUrl, dataDir, pid, people: {},
      identity: { issuer: identity.issuer, person },
    })
    rememberPerson(await new Platform(apiUrl).firstOperator(dataDir))
  } catch (error) {
    await stop()
    throw error
  }
  return stop
}
