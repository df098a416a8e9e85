import { computed, shallowRef, type Ref } from 'vue'
import { api, call, type components } from '@/api/client'

export type SignInProvider = components['schemas']['SignInProvider']

/** Why the platform sent the browser back from another identity platform (its `external_error`). */
export const EXTERNAL_ERRORS = [
  'unknown_issuer',
  'provider_unavailable',
  'expired',
  'cancelled',
  'refused',
  'invalid_token',
  'no_role',
] as const
export type ExternalError = (typeof EXTERNAL_ERRORS)[number]

/** Where the browser goes to sign in through `issuer`, coming back to `returnTo` once signed in. */
export function externalSignInUrl(issuer: string, returnTo: string | null): string {
  const query = new URLSearchParams({ issuer, return_to: returnTo ?? '/' })
  return `/api/v1/sessions/external?${query}`
}

/**
 * The identity platforms the sign-in page offers besides the platform's own accounts (the
 * gateway takes the browser there and back), and why the last attempt came back, if it did.
 * The list is a convenience: when it cannot be read, the form alone is offered.
 */
export function useSignInProviders(returnTo: Ref<string | null>, error: Ref<unknown>) {
  const providers = shallowRef<SignInProvider[]>([])
  call(api.GET('/api/v1/sessions/providers'))
    .then((answer) => {
      providers.value = answer.items
    })
    .catch(() => {
      providers.value = []
    })
  return {
    providers,
    hrefOf: (provider: SignInProvider) => externalSignInUrl(provider.issuer, returnTo.value),
    /** The reason code, if the page was reached by a failed sign-in elsewhere (else null). */
    failure: computed<ExternalError | null>(() => {
      const code = error.value
      if (typeof code !== 'string') return null
      return (EXTERNAL_ERRORS as readonly string[]).includes(code) ? (code as ExternalError) : 'refused'
    }),
  }
}
