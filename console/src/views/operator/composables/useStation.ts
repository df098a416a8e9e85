import { ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { findStationOrganisation, readStation, registerStationOrganisation, type Organisation, type Station } from './stations'

export type PersonListed = components['schemas']['PersonListed']


/**
 * One station's page: the station, its organisation (null when it has none yet) and the accounts
 * of that organisation (the people who may join its staff).
 */
export function useStation(stationId: () => string) {
  const station = shallowRef<Station | null>(null)
  const organisation = shallowRef<Organisation | null>(null)
  const persons = shallowRef<PersonListed[]>([])
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)

  async function loadPersons(): Promise<void> {
    if (!organisation.value) {
      persons.value = []
      return
    }
    const page = await call(api.GET('/api/v1/persons', {
      params: { query: { organisation_id: organisation.value.id, per_page: 100 } },
    }))
    persons.value = page.items
  }

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const [found, own] = await Promise.all([readStation(stationId()), findStationOrganisation(stationId())])
      station.value = found
      organisation.value = own
      await loadPersons()
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  /** Registers the station's organisation (when registering the station could not). */
  async function createOrganisation(): Promise<void> {
    if (!station.value) return
    const id = await registerStationOrganisation(station.value)
    organisation.value = await call(api.GET('/api/v1/organisations/{organisation_id}', { params: { path: { organisation_id: id } } }))
    await loadPersons()
  }

  return {
    station,
    organisation,
    persons,
    loading,
    error,
    load,
    createOrganisation,
    /** After a change the API answered with the station. */
    replace: (changed: Station) => (station.value = changed),
  }
}
