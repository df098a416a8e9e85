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

/** Every station, read a page of 100 at a time (GET /api/v1/stations, by name). */
async function allStations(): Promise<Party[]> {
  const found: Party[] = []
  let after: string | undefined
  do {
    const page = await call(api.GET('/api/v1/stations', { params: { query: { after, per_page: 100 } } }))
    found.push(...page.items.map((station) => ({ scope: `station:${station.id}`, id: station.id, name: station.name })))
    after = page.next_after ?? undefined
  } while (after)
  return found
}

/** The stations and institutions a supervisor can compare: every station, the directory's first 100 institutions. */
async function load(): Promise<void> {
  const [directory, everyStation] = await Promise.all([
    call(api.GET('/api/v1/institutions', { params: { query: { per_page: 100 } } })),
    allStations(),
  ])
  institutions.value = directory.items.map((entry) => ({ scope: `institution:${entry.id}`, id: entry.id, name: entry.name }))
  stations.value = everyStation
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
