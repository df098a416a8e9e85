import { ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { asApiError, type ApiError } from '@/api/errors'
import { useApiForm } from '@/composables/useApiForm'
import { messagesUnder, useServiceCatalogue, type CatalogueVersion } from '@/composables/useServiceCatalogue'

export type CatalogueDocument = components['schemas']['CatalogueDocumentView']
export type EditedSubItem = CatalogueDocument['categories'][number]['sub_items'][number]
export type EditedField = EditedSubItem['fields'][number]
export type FieldKind = EditedField['kind']
export const FIELD_KINDS: readonly FieldKind[] = ['text', 'number', 'date', 'choice']
export const QUALIFICATION_KINDS = ['CMA', 'CNAS', 'METROLOGY', 'CERTIFICATION', 'OTHER'] as const

/** The document as the API takes it: limits left empty dropped. */
export function publishedBody(document: CatalogueDocument, reason: string): components['schemas']['PublishCatalogue'] {
  return {
    reason: reason.trim(),
    terms: document.terms,
    categories: document.categories.map((category) => ({
      ...category,
      sub_items: category.sub_items.map((subItem) => ({
        ...subItem,
        time_limits: Object.fromEntries(Object.entries(subItem.time_limits).filter(([, limit]) => limit?.trim())),
      })),
    })) as components['schemas']['PublishCatalogue']['categories'],
  }
}

/**
 * The supervisor's service catalogue: the current version, every version before it, and a
 * draft of the next one (the current one copied) published whole with a reason.
 */
export function useCatalogueEditor() {
  const shared = useServiceCatalogue()
  const current = shallowRef<CatalogueVersion | null>(null)
  const history = shallowRef<CatalogueVersion[]>([])
  const loading = ref(false)
  const loadError = shallowRef<ApiError | null>(null)
  const draft = ref<CatalogueDocument | null>(null)
  const reason = ref('')
  const form = useApiForm(['reason'])

  async function load(): Promise<void> {
    loading.value = true
    loadError.value = null
    try {
      const [now, versions] = await Promise.all([
        call(api.GET('/api/v1/service-catalogue')),
        call(api.GET('/api/v1/service-catalogue/versions')),
      ])
      current.value = now
      history.value = versions.items
    } catch (cause) {
      loadError.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  function edit(): void {
    if (!current.value) return
    draft.value = JSON.parse(JSON.stringify(current.value.catalogue)) as CatalogueDocument
    reason.value = ''
    form.clear()
  }

  function cancel(): void {
    draft.value = null
    form.clear()
  }

  function addSubItem(category: number): void {
    draft.value?.categories[category]?.sub_items.push({
      code: '', name: { 'zh-CN': '', en: '' }, qualifications: [], fields: [], time_limits: {},
    })
  }

  function addField(subItem: EditedSubItem): void {
    subItem.fields.push({ name: '', label: { 'zh-CN': '', en: '' }, kind: 'text', required: false, choices: [] })
  }

  function addTerm(): void {
    draft.value?.terms.push({ term: '', synonyms: [], broader: [] })
  }

  async function publish(): Promise<CatalogueVersion | undefined> {
    if (!draft.value) return undefined
    const body = publishedBody(draft.value, reason.value)
    const published = await form.submit(() => call(api.PUT('/api/v1/service-catalogue', { body })))
    if (published) {
      draft.value = null
      await Promise.all([load(), shared.reload()])
    }
    return published
  }

  return {
    current, history, loading, loadError, draft, reason, load, edit, cancel, addSubItem, addField, addTerm, publish,
    error: form.error,
    submitting: form.submitting,
    errorAt: (path: string) => messagesUnder(form.error.value?.details, path),
  }
}
