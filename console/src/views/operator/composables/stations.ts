import { api, call, type components } from '@/api/client'
import { ApiError } from '@/api/errors'
import { usePagedList, type CursorPage } from '@/composables/usePagedList'

export type Organisation = components['schemas']['OrganisationView']
export type Station = components['schemas']['StationView']

/** A row of the stations list: the station's organisation and, when it could be read, the station. */
export interface StationRow {
  organisation: Organisation
  station: Station | null
}

export function readStation(stationId: string): Promise<Station> {
  return call(api.GET('/api/v1/stations/{station_id}', { params: { path: { station_id: stationId } } }))
}

/**
 * The stations, paged on the server: the API lists them as organisations of kind station (whose
 * party is the station's id), so each page's stations are then read, side by side.
 */
export function useStations(perPage = 20) {
  return usePagedList<StationRow, CursorPage<StationRow>>(async (after) => {
    const page = await call(api.GET('/api/v1/organisations', {
      params: { query: { kind: 'station', after: after ?? undefined, per_page: perPage } },
    }))
    const stations = await Promise.all(page.items.map((organisation) => readStation(organisation.party).catch(() => null)))
    return { ...page, items: page.items.map((organisation, at) => ({ organisation, station: stations[at] ?? null })) }
  })
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
