import { ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import type { PersonRole } from './vocabulary'

export type PersonView = components['schemas']['PersonView']
export type PersonWithPassword = components['schemas']['PersonWithPassword']
type Organisation = components['schemas']['OrganisationView']

/**
 * One account and what an operator does to it: a new one-time password, a reset authenticator,
 * a role granted or revoked, disabled or enabled again (each with its reason). Each action keeps
 * the person the API answers with.
 */
export function usePerson(personId: () => string) {
  const person = shallowRef<PersonView | null>(null)
  const organisation = shallowRef<Organisation | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const path = () => ({ params: { path: { person_id: personId() } } })

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      person.value = await call(api.GET('/api/v1/persons/{person_id}', path()))
      organisation.value = await call(api.GET('/api/v1/organisations/{organisation_id}', {
        params: { path: { organisation_id: person.value.organisation_id } },
      })).catch(() => null)
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  function keep<T extends PersonView>(answer: T): T {
    person.value = answer
    return answer
  }

  return {
    person,
    organisation,
    loading,
    error,
    load,
    /** A new one-time password (shown once by the caller). */
    resetPassword: async (): Promise<PersonWithPassword> =>
      keep(await call(api.POST('/api/v1/persons/{person_id}/password-reset', path()))),
    resetSecondFactor: async (): Promise<PersonView> =>
      keep(await call(api.POST('/api/v1/persons/{person_id}/second-factor-reset', path()))),
    changeRole: async (action: 'grant' | 'revoke', role: PersonRole, reason: string): Promise<PersonView> =>
      keep(await call(api.POST('/api/v1/persons/{person_id}/roles', { ...path(), body: { action, role, reason } }))),
    setEnabled: async (enabled: boolean, reason: string): Promise<PersonView> =>
      keep(await call(api.POST('/api/v1/persons/{person_id}/enabled', { ...path(), body: { enabled, reason } }))),
  }
}
