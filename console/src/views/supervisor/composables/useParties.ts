import { shallowRef } from 'vue'
import { api, call } from '@/api/client'

/** A party an evaluation can be scoped to: its scope string and its name. */
export interface Party {
  scope: string
  id: string
  name: string
}

const stations = shallowRef<Party[]>([])
const institutions = shallowRef<Party[]>([])
let loading: Promise<void> | null = null

/**
 * The stations and institutions a supervisor can compare. The directory lists institutions; no
 * route lists stations, so they are those the dossiers name (their newest 100), each read once
 * for its name (GET /api/v1/stations/{id}).
 */
async function load(): Promise<void> {
  const [directory, dossiers] = await Promise.all([
    call(api.GET('/api/v1/institutions', { params: { query: { per_page: 100 } } })),
    call(api.GET('/api/v1/archive/demands', { params: { query: { per_page: 100 } } })),
  ])
  institutions.value = directory.items.map((entry) => ({ scope: `institution:${entry.id}`, id: entry.id, name: entry.name }))
  const ids = [...new Set(dossiers.items.map((item) => item.station_id).filter((id): id is string => !!id))]
  const read = await Promise.all(
    ids.map((id) =>
      call(api.GET('/api/v1/stations/{station_id}', { params: { path: { station_id: id } } })).then(
        (station) => ({ scope: `station:${id}`, id, name: station.name }),
        () => null,
      ),
    ),
  )
  stations.value = read.filter((party): party is Party => party !== null)
}

export function useParties() {
  function ready(): Promise<void> {
    loading ??= load().catch(() => {
      loading = null // try again at the next use
    })
    return loading
  }
  void ready()
  /** A station's or institution's name (its id until known; a specialist's staff id as it is). */
  function nameOf(kind: string, id: string): string {
    const parties = kind === 'station' ? stations.value : kind === 'institution' ? institutions.value : []
    return parties.find((party) => party.id === id)?.name ?? id
  }
  return { stations, institutions, ready, nameOf }
}
