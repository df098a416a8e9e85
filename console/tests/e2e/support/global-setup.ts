import { Platform } from './platform'
import { startEmbedded } from './embedded'
import { writeState, rememberPerson } from './state'

/**
 * Starts the embedded platform (`onestop up`) on a free port with a new data folder, serving
 * the built console (console/dist), waits for /readyz, and seeds the first operator. Returns
 * the teardown, which stops the platform and removes the folder.
 */
export default async function globalSetup() {
  const embedded = await startEmbedded('platform.log')
  try {
    const { apiUrl, dataDir, pid } = embedded
    writeState({ apiUrl, consoleUrl: process.env.ONESTOP_E2E_CONSOLE_URL ?? apiUrl, dataDir, pid, people: {} })
    rememberPerson(await new Platform(apiUrl).firstOperator(dataDir))
  } catch (error) {
    await embedded.stop()
    throw error
  }
  return embedded.stop
}
