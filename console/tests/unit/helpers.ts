import { vi } from 'vitest'

/** A fetch that answers each request with the next of `answers` (status, JSON body), and keeps the requests. */
export function fakeFetch(...answers: [number, unknown?][]) {
  const requests: Request[] = []
  const fetch = vi.fn(async (request: Request) => {
    requests.push(request.clone())
    const [status, body] = answers.shift() ?? [500, { error: 'internal_error', title: '', message: 'no answer left', details: {} }]
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    })
  })
  vi.stubGlobal('fetch', fetch)
  return { fetch, requests }
}

/** An unsigned JWT carrying `claims` (the console never verifies tokens). */
export function token(claims: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return `${encode({ alg: 'ES256' })}.${encode(claims)}.signature`
}

export function tokens(claims: Record<string, unknown>, pending: string | null = null) {
  return {
    access_token: token({ sub: 'p-1', exp: Date.now() / 1000 + 600, ...claims }),
    token_type: 'Bearer',
    expires_in: 600,
    refresh_token: null,
    must_change_password: pending === 'password_change',
    pending,
    person: {
      id: '00000000-0000-0000-0000-000000000001', sign_in_name: 'li.hua', name: String(claims.name ?? '李华'),
      mobile: null, email: null, organisation_id: '00000000-0000-0000-0000-000000000002',
      roles: Object.keys((claims.act as object) ?? {}), must_change_password: false, second_factor: false,
      disabled: false, created_at: '2026-12-01T00:00:00+00:00',
    },
    acts: pending ? {} : ((claims.act as Record<string, string>) ?? {}),
    issuer: null,
  }
}
