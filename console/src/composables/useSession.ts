import { computed, readonly, ref } from 'vue'
import { api, call, useCredentials, type components } from '@/api/client'
import { ApiError } from '@/api/errors'

export type Tokens = components['schemas']['Tokens']
export type Pending = NonNullable<Tokens['pending']>
export const ROLES = ['enterprise', 'institution', 'specialist', 'supervisor', 'operator', 'operating_institution'] as const
export type Role = (typeof ROLES)[number]

/**
 * What the console reads from an access token, for display only: it verifies nothing (the API
 * does), and what the person may do comes with the tokens' answer (`acts`), since a token of
 * another identity platform carries that platform's claims, not the platform's roles.
 */
export interface Claims {
  sub: string
  name?: string
  exp: number
}

/** The payload of a JWT, decoded as UTF-8 (names are Chinese). */
export function decodeClaims(token: string): Claims {
  const part = token.split('.')[1]
  if (!part) throw new Error('not a JWT')
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=')
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  return JSON.parse(new TextDecoder().decode(bytes)) as Claims
}

/** Renew this long before the access token lapses. */
const MARGIN_SECONDS = 60

// The session lives in memory only: the access token is never written to any storage, and the
// refresh token is an HttpOnly cookie no script can read.
const accessToken = ref<string | null>(null)
const expiresAt = ref(0)
const pending = ref<Pending | null>(null)
const person = ref<Tokens['person'] | null>(null)
/** For each role the person may act in now, the party they act for. */
const acts = ref<Tokens['acts']>({})
/** The identity platform the person signed in through (null: the platform's own accounts). */
const issuer = ref<string | null>(null)
const chosenRole = ref<Role | null>(null)
/** Why the last session ended without the person signing out (shown on the sign-in page). */
const endedByServer = ref(false)
let timer: ReturnType<typeof setTimeout> | undefined
let refreshing: Promise<boolean> | null = null
let restored: Promise<boolean> | null = null

const claims = computed(() => (accessToken.value ? decodeClaims(accessToken.value) : null))
/** The roles the person may act in now, in the console's order. */
const roles = computed<Role[]>(() => ROLES.filter((role) => role in acts.value))
const role = computed<Role | null>(() =>
  chosenRole.value && roles.value.includes(chosenRole.value) ? chosenRole.value : (roles.value[0] ?? null),
)

function accept(tokens: Tokens): void {
  accessToken.value = tokens.access_token
  expiresAt.value = Date.now() + tokens.expires_in * 1000
  pending.value = tokens.pending ?? null
  person.value = tokens.person
  acts.value = tokens.acts
  issuer.value = tokens.issuer
  endedByServer.value = false
  clearTimeout(timer)
  const delay = Math.max(tokens.expires_in - MARGIN_SECONDS, 5) * 1000
  timer = setTimeout(() => void refresh(), delay)
}

function forget(): void {
  clearTimeout(timer)
  accessToken.value = null
  expiresAt.value = 0
  pending.value = null
  person.value = null
  acts.value = {}
  issuer.value = null
}

/**
 * New tokens from the refresh cookie. Each refresh token serves once and presenting a replaced
 * one ends the session, so tabs take turns (Web Locks): a tab refreshing after another sends the
 * cookie the other received.
 */
function refresh(): Promise<boolean> {
  refreshing ??= withLock(async () => {
    try {
      accept(await call(api.POST('/api/v1/sessions/refresh', { body: {} })))
      return true
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        if (accessToken.value) endedByServer.value = true
        forget()
        return false
      }
      throw error
    }
  }).finally(() => {
    refreshing = null
  })
  return refreshing
}

function withLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  return locks ? (locks.request('onestop-session-refresh', task) as Promise<T>) : task()
}

/** On page load: the session the refresh cookie holds, if any (once; later calls share it). */
function restore(): Promise<boolean> {
  restored ??= refresh().catch(() => false)
  return restored
}

async function signIn(form: { sign_in_name: string; password: string; code?: string }): Promise<Tokens> {
  const tokens = await call(
    api.POST('/api/v1/sessions', {
      body: { ...form, code: form.code || null, refresh_cookie: true },
    }),
  )
  accept(tokens)
  restored = Promise.resolve(true)
  return tokens
}

async function signOut(): Promise<void> {
  try {
    await call(api.POST('/api/v1/sessions/end', { body: {} }))
  } catch {
    // the session may be over already; signing out here must not fail
  } finally {
    forget()
    chosenRole.value = null
  }
}

function chooseRole(next: Role): void {
  chosenRole.value = next
}

useCredentials({
  async bearer() {
    if (accessToken.value && Date.now() > expiresAt.value - 10_000) await refresh()
    return accessToken.value
  },
  rejected() {
    endedByServer.value = true
    forget()
  },
})

/** The signed-in person's session: shared by every component (module-level state). */
export function useSession() {
  return {
    signedIn: computed(() => accessToken.value !== null),
    claims,
    person: readonly(person),
    acts: readonly(acts),
    issuer: readonly(issuer),
    pending: readonly(pending),
    roles,
    role,
    endedByServer: readonly(endedByServer),
    restore,
    refresh,
    signIn,
    signOut,
    chooseRole,
    /** After a change on the person's own account (password, second factor): tokens again. */
    accept,
  }
}
