import { computed, ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { usePagedList } from '@/composables/usePagedList'
import { rolesOf } from './vocabulary'

export type Organisation = components['schemas']['OrganisationView']
export type PersonListed = components['schemas']['PersonListed']

/** One organisation, its accounts (paged on the server) and the roles its people may hold. */
export function useOrganisation(organisationId: () => string) {
  const organisation = shallowRef<Organisation | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const persons = usePagedList<PersonListed>((after) =>
    call(api.GET('/api/v1/persons', { params: { query: { organisation_id: organisationId(), after: after ?? undefined, per_page: 20 } } })),
  )

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      organisation.value = await call(api.GET('/api/v1/organisations/{organisation_id}', {
        params: { path: { organisation_id: organisationId() } },
      }))
      await persons.reload()
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  return { organisation, loading, error, persons, load, roles: computed(() => rolesOf(organisation.value?.kind)) }
}
