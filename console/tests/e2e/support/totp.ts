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
 * and the one after, each once: `code()` gives the next step not used yet, waiting for the clock
 * when all three are used. `used` is kept by the caller (in the e2e state) across processes.
 */
export async function nextCode(secret: string, used: number): Promise<{ code: string; step: number }> {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / 30)
    const step = Math.max(used + 1, now - 1)
    if (step <= now + 1) return { code: totp(secret, step), step }
    await new Promise((resolve) => setTimeout(resolve, (30 - ((Date.now() / 1000) % 30)) * 1000 + 100))
  }
}
