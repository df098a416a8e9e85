import { api, call, type components } from '@/api/client'
import { ApiError } from '@/api/errors'
import { usePagedList } from '@/composables/usePagedList'

export type Organisation = components['schemas']['OrganisationView']
export type Station = components['schemas']['StationView']
export type StationSummary = components['schemas']['StationSummary']

export function readStation(stationId: string): Promise<Station> {
  return call(api.GET('/api/v1/stations/{station_id}', { params: { path: { station_id: stationId } } }))
}

/** The stations, a page at a time by name (GET /api/v1/stations). */
export function useStations(perPage = 20) {
  return usePagedList<StationSummary>((after) =>
    call(api.GET('/api/v1/stations', { params: { query: { after: after ?? undefined, per_page: perPage } } })),
  )
}

/** The organisation of a station (kind station, party its id), looked for page by page; null when none. */
export async function findStationOrganisation(stationId: string): Promise<Organisation | null> {
  let after: string | undefined
  for (;;) {
    const page = await call(api.GET('/api/v1/organisations', { params: { query: { kind: 'station', after, per_page: 100 } } }))
    const found = page.items.find((organisation) => organisation.party === stationId)
    if (found) return found
    if (!page.next_after) return null
    after = page.next_after
  }
}

/**
 * Registers a station's organisation (so that its specialists can have accounts); one already
 * registered is no error: the conflict names it. Gives the organisation's id.
 */
export async function registerStationOrganisation(station: Pick<Station, 'id' | 'name'>): Promise<string> {
  try {
    const made = await call(api.POST('/api/v1/organisations', { body: { kind: 'station', party: station.id, name: station.name } }))
    return made.id
  } catch (cause) {
    const existing = cause instanceof ApiError && cause.status === 409 ? cause.details.organisation_id : undefined
    if (typeof existing === 'string') return existing
    throw cause
  }
}
