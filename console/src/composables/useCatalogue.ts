import { shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { i18n } from '@/i18n'

export type Catalogue = components['schemas']['CatalogueView']
export type CatalogueGroup = keyof Catalogue

const catalogue = shallowRef<Catalogue | null>(null)
let loading: Promise<Catalogue | null> | null = null

/** Fetches the catalogue once per page load (later calls share it). */
function load(): Promise<Catalogue | null> {
  loading ??= call(api.GET('/api/v1/catalogue')).then(
    (answer) => (catalogue.value = answer),
    () => {
      loading = null // try again at the next use
      return null
    },
  )
  return loading
}

/**
 * The labels of the API's codes (`GET /api/v1/catalogue`) in the console's language:
 * `label('statuses', 'submitted')` is 已提交, or Submitted in English; the code itself until
 * the catalogue has arrived or when it names no such code.
 */
export function useCatalogue() {
  void load()
  function label(group: CatalogueGroup, code: string | null | undefined): string {
    if (!code) return ''
    const entry = catalogue.value?.[group]?.[code] as Record<string, string> | undefined
    return entry?.[i18n.global.locale.value] ?? entry?.['zh-CN'] ?? code
  }
  return { catalogue, label, ready: load }
}

/** For tests: forget what was fetched. */
export function resetCatalogue(): void {
  catalogue.value = null
  loading = null
}
