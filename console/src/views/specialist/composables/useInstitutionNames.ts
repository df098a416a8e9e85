import { reactive } from 'vue'
import { api, call } from '@/api/client'

const names = reactive<Record<string, string>>({})
const asked = new Set<string>()

/** Institutions' names by id (each read once per page load), for tables that only hold ids. */
export function useInstitutionNames() {
  function nameOf(id: string | null | undefined): string {
    if (!id) return ''
    if (!asked.has(id)) {
      asked.add(id)
      void call(api.GET('/api/v1/institutions/{institution_id}', { params: { path: { institution_id: id } } })).then(
        (institution) => (names[id] = institution.name),
        () => asked.delete(id),
      )
    }
    return names[id] ?? id
  }
  return { nameOf }
}
