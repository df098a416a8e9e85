import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiError, toApiError } from './errors'
import { currentLocale, i18n } from '@/i18n'

export type { paths, components } from './schema'

/** What the client asks of the session, set by it (no import cycle, and tests set their own). */
export interface Credentials {
  /** The access token to send, renewed first when it is about to lapse; null when signed out. */
  bearer(): Promise<string | null>
  /** The API refused the token (401 outside the session routes). */
  rejected(): void
}

let credentials: Credentials = { bearer: async () => null, rejected: () => {} }

export function useCredentials(provider: Credentials): void {
  credentials = provider
}

const SESSION_ROUTES = /\/api\/v1\/sessions(\/|$)|\/api\/v1\/(enterprise|institution)-registrations$/

const auth: Middleware = {
  async onRequest({ request }) {
    request.headers.set('Accept-Language', currentLocale())
    if (!SESSION_ROUTES.test(new URL(request.url, location.origin).pathname)) {
      const token = await credentials.bearer()
      if (token) request.headers.set('Authorization', `Bearer ${token}`)
    }
    return request
  },
  async onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization') && !(await credentialsRefused(response))) {
      credentials.rejected()
    }
    return response
  },
}

/**
 * Whether a 401 refused credentials the request carried in its body (a wrong current password
 * on a password change), not its token: the session stands then.
 */
async function credentialsRefused(response: Response): Promise<boolean> {
  const body: unknown = await response.clone().json().catch(() => null)
  return !!body && typeof body === 'object' && (body as { error?: unknown }).error === 'invalid_credentials'
}

/** The typed client of the platform's API (types generated from openapi.json). */
export const api = createClient<paths>({
  baseUrl: location.origin,
  credentials: 'same-origin',
  // Looked up at each call, so that tests can stand in for the network.
  fetch: (request) => globalThis.fetch(request),
})
api.use(auth)

type Result<T> = { data?: T; error?: unknown; response: Response }

/**
 * The data of an openapi-fetch call, or an ApiError (a network failure is one too, status 0):
 *
 *     const page = await call(api.GET('/api/v1/notifications', { params: { query: { unread: true } } }))
 */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>
  try {
    result = await request
  } catch (cause) {
    if (cause instanceof ApiError) throw cause
    throw new ApiError(0, { error: 'network', message: String(cause) }, i18n.global.t('errors.network'))
  }
  if (!result.response.ok) {
    throw toApiError(result.response.status, result.error, i18n.global.t('errors.unexpected'))
  }
  return result.data as T
}
