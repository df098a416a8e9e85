import { uploadFile } from '@/api/files'
import { saveBlob } from '@/utils/files'
import { api, call, type components } from '@/api/client'

export type Requirements = components['schemas']['RequirementsView']
export type RequirementItem = components['schemas']['RequirementItemView']
export type Evidence = components['schemas']['Attachment']
export type Conformity = Requirements['conformity']

/** The Element Plus tag type of an item's state and of a station's conformity. */
export function stateTag(state: string): 'success' | 'danger' | 'info' {
  if (state === 'met' || state === 'conforming') return 'success'
  if (state === 'not_met' || state === 'non_conforming') return 'danger'
  return 'info'
}

/** The item's name in the console's language (the checklist names each in zh-CN and en). */
export function itemName(item: Pick<RequirementItem, 'name'>, locale: string): string {
  return item.name[locale] ?? item.name['zh-CN'] ?? ''
}

/** A measure's value in its unit: a share as a percentage, people counted, m² as they are. */
export function measuredValue(t: (key: string, values?: Record<string, unknown>) => string,
  item: Pick<RequirementItem, 'unit'>, value: number): string {
  if (item.unit === 'share') return `${Math.round(value * 1000) / 10}%`
  if (item.unit === 'people') return t('requirements.people', { n: value })
  return `${value} ${item.unit ?? ''}`.trim()
}

/** The names of the failing items, for a station's conformity. */
export function failingNames(requirements: Requirements, locale: string): string[] {
  const byCode = new Map(requirements.items.map((item) => [item.code, item]))
  return requirements.conformity.failing.map((code) => {
    const item = byCode.get(code)
    return item ? itemName(item, locale) : code
  })
}

/** What the record form sends for an item: a measure's number, a fact's yes or no, a document nothing. */
export interface RecordForm {
  measure: number | undefined
  fact: boolean
  note: string
  files: File[]
}

export function recordForm(item: RequirementItem): RecordForm {
  const value = item.record?.value
  return {
    measure: item.kind === 'measure' && typeof value === 'number' ? value : undefined,
    fact: item.kind === 'fact' ? value === true : false,
    note: item.record?.note ?? '',
    files: [],
  }
}

export function recordBody(item: RequirementItem, form: RecordForm, evidence: string[]) {
  const value = item.kind === 'measure' ? (form.measure ?? null) : item.kind === 'fact' ? form.fact : null
  return { ...(item.kind === 'document' ? {} : { value }), note: form.note.trim() || null, evidence }
}

export async function loadRequirements(stationId: string): Promise<Requirements> {
  return call(api.GET('/api/v1/stations/{station_id}/requirements', { params: { path: { station_id: stationId } } }))
}

/** Uploads the files (each becomes the recorder's attachment), then records the item with them. */
export async function recordRequirement(stationId: string, item: RequirementItem, form: RecordForm): Promise<Requirements> {
  const evidence: string[] = []
  for (const file of form.files) {
    const uploaded = await uploadFile(file)
    evidence.push(uploaded.sha256)
  }
  return call(
    api.PUT('/api/v1/stations/{station_id}/requirements/{code}', {
      params: { path: { station_id: stationId, code: item.code } },
      body: recordBody(item, form, evidence),
    }),
  )
}

export async function confirmRequirement(stationId: string, code: string, note: string): Promise<Requirements> {
  return call(
    api.POST('/api/v1/stations/{station_id}/requirements/{code}/confirmation', {
      params: { path: { station_id: stationId, code } },
      body: { note: note.trim() || null },
    }),
  )
}

/** Downloads an evidence file with the person's token (a link could not carry it). */
export async function downloadEvidence(stationId: string, code: string, file: Evidence): Promise<void> {
  const blob = await call(
    api.GET('/api/v1/stations/{station_id}/requirements/{code}/files/{sha256}', {
      params: { path: { station_id: stationId, code, sha256: file.sha256 } },
      parseAs: 'blob',
    }),
  )
  saveBlob(blob as unknown as Blob, file.name)
}
