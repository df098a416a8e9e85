import { api, call, type components } from '@/api/client'

export type Attachment = components['schemas']['Attachment']

/**
 * Uploads a file as the API takes it: its raw bytes with its own media type, its name in the
 * query. The answer's sha256 is what a demand (or supplied information) lists.
 */
export function uploadAttachment(file: File): Promise<Attachment> {
  return call(
    api.POST('/api/v1/attachments', {
      params: { query: { name: file.name } },
      body: file as unknown as string,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
    }),
  )
}

/** Downloads a file of a demand (an attachment or the completion's evidence) under its name. */
export async function downloadDemandFile(demandId: string, sha256: string, name: string): Promise<void> {
  const blob = await call(
    api.GET('/api/v1/demands/{demand_id}/files/{sha256}', { params: { path: { demand_id: demandId, sha256 } }, parseAs: 'blob' }),
  ) as unknown as Blob
  const url = URL.createObjectURL(blob)
  try {
    const link = document.createElement('a')
    link.href = url
    link.download = name
    document.body.appendChild(link)
    link.click()
    link.remove()
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
}
