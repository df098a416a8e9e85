import { createHmac } from 'node:crypto'

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32(secret: string): Buffer {
  let bits = ''
  for (const char of secret.replace(/=+$/, '').toUpperCase()) {
    bits += BASE32.indexOf(char).toString(2).padStart(5, '0')
  }
  return Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)))
}

/** The RFC 6238 code of a 30-second step (HMAC-SHA1, six digits). */
export function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const hmac = createHmac('sha1', base32(secret)).update(counter).digest()
  const offset = hmac[hmac.length - 1]! & 0x0f
  const value = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000
  return String(value).padStart(6, '0')
}

/**
 * An authenticator app played by the tests. The platform accepts the step before, the current one
 * and the one after, each once: `code()` gives the next step not used yet (the one before only
 * while it stays in the platform's window), waiting for the clock when all are used. `used` is kept by the caller (in the e2e state) across processes.
 */
export async function nextCode(secret: string, used: number): Promise<{ code: string; step: number }> {
  for (;;) {
    const seconds = Date.now() / 1000
    const now = Math.floor(seconds / 30)
    // The step before is taken only early in the current one: late in it, the platform's clock
    // may have moved on by the time the code arrives, and that step would be two behind.
    const earliest = seconds % 30 < 20 ? now - 1 : now
    const step = Math.max(used + 1, earliest)
    if (step <= now + 1) return { code: totp(secret, step), step }
    await new Promise((resolve) => setTimeout(resolve, (30 - ((Date.now() / 1000) % 30)) * 1000 + 100))
  }
}
