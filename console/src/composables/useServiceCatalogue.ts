import { shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { i18n } from '@/i18n'

export type CatalogueVersion = components['schemas']['CatalogueVersionView']
export type SubItem = components['schemas']['SubItemView']
export type DemandField = components['schemas']['DemandFieldView']
export type Names = components['schemas']['NamesView']
/** What a form holds for a sub-item's fields, by name (empty: not given). */
export type DetailValues = Record<string, string | number | null | undefined>

const current = shallowRef<CatalogueVersion | null>(null)
let loading: Promise<CatalogueVersion | null> | null = null

function load(): Promise<CatalogueVersion | null> {
  loading ??= call(api.GET('/api/v1/service-catalogue')).then(
    (answer) => (current.value = answer),
    () => {
      loading = null // try again at the next use
      return null
    },
  )
  return loading
}

/** A name in the console's language (Chinese when the other is missing). */
export function named(names: Names | undefined): string {
  if (!names) return ''
  return (i18n.global.locale.value === 'en' ? names.en : names['zh-CN']) || names['zh-CN']
}

/** The `details` a demand sends: the sub-item's fields that were given, numbers as numbers. */
export function detailsBody(subItem: SubItem | undefined, values: DetailValues): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const field of subItem?.fields ?? []) {
    const value = values[field.name]
    if (value === null || value === undefined || value === '') continue
    body[field.name] = field.kind === 'number' ? Number(value) : typeof value === 'string' ? value.trim() : value
  }
  return body
}

/** Every message the API gave at `path` or beneath it (a list's entries, a sub-item's fields). */
export function messagesUnder(details: unknown, path: string): string | undefined {
  let value: unknown = details
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  const found: string[] = []
  const gather = (node: unknown): void => {
    if (typeof node === 'string') found.push(node)
    else if (Array.isArray(node)) node.forEach(gather)
    else if (node && typeof node === 'object') Object.values(node).forEach(gather)
  }
  gather(value)
  return found.length ? found.join('；') : undefined
}

/**
 * The current version of the service catalogue (`GET /api/v1/service-catalogue`), fetched once
 * per page load: the sub-items a demand form offers for a category and the fields each asks.
 */
export function useServiceCatalogue() {
  void load()
  function subItemsOf(category: string | null | undefined): SubItem[] {
    return current.value?.catalogue.categories.find((found) => found.code === category)?.sub_items ?? []
  }
  function subItem(code: string | null | undefined): SubItem | undefined {
    for (const category of current.value?.catalogue.categories ?? []) {
      const found = category.sub_items.find((item) => item.code === code)
      if (found) return found
    }
    return undefined
  }
  function reload(): Promise<CatalogueVersion | null> {
    loading = null
    return load()
  }
  return { current, subItemsOf, subItem, reload, ready: load }
}

/** For tests: forget what was fetched. */
export function resetServiceCatalogue(): void {
  current.value = null
  loading = null
}
