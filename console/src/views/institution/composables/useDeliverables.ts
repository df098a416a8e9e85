import { ref, shallowRef } from 'vue'
import { ApiError, asApiError } from '@/api/errors'
import { uploadFile } from '@/api/files'
import type { Deliverable } from './quotes'

export interface DraftDeliverable {
  kind: Deliverable['kind']
  title: string
  document: { name: string; sha256: string } | null
  milestone: { title: string; due_on: string; done_on: string }
}

/** The deliverables a quality service completes with, each with its uploaded document and a milestone. */
export function useDeliverables(upload: (file: File) => Promise<{ name: string; sha256: string }> = uploadFile) {
  const items = ref<DraftDeliverable[]>([])
  const uploading = ref(0)
  const error = shallowRef<ApiError | null>(null)

  function add(): void {
    items.value = [...items.value, { kind: 'diagnosis_report', title: '', document: null, milestone: { title: '', due_on: '', done_on: '' } }]
  }

  function remove(index: number): void {
    items.value = items.value.filter((_, at) => at !== index)
  }

  async function attach(index: number, file: File): Promise<void> {
    uploading.value += 1
    error.value = null
    try {
      const { name, sha256 } = await upload(file)
      items.value[index].document = { name, sha256 }
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      uploading.value -= 1
    }
  }

  /** The deliverables as the completion sends them (a milestone only once it has a title). */
  function payload() {
    return items.value.map((item) => ({
      kind: item.kind,
      title: item.title.trim(),
      document: item.document ?? { name: '', sha256: '' },
      milestones: item.milestone.title.trim()
        ? [{ title: item.milestone.title.trim(), due_on: item.milestone.due_on, done_on: item.milestone.done_on || null }]
        : [],
    }))
  }

  return { items, uploading, error, add, remove, attach, payload }
}

export type Deliverables = ReturnType<typeof useDeliverables>
